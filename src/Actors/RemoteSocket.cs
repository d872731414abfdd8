using Newtonsoft.Json.Linq;

namespace SocketIo.Actors;

/// <summary>
/// A socket returned by <c>FetchSockets</c>: a snapshot of its id, handshake, rooms and data, and the
/// operations that can be applied to it wherever it lives.
/// </summary>
public abstract class RemoteSocket
{
    public abstract string Id { get; }
    public abstract Handshake Handshake { get; }
    public abstract IReadOnlySet<string> Rooms { get; }
    public abstract object? Data { get; }

    /// <summary>Emits to this socket.</summary>
    public abstract bool Emit(string eventName, params object?[] args);

    public abstract void Join(params string[] rooms);
    public abstract void Leave(params string[] rooms);
    public abstract void Disconnect(bool close = false);

    /// <summary>Emits and waits for the acknowledgement (first argument) within <paramref name="timeout"/>.</summary>
    public abstract Task<JArray> EmitWithAck(TimeSpan timeout, string eventName, params object?[] args);
}

/// <summary>A <see cref="RemoteSocket"/> that lives on this node.</summary>
internal sealed class LocalRemoteSocket(Socket socket) : RemoteSocket
{
    private readonly IReadOnlySet<string> _rooms = socket.Rooms;

    public override string Id => socket.Id;
    public override Handshake Handshake => socket.Handshake;
    public override IReadOnlySet<string> Rooms => _rooms;
    public override object? Data => socket.Data;
    public override bool Emit(string eventName, params object?[] args) => socket.Emit(eventName, args);
    public override void Join(params string[] rooms) => socket.Join(rooms);

    public override void Leave(params string[] rooms)
    {
        foreach (var room in rooms) socket.Leave(room);
    }

    public override void Disconnect(bool close = false) => socket.Disconnect(close);

    public override Task<JArray> EmitWithAck(TimeSpan timeout, string eventName, params object?[] args) =>
        socket.Timeout(timeout).EmitWithAck(eventName, args);
}
