namespace SocketIo.Actors.Rooms;

/// <summary>Messages of the <see cref="RoomActor"/>; only its namespace actor sends them.</summary>
internal static class RoomProtocol
{
    public sealed record AddMember(Socket Socket);

    public sealed record RemoveMember(Socket Socket);
}
