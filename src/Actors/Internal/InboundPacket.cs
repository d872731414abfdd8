using Newtonsoft.Json.Linq;

namespace SocketIo.Actors.Internal;

/// <summary>The kinds of packet a client may send.</summary>
internal enum InboundKind
{
    Connect,
    Disconnect,
    Event,
    Ack,
    ConnectError,
}

/// <summary>
/// A packet decoded from a client, attachments already put back in place. For events
/// <see cref="Args"/> holds the arguments after the event name.
/// </summary>
internal sealed record InboundPacket(
    InboundKind Kind,
    string Namespace,
    string? EventName,
    JArray Args,
    long? Id,
    JObject? Auth);
