using Newtonsoft.Json.Linq;
using SocketIo.Actors.Protocol;

namespace SocketIo.Actors.Internal;

/// <summary>The packets the server layer writes, encoded once with the shared encoder.</summary>
internal static class PacketWriter
{
    private static readonly SocketPacketEncoder Encoder = SocketPacketEncoder.Default;

    public static EncodedPacket Event(string nsp, string eventName, object?[] args, long? ackId) =>
        Encoder.EncodeEvent(nsp, eventName, args, ackId);

    public static EncodedPacket Ack(string nsp, long id, object?[] args) => Encoder.EncodeAck(nsp, id, args);

    /// <summary>The CONNECT answer: <c>0{"sid":...}</c> for v5 clients, a bare <c>0</c> when <paramref name="sid"/> is null (v4 clients).</summary>
    public static EncodedPacket Connect(string nsp, string? sid) => Encoder.Encode(sid is null
        ? SocketPacket.ConnectAccepted(nsp, "", ProtocolVersion.V4)
        : SocketPacket.ConnectAccepted(nsp, sid, ProtocolVersion.V5));

    /// <summary>CONNECT_ERROR: <c>{"message","data"}</c> in v5; in v4 the data when given, else the message, as socket.io does.</summary>
    public static EncodedPacket ConnectError(string nsp, string message, object? data, int protocol) =>
        Encoder.Encode(SocketPacket.ConnectError(nsp, message, protocol == 4 ? ProtocolVersion.V4 : ProtocolVersion.V5,
            data is null ? null : data as JToken ?? JToken.FromObject(data)));

    public static EncodedPacket Disconnect(string nsp) => Encoder.Encode(SocketPacket.Disconnect(nsp));

    /// <summary>The arguments as JSON (binary as byte values), for listeners that observe outgoing events.</summary>
    public static JArray ToJArray(object?[] args)
    {
        var array = new JArray();
        foreach (var arg in args)
            array.Add(arg switch
            {
                null => JValue.CreateNull(),
                JToken token => token,
                ReadOnlyMemory<byte> memory => new JValue(memory.ToArray()),
                Memory<byte> memory => new JValue(memory.ToArray()),
                _ => JToken.FromObject(arg),
            });
        return array;
    }
}
