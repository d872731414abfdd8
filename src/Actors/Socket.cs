using Akka.Actor;
using Newtonsoft.Json.Linq;
using SocketIo.Actors.Internal;

namespace SocketIo.Actors;

/// <summary>
/// A client connected to one namespace, as socket.io's <c>Socket</c>. Its listeners run inside its socket
/// actor one message at a time, so per-socket state needs no locks. Emitting, joining, leaving and
/// disconnecting are safe from any thread.
/// </summary>
public sealed partial class Socket
{
    private readonly object _roomsGate = new();
    private readonly HashSet<string> _rooms = [];
    private int _state; // 0 connecting, 1 connected, 2 disconnecting, 3 disconnected
    private int _inboundBacklog; // this socket's share of the client's inbound backlog; -1 once its actor stopped

    internal Socket(Namespace nsp, Client client, string id, Handshake handshake)
    {
        Namespace = nsp;
        Client = client;
        Id = id;
        Handshake = handshake;
    }

    /// <summary>The socket id; also the name of the room only this socket is in.</summary>
    public string Id { get; }

    /// <summary>The namespace this socket belongs to (socket.io's <c>socket.nsp</c>).</summary>
    public Namespace Namespace { get; }

    /// <summary>The server.</summary>
    public SocketIoServer Server => Namespace.Server;

    /// <summary>The request that opened the connection, with the <c>auth</c> payload of the CONNECT packet.</summary>
    public Handshake Handshake { get; }

    /// <summary>Any data the application attaches to the socket; returned by <c>FetchSockets</c>.</summary>
    public object? Data { get; set; }

    /// <summary>True from the CONNECT answer until the socket disconnects.</summary>
    public bool Connected => System.Threading.Volatile.Read(ref _state) is 1 or 2;

    /// <summary>The opposite of <see cref="Connected"/>.</summary>
    public bool Disconnected => !Connected;

    /// <summary>Current transport of the underlying connection: <c>polling</c> or <c>websocket</c>.</summary>
    public string TransportName => Client.Connection.TransportName;

    /// <summary>A snapshot of the rooms this socket is in (its own id included).</summary>
    public IReadOnlySet<string> Rooms
    {
        get
        {
            lock (_roomsGate)
                return new HashSet<string>(_rooms);
        }
    }

    internal Client Client { get; }

    /// <summary>The socket actor; set once by the namespace actor before the socket is announced.</summary>
    internal IActorRef Actor { get; set; } = ActorRefs.Nobody;

    internal void MarkConnected() => System.Threading.Volatile.Write(ref _state, 1);

    /// <summary>Moves to disconnecting; false if the socket was already leaving.</summary>
    internal bool TryBeginDisconnect() => Interlocked.CompareExchange(ref _state, 2, 1) == 1;

    internal void MarkDisconnected() => System.Threading.Volatile.Write(ref _state, 3);

    /// <summary>Counts one inbound packet about to be told to the actor; false once the actor stopped (nothing would give it back).</summary>
    internal bool TryCountInbound()
    {
        var count = System.Threading.Volatile.Read(ref _inboundBacklog);
        while (count >= 0)
        {
            var seen = Interlocked.CompareExchange(ref _inboundBacklog, count + 1, count);
            if (seen == count) return true;
            count = seen;
        }
        return false;
    }

    /// <summary>The actor finished handling one inbound packet: gives it back to the client's backlog (unless the stop already did).</summary>
    internal void InboundHandled()
    {
        var count = System.Threading.Volatile.Read(ref _inboundBacklog);
        while (count > 0)
        {
            var seen = Interlocked.CompareExchange(ref _inboundBacklog, count - 1, count);
            if (seen == count)
            {
                Client.InboundHandled(1);
                return;
            }
            count = seen;
        }
    }

    /// <summary>
    /// The actor stopped: every packet still counted for this socket (in its mailbox, now dead letters, or whose
    /// listener was cut short) goes back to the client's backlog at once, and no packet is counted any more.
    /// </summary>
    internal void StopCountingInbound()
    {
        var count = Interlocked.Exchange(ref _inboundBacklog, -1);
        if (count > 0) Client.InboundHandled(count);
    }

    /// <summary>Adds rooms to the local set; returns those that were new.</summary>
    internal List<string> AddRooms(IEnumerable<string> rooms)
    {
        var added = new List<string>();
        lock (_roomsGate)
        {
            if (System.Threading.Volatile.Read(ref _state) >= 2) return added;
            foreach (var room in rooms)
                if (_rooms.Add(room)) added.Add(room);
        }
        return added;
    }

    internal bool RemoveRoom(string room)
    {
        lock (_roomsGate)
            return _rooms.Remove(room);
    }

    internal List<string> ClearRooms()
    {
        lock (_roomsGate)
        {
            var all = _rooms.ToList();
            _rooms.Clear();
            return all;
        }
    }

    /// <summary>Joins one room (socket.io's <c>socket.join</c>). Broadcasts issued afterwards by this thread see the membership.</summary>
    public void Join(string room) => Join([room]);

    /// <summary>Joins several rooms.</summary>
    public void Join(IEnumerable<string> rooms)
    {
        var added = AddRooms(rooms);
        if (added.Count > 0)
            Namespace.Actor.Tell(new Namespaces.NamespaceProtocol.JoinRooms(this, added));
    }

    /// <summary>Leaves a room (socket.io's <c>socket.leave</c>).</summary>
    public void Leave(string room)
    {
        if (RemoveRoom(room))
            Namespace.Actor.Tell(new Namespaces.NamespaceProtocol.LeaveRoom(this, room));
    }

    /// <summary>
    /// Disconnects this socket from its namespace (reason <c>server namespace disconnect</c>); with
    /// <paramref name="close"/> the whole connection is closed, disconnecting its other namespaces too.
    /// </summary>
    public void Disconnect(bool close = false)
    {
        if (!Connected) return;
        if (close)
            Client.DisconnectAllAndClose();
        else
            Actor.Tell(new Sockets.SocketProtocol.Disconnect(DisconnectReasons.ServerNamespaceDisconnect, NotifyClient: true));
    }

    public override string ToString() => $"Socket({Namespace.Name}, {Id})";
}
