using Akka.Actor;
using SocketIo.Actors.Rooms;

namespace SocketIo.Actors.Cluster.Internal;

/// <summary>
/// Subscribes to this node's <see cref="RoomEvents.IRoomEvent"/>s and hands each to the cluster node, which
/// publishes it to the other nodes (they republish it as <c>ClusterEvents.RemoteRoomEvent</c>). One actor, so
/// the events leave in the order the namespace actors published them.
/// </summary>
internal sealed class RoomEventForwarderActor : ReceiveActor
{
    public RoomEventForwarderActor(Action<RoomEvents.IRoomEvent> forward)
    {
        Receive<RoomEvents.IRoomEvent>(forward);
    }

    protected override void PreStart() => Context.System.EventStream.Subscribe(Self, typeof(RoomEvents.IRoomEvent));
}
