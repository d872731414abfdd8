using Akka.Actor;

namespace SocketIo.Actors.Rooms;

/// <summary>
/// One per named room per node, alive while the room has members on this node; it holds the room's local
/// members, kept in step by its namespace actor (the only sender). Broadcasts are not delivered through
/// it: the namespace actor writes every broadcast itself so that each socket receives a node's
/// broadcasts in emit order (two room actors running side by side could reorder them at a socket that
/// is in both rooms).
/// </summary>
internal sealed class RoomActor : ReceiveActor
{
    private readonly HashSet<Socket> _members = [];

    public RoomActor()
    {
        Receive<RoomProtocol.AddMember>(m => _members.Add(m.Socket));
        Receive<RoomProtocol.RemoveMember>(m => _members.Remove(m.Socket));
    }
}
