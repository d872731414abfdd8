using System.Text;

namespace SocketIo.Transport.EngineIo.Protocol;

/// <summary>
/// One decoded Engine.IO packet. Text packets carry the UTF-8 bytes that follow the type character;
/// binary packets (always <see cref="EnginePacketType.Message"/>) carry the raw bytes.
/// Packets produced by the parsers own their memory.
/// </summary>
public readonly record struct EnginePacket(EnginePacketType Type, ReadOnlyMemory<byte> Data, bool IsBinary)
{
    /// <summary>A packet without data (<c>1</c>, <c>2</c>, <c>6</c>, ...).</summary>
    public static EnginePacket Control(EnginePacketType type) => new(type, ReadOnlyMemory<byte>.Empty, false);

    /// <summary>A text packet of the given type whose data is <paramref name="data"/> encoded as UTF-8.</summary>
    public static EnginePacket Text(EnginePacketType type, string data) => new(type, Encoding.UTF8.GetBytes(data), false);

    /// <summary>A message packet carrying the layer-above message as is (no copy).</summary>
    public static EnginePacket FromMessage(EngineMessage message) => new(EnginePacketType.Message, message.Data, message.IsBinary);

    /// <summary>The text data decoded from UTF-8 (diagnostics and tests).</summary>
    public string DataAsString() => IsBinary ? Convert.ToBase64String(Data.Span) : Encoding.UTF8.GetString(Data.Span);
}
