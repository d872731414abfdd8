using System.Text;

namespace SocketIo.Actors.Protocol;

/// <summary>
/// A packet encoded once, ready to be handed to any number of Engine.IO connections: the text part
/// (one Engine.IO message, without the Engine.IO <c>4</c> type) followed by one Engine.IO binary
/// message per attachment, in order. Immutable and safe to share between sockets and threads.
/// </summary>
/// <remarks>
/// Attachments reference the caller's buffers (they are not copied): do not mutate a buffer after
/// emitting it, exactly as with socket.io in Node.
/// </remarks>
public sealed class EncodedPacket
{
    private static readonly IReadOnlyList<ReadOnlyMemory<byte>> NoAttachments = [];

    internal EncodedPacket(SocketPacketType type, ReadOnlyMemory<byte> text, IReadOnlyList<ReadOnlyMemory<byte>>? attachments)
    {
        Type = type;
        Text = text;
        Attachments = attachments ?? NoAttachments;
    }

    /// <summary>The type written on the wire (binary types when there are attachments).</summary>
    public SocketPacketType Type { get; }

    /// <summary>UTF-8 bytes of the text part, e.g. <c>2["hello","world"]</c>.</summary>
    public ReadOnlyMemory<byte> Text { get; }

    /// <summary>Binary attachments to send after <see cref="Text"/>, placeholder <c>num</c> order.</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> Attachments { get; }

    public bool HasAttachments => Attachments.Count > 0;

    /// <summary>The text part as a string (for logs, tests and string-based transports).</summary>
    public string TextAsString() => Encoding.UTF8.GetString(Text.Span);

    public override string ToString() => TextAsString();
}
