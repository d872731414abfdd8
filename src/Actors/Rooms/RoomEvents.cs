namespace SocketIo.Actors.Rooms;

/// <summary>
/// Room events published on the actor system's <c>EventStream</c> by the namespace actors, in the order
/// they happen. Subscribe an actor to <see cref="IRoomEvent"/> (or one event type) to extend the server.
/// </summary>
public static class RoomEvents
{
    /// <summary>Common interface of every room event.</summary>
    public interface IRoomEvent
    {
        string Namespace { get; }
        string Room { get; }
    }

    /// <summary>A room got its first member.</summary>
    public sealed record RoomCreated(string Namespace, string Room) : IRoomEvent;

    /// <summary>A socket joined a room.</summary>
    public sealed record SocketJoinedRoom(string Namespace, string Room, string SocketId) : IRoomEvent;

    /// <summary>A socket left a room (explicitly or by disconnecting).</summary>
    public sealed record SocketLeftRoom(string Namespace, string Room, string SocketId) : IRoomEvent;

    /// <summary>A room lost its last member and is gone.</summary>
    public sealed record RoomDeleted(string Namespace, string Room) : IRoomEvent;
}
