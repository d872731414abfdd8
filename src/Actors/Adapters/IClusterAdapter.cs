using Newtonsoft.Json.Linq;
using SocketIo.Actors.Protocol;

namespace SocketIo.Actors.Adapters;

/// <summary>
/// The port between the Socket.IO core and a cluster backplane (socket.io's adapter). Set it with
/// <see cref="SocketIoOptions.Adapter"/>; null (the default) means a single node and costs nothing.
/// The server calls <see cref="Attach"/> once for every namespace it creates, before the namespace
/// receives its first connection.
/// </summary>
public interface IClusterAdapter
{
    /// <summary>This node's id, unique in the cluster.</summary>
    string NodeId { get; }

    /// <summary>Connects <paramref name="nsp"/> to the cluster; the returned adapter publishes the namespace's operations to the other nodes.</summary>
    INamespaceAdapter Attach(Namespace nsp);

    /// <summary>
    /// Where this node's socket actors live: null (the default) makes them children of their namespace actor;
    /// a host (the cluster's socket region) makes them entities that other nodes reach by socket id.
    /// </summary>
    ISocketActorHost? SocketActors => null;
}

/// <summary>
/// The cluster side of one namespace on one node. The core calls it for every operation that is not
/// <see cref="BroadcastTarget.Local"/>; it talks to the other nodes only (local sockets are the core's job).
/// Inbound operations from other nodes reach the core through internal entry points that act on local
/// sockets only, through the namespace actor.
/// </summary>
/// <remarks>
/// <see cref="Broadcast"/> and <see cref="BroadcastWithAck"/> are called on the namespace actor and must not
/// block: they hand the (already encoded) packet to a publisher and return. Publishing failures (broker down)
/// are logged and counted by the adapter, never thrown at the caller.
/// </remarks>
public interface INamespaceAdapter
{
    /// <summary>Publishes a broadcast already delivered to this node's sockets. <paramref name="packet"/> carries no ack id.</summary>
    void Broadcast(EncodedPacket packet, BroadcastTarget target);

    /// <summary>
    /// Publishes a broadcast with ack. Before returning it calls <see cref="IBroadcastAckSink.ExpectServers"/>
    /// with the number of remote nodes it waits for; it then reports their client counts and answers to
    /// <paramref name="acks"/>, and <see cref="IBroadcastAckSink.ServerLost"/> for a node that leaves first.
    /// <paramref name="packet"/> carries this node's ack id; every receiving node replaces it with its own.
    /// </summary>
    void BroadcastWithAck(EncodedPacket packet, BroadcastTarget target, IBroadcastAckSink acks);

    /// <summary>The sockets <paramref name="target"/> selects on the other live nodes. Fails with <see cref="TimeoutException"/> when a live node does not answer within the request timeout.</summary>
    Task<IReadOnlyList<RemoteSocket>> FetchSockets(BroadcastTarget target);

    /// <summary>Makes the sockets <paramref name="target"/> selects on the other nodes join <paramref name="rooms"/>; completes when every live node applied it.</summary>
    Task SocketsJoin(BroadcastTarget target, IReadOnlyList<string> rooms);

    /// <summary>Makes the selected sockets on the other nodes leave <paramref name="rooms"/>; completes when every live node applied it.</summary>
    Task SocketsLeave(BroadcastTarget target, IReadOnlyList<string> rooms);

    /// <summary>Disconnects the selected sockets on the other nodes; completes when every live node applied it.</summary>
    Task DisconnectSockets(BroadcastTarget target, bool close);

    /// <summary>Sends a server-side event to this namespace on every other node (socket.io's <c>serverSideEmit</c>).</summary>
    void ServerSideEmit(string eventName, object?[] args);

    /// <summary>
    /// Sends a server-side event to every other node and gathers each node's answer (the first argument its
    /// listener acknowledged with). Fails with <see cref="AckTimeoutException"/> listing the answers when a live
    /// node does not answer within <paramref name="timeout"/> (the adapter's request timeout when null).
    /// </summary>
    Task<JToken?[]> ServerSideEmitWithAck(string eventName, object?[] args, TimeSpan? timeout);
}

/// <summary>
/// Where a node reports the outcome of a broadcast with ack: its client count, and each client's answer. The count and
/// the answers are reported from different threads, so the receiver must accept answers that arrive before the count.
/// </summary>
public interface IBroadcastAckReporter
{
    /// <summary>This node wrote the packet to <paramref name="clients"/> sockets.</summary>
    void ServerReported(int clients);

    /// <summary>One client answered; <paramref name="response"/> is the first argument of its ack.</summary>
    void ClientResponded(JToken? response);
}

/// <summary>The origin's aggregate of a broadcast with ack over every node (socket.io's broadcast ack bookkeeping).</summary>
public interface IBroadcastAckSink : IBroadcastAckReporter
{
    /// <summary>Adds <paramref name="servers"/> remote nodes whose report the broadcast waits for.</summary>
    void ExpectServers(int servers);

    /// <summary>An expected node will never report (it left or died).</summary>
    void ServerLost();

    /// <summary>
    /// A node that reported was lost before <paramref name="clients"/> of its clients answered: their answers will
    /// never come, so the broadcast stops waiting for them.
    /// </summary>
    void ClientsLost(int clients);

    /// <summary>Completes (successfully or not) when the broadcast is answered or timed out.</summary>
    Task Completion { get; }
}
