using SocketIo.Actors.Rooms;
using Newtonsoft.Json.Linq;
using SocketIo.Actors.Protocol;

namespace SocketIo.Actors.Cluster;

/// <summary>
/// Every message that crosses nodes: what one node's cluster actor (<c>/user/socketio-cluster</c>) tells another's.
/// Each has a manifest of <see cref="Serialization.ClusterMessageSerializer"/>; nothing else of ours crosses. The
/// origin of a message is its sender (the origin node's cluster actor), so no message carries a node id.
/// Names follow socket.io's ClusterAdapter: a request carries a cluster-wide <c>RequestId</c> and every node
/// answers it once.
/// </summary>
internal static class ClusterProtocol
{
    /// <summary>Marker of the messages bound to <see cref="Serialization.ClusterMessageSerializer"/> in the actor system's config.</summary>
    public interface ICrossNodeMessage;

    /// <summary>
    /// A message whose bytes are written once, however many nodes it goes to: the serializer keeps them in
    /// <see cref="Encoded"/> (a broadcast's packet is encoded once per operation, not once per node).
    /// </summary>
    public abstract record EncodedOnce : ICrossNodeMessage
    {
        /// <summary>The serialized form, set by the serializer the first time it writes the message.</summary>
        internal byte[]? Encoded { get; set; }
    }

    /// <summary>Deliver <paramref name="Packet"/> to the local sockets <paramref name="Target"/> selects in <paramref name="Namespace"/>.</summary>
    public sealed record Broadcast(string Namespace, BroadcastTarget Target, EncodedPacket Packet) : EncodedOnce;

    /// <summary>
    /// The same with an ack: the receiving node re-stamps the packet with an ack id of its own, replies
    /// <see cref="BroadcastReported"/> once, then <see cref="ClientAnswered"/> for every answer.
    /// </summary>
    public sealed record BroadcastWithAck(string RequestId, string Namespace, BroadcastTarget Target, EncodedPacket Packet) : EncodedOnce;

    /// <summary>A node wrote broadcast <paramref name="RequestId"/> to <paramref name="Clients"/> sockets.</summary>
    public sealed record BroadcastReported(string RequestId, int Clients) : ICrossNodeMessage;

    /// <summary>One client answered broadcast <paramref name="RequestId"/>; <paramref name="Response"/> is its first argument.</summary>
    public sealed record ClientAnswered(string RequestId, JToken? Response) : ICrossNodeMessage;

    /// <summary>Request: the local sockets <paramref name="Target"/> selects. Replied with <see cref="SocketsFound"/>.</summary>
    public sealed record FetchSockets(string RequestId, string Namespace, BroadcastTarget Target) : ICrossNodeMessage;

    /// <summary>Reply to <see cref="FetchSockets"/>: snapshots of the node's selected sockets (none when it has no such namespace).</summary>
    public sealed record SocketsFound(string RequestId, string Namespace, IReadOnlyList<SocketSnapshot> Sockets) : ICrossNodeMessage;

    /// <summary>Request: the selected local sockets join <paramref name="Rooms"/>. Replied with <see cref="CommandApplied"/>.</summary>
    public sealed record SocketsJoin(string RequestId, string Namespace, BroadcastTarget Target, IReadOnlyList<string> Rooms) : ICrossNodeMessage;

    /// <summary>Request: the selected local sockets leave <paramref name="Rooms"/>. Replied with <see cref="CommandApplied"/>.</summary>
    public sealed record SocketsLeave(string RequestId, string Namespace, BroadcastTarget Target, IReadOnlyList<string> Rooms) : ICrossNodeMessage;

    /// <summary>Request: disconnect the selected local sockets (<paramref name="Close"/>: their connections too). Replied with <see cref="CommandApplied"/>.</summary>
    public sealed record DisconnectSockets(string RequestId, string Namespace, BroadcastTarget Target, bool Close) : ICrossNodeMessage;

    /// <summary>
    /// Disconnects one socket, wherever it lives: told to the socket region (<c>Sockets.SocketRegion</c>), which
    /// routes it by the node tag that starts <paramref name="EntityId"/> (<c>SocketRegion.EntityId</c>: the socket id
    /// when it carries its node's tag). <paramref name="Close"/> closes its whole connection.
    /// </summary>
    public sealed record SocketCommand(string EntityId, bool Close) : ICrossNodeMessage;

    /// <summary>Reply: the node applied request <paramref name="RequestId"/>.</summary>
    public sealed record CommandApplied(string RequestId) : ICrossNodeMessage;

    /// <summary>
    /// A server-side event for <paramref name="Namespace"/>'s listeners (socket.io's <c>serverSideEmit</c>). With a
    /// <paramref name="RequestId"/> the sender waits for one <see cref="ServerSideEmitAnswered"/>.
    /// </summary>
    public sealed record ServerSideEmit(string? RequestId, string Namespace, string EventName, JArray Args) : ICrossNodeMessage;

    /// <summary>A node's answer to a <see cref="ServerSideEmit"/> with a request id: the first argument its listener acknowledged with.</summary>
    public sealed record ServerSideEmitAnswered(string RequestId, JToken? Answer) : ICrossNodeMessage;

    /// <summary>A room event of the sending node (<see cref="RoomEvents"/>), published on the receiver's event stream as a remote room event.</summary>
    public sealed record RoomEventHappened(RoomEvents.IRoomEvent Event) : ICrossNodeMessage;
}

/// <summary>A socket as <c>fetchSockets</c> shows it on other nodes: its id, handshake, rooms and data (JSON).</summary>
internal sealed record SocketSnapshot(string Id, Handshake Handshake, IReadOnlySet<string> Rooms, JToken? Data);
