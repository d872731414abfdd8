using SocketIo.Actors.Internal;
using SocketIo.Actors.Protocol;

namespace SocketIo.Actors.Rooms;

/// <summary>Messages of the <see cref="RoomActor"/>; only its namespace actor sends them.</summary>
internal static class RoomProtocol
{
    public sealed record AddMember(Socket Socket);

    public sealed record RemoveMember(Socket Socket);

    /// <summary>Write the packet to every member except <paramref name="ExceptSockets"/>; report the count to the ack collector.</summary>
    public sealed record Deliver(EncodedPacket Packet, IReadOnlySet<Socket>? ExceptSockets, bool Volatile, BroadcastAckCollector? Ack, long? AckId);
}
