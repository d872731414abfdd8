using SocketIo.Actors.Internal;
using SocketIo.Actors.Protocol;
using SocketIo.Actors.Kernel;

namespace SocketIo.Actors.Rooms;

/// <summary>
/// One per named room per node, alive while the room has members on this node. It holds the local
/// members and fans a broadcast out to them: the same encoded bytes are written to every connection.
/// Its namespace actor is the only sender, so membership changes and deliveries stay in order.
/// </summary>
internal sealed class RoomActor : ReceiveActor
{
    private readonly HashSet<Socket> _members = [];

    public RoomActor()
    {
        Receive<RoomProtocol.AddMember>(m => _members.Add(m.Socket));
        Receive<RoomProtocol.RemoveMember>(m => _members.Remove(m.Socket));
        Receive<RoomProtocol.Deliver>(HandleDeliver);
    }

    private void HandleDeliver(RoomProtocol.Deliver deliver)
    {
        var count = 0;
        foreach (var socket in _members)
        {
            if (deliver.ExceptSockets is { } except && except.Contains(socket)) continue;
            DeliverTo(socket, deliver.Packet, deliver.Volatile, deliver.Ack, deliver.AckId);
            count++;
        }
        deliver.Ack?.ServerReported(count);
    }

    /// <summary>Writes a broadcast packet to one socket, registering the broadcast's ack on it first.</summary>
    internal static void DeliverTo(Socket socket, EncodedPacket packet, bool isVolatile, BroadcastAckCollector? ack, long? ackId)
    {
        if (ack is not null && ackId is { } id)
            socket.RegisterAck(id, ack.CreateSocketAck());
        socket.Write(packet, isVolatile);
    }
}
