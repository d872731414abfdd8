using SocketIo.Actors.Rooms;

namespace SocketIo.Actors.Cluster.Membership;

/// <summary>A node of the cluster as membership knows it.</summary>
/// <param name="NodeId">The node's id (its <c>node.name</c>).</param>
/// <param name="Address">The node's HTTP address as it announced it (empty when it did not say).</param>
/// <param name="StartedAt">When the node started, by its own clock.</param>
public sealed record ClusterMember(string NodeId, string Address, DateTimeOffset StartedAt);

/// <summary>Why a member left the view.</summary>
public enum MemberRemovalReason
{
    /// <summary>It announced that it leaves (graceful shutdown); removed at once.</summary>
    Left,

    /// <summary>It was not heard from for the heartbeat timeout (crash, network or broker trouble).</summary>
    HeartbeatTimeout,
}

/// <summary>
/// Cluster events published on the local actor system's <c>EventStream</c>. Subscribe an actor to one of
/// these types (or to <see cref="IClusterEvent"/>) to follow the cluster; each node publishes its own view.
/// </summary>
public static class ClusterEvents
{
    /// <summary>Common interface of the cluster events.</summary>
    public interface IClusterEvent;

    /// <summary>Another node joined (or was heard from again after being removed).</summary>
    public sealed record MemberUp(ClusterMember Member) : IClusterEvent;

    /// <summary>Another node is no longer part of the cluster; requests in flight stopped waiting for it.</summary>
    public sealed record MemberRemoved(ClusterMember Member, MemberRemovalReason Reason) : IClusterEvent;

    /// <summary>
    /// A room event (<see cref="RoomEvents"/>) that happened on another node, as that node published it on
    /// its own event stream. Together with the local <see cref="RoomEvents.IRoomEvent"/>s a subscriber sees
    /// the room activity of the whole cluster. Events of one node arrive in the order they happened there.
    /// </summary>
    public sealed record RemoteRoomEvent(string NodeId, RoomEvents.IRoomEvent Event) : IClusterEvent;
}
