using Akka.Actor;

namespace SocketIo.Actors.Adapters;

/// <summary>
/// Where a node's socket actors live when they are not children of their namespace actor: in a cluster, entities of
/// an Akka.Cluster.Sharding region (<c>SocketIo.Actors.Cluster</c>), so that any node reaches any socket by its id.
/// The host allocates a socket's entity to the node that holds its connection; the per-packet path keeps the
/// entity's <see cref="IActorRef"/> and never goes through the region.
/// </summary>
public interface ISocketActorHost
{
    /// <summary>
    /// Put in front of every socket id this node generates (v5 sockets; a v4-protocol socket takes its Engine.IO
    /// session id, and the host puts the prefix in front of it in the entity id): it names the node, so the host
    /// finds a socket's shard from its id. URL-safe characters only.
    /// </summary>
    string SocketIdPrefix { get; }

    /// <summary>
    /// Starts the actor <paramref name="props"/> as the entity of socket <paramref name="socketId"/> on this node and
    /// tells it <see cref="Sockets.SocketProtocol.Announce.Instance"/>, which it answers to its namespace actor with
    /// its own reference. Does not block. If the entity starts on another node (its shard was allocated elsewhere),
    /// that node logs it and the socket is never admitted: the client's CONNECT stays unanswered.
    /// </summary>
    void StartSocketActor(string socketId, Props props);
}
