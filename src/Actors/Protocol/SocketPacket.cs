using Newtonsoft.Json.Linq;

namespace SocketIo.Actors.Protocol;

/// <summary>
/// One Socket.IO packet, independent of its wire form.
/// </summary>
/// <param name="Type">
/// Packet type. Decoded binary packets are reported as <see cref="SocketPacketType.Event"/> /
/// <see cref="SocketPacketType.Ack"/> once their attachments are in place (as the reference parser
/// does); the encoder picks the binary types itself when the data holds bytes.
/// </param>
/// <param name="Namespace">Namespace, <c>"/"</c> for the main one; never contains the v4 query.</param>
/// <param name="Data">
/// EVENT / ACK: a <see cref="JArray"/> (event name first for EVENT) whose binary parts are
/// <see cref="JValue"/>s of type <see cref="JTokenType.Bytes"/>. CONNECT: the v5 auth object or null.
/// CONNECT_ERROR: an object (v5 <c>{"message":..,"data":..}</c>) or a string (v4). DISCONNECT: null.
/// </param>
/// <param name="Id">Acknowledgement id, when the sender asked for one (EVENT) or answers one (ACK).</param>
/// <param name="Attachments">Number of binary attachments the packet carried on the wire.</param>
public sealed record SocketPacket(
    SocketPacketType Type,
    string Namespace,
    JToken? Data = null,
    long? Id = null,
    int Attachments = 0)
{
    /// <summary>The main namespace.</summary>
    public const string MainNamespace = "/";

    private static readonly string[] ReservedEventNames =
    [
        "connect",
        "connect_error",
        "disconnect",
        "disconnecting",
        "newListener",
        "removeListener",
    ];

    /// <summary>
    /// Protocol v4 only: the query string a socket.io-client 2.x appends to the namespace of its CONNECT
    /// packet (<c>0/admin?token=abc,</c> gives Namespace <c>/admin</c> and Query <c>token=abc</c>), without '?'.
    /// </summary>
    public string? Query { get; init; }

    /// <summary>The event name of an EVENT packet, or null for any other packet.</summary>
    public string? EventName =>
        Type is SocketPacketType.Event or SocketPacketType.BinaryEvent
        && Data is JArray { Count: > 0 } array
        && array[0] is JValue { Type: JTokenType.String } name
            ? (string?)name.Value
            : null;

    /// <summary>
    /// True for names that user code must neither emit nor receive (they are lifecycle events in
    /// socket.io); the socket actor rejects incoming events that use them.
    /// </summary>
    public static bool IsReservedEventName(string name) => Array.IndexOf(ReservedEventNames, name) >= 0;

    /// <summary>CONNECT sent by a client: v5 may carry an auth object.</summary>
    public static SocketPacket Connect(string @namespace, JObject? auth = null) =>
        new(SocketPacketType.Connect, @namespace, auth);

    /// <summary>
    /// The server's answer to a successful CONNECT: v5 <c>0/admin,{"sid":"..."}</c> (plus <c>pid</c> when
    /// connection-state recovery is on); v4 carries no payload (<c>0/admin,</c>).
    /// </summary>
    public static SocketPacket ConnectAccepted(string @namespace, string sid, ProtocolVersion version, string? pid = null)
    {
        if (version == ProtocolVersion.V4)
        {
            return new SocketPacket(SocketPacketType.Connect, @namespace);
        }

        var data = new JObject { ["sid"] = sid };
        if (pid is not null)
        {
            data["pid"] = pid;
        }

        return new SocketPacket(SocketPacketType.Connect, @namespace, data);
    }

    /// <summary>
    /// A refused CONNECT: v5 <c>4{"message":"...","data":...}</c>; v4 <c>4"message"</c> (socket.io 2.x sends
    /// the error's data instead of the message when there is some).
    /// </summary>
    public static SocketPacket ConnectError(string @namespace, string message, ProtocolVersion version, JToken? data = null)
    {
        if (version == ProtocolVersion.V4)
        {
            return new SocketPacket(SocketPacketType.ConnectError, @namespace, data ?? new JValue(message));
        }

        var payload = new JObject { ["message"] = message };
        if (data is not null)
        {
            payload["data"] = data;
        }

        return new SocketPacket(SocketPacketType.ConnectError, @namespace, payload);
    }

    /// <summary>DISCONNECT from a namespace: <c>1</c> or <c>1/admin,</c>.</summary>
    public static SocketPacket Disconnect(string @namespace) => new(SocketPacketType.Disconnect, @namespace);

    /// <summary>EVENT with its arguments already in a JArray (event name first).</summary>
    public static SocketPacket Event(string @namespace, JArray data, long? id = null) =>
        new(SocketPacketType.Event, @namespace, data, id);

    /// <summary>ACK answering the EVENT whose id is <paramref name="id"/>.</summary>
    public static SocketPacket Ack(string @namespace, long id, JArray data) =>
        new(SocketPacketType.Ack, @namespace, data, id);
}
