using SocketIo.Actors.Rooms;
namespace SocketIo.Actors.Cluster.Membership;

/// <summary>Another Socket.IO node of the cluster, as this node sees it.</summary>
/// <param name="NodeId">The node's id: its Akka.Cluster address (<c>akka.tcp://socketio@127.0.0.1:4001</c>).</param>
/// <param name="Reachable">False while Akka's failure detector reports it unreachable: requests do not wait for it.</param>
public sealed record ClusterMember(string NodeId, bool Reachable);

/// <summary>Why a member stopped counting for requests.</summary>
public enum MemberRemovalReason
{
    /// <summary>It is leaving the cluster gracefully (CoordinatedShutdown, <c>Cluster.Leave</c>).</summary>
    Left,

    /// <summary>The failure detector reports it unreachable; it may come back (<see cref="ClusterEvents.MemberUp"/> again).</summary>
    Unreachable,

    /// <summary>The cluster removed it (downed by the split brain resolver, or gone).</summary>
    Removed,
}

/// <summary>
/// Cluster events published on the local actor system's <c>EventStream</c>. Subscribe an actor to one of
/// these types (or to <see cref="IClusterEvent"/>) to follow the cluster; each node publishes its own view.
/// </summary>
public static class ClusterEvents
{
    /// <summary>Common interface of the cluster events.</summary>
    public interface IClusterEvent;

    /// <summary>Another Socket.IO node is up and reachable (joined, or reachable again after being unreachable).</summary>
    public sealed record MemberUp(ClusterMember Member) : IClusterEvent;

    /// <summary>Another node no longer counts for requests; the requests in flight stopped waiting for it.</summary>
    public sealed record MemberRemoved(ClusterMember Member, MemberRemovalReason Reason) : IClusterEvent;

    /// <summary>
    /// A room event (<see cref="RoomEvents"/>) that happened on another node, as that node published it on
    /// its own event stream. Together with the local <see cref="RoomEvents.IRoomEvent"/>s a subscriber sees
    /// the room activity of the whole cluster. Events of one node arrive in the order they happened there.
    /// </summary>
    public sealed record RemoteRoomEvent(string NodeId, RoomEvents.IRoomEvent Event) : IClusterEvent;
}
