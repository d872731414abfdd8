using System.Collections.Concurrent;
using System.Collections.Immutable;
using Akka.Actor;
using Newtonsoft.Json.Linq;
using SocketIo.Actors.Namespaces;

namespace SocketIo.Actors;

/// <summary>
/// A namespace, as socket.io's <c>io.of(name)</c>: connection middlewares, connection listeners, and the
/// broadcast operations on its sockets. The namespace actor owns the socket index and the rooms.
/// </summary>
public partial class Namespace
{
    private readonly object _gate = new();
    private ImmutableArray<Func<Socket, Task>> _middlewares = [];
    private ImmutableArray<Func<Socket, Task>> _connectionHandlers = [];
    private long _ackIds;

    internal Namespace(SocketIoServer server, string name, ParentNamespace? parent = null)
    {
        Server = server;
        Name = name;
        Parent = parent;
    }

    /// <summary>The namespace name, <c>/</c> for the main namespace.</summary>
    public string Name { get; }

    public SocketIoServer Server { get; }

    /// <summary>The dynamic namespace that created this one, if any.</summary>
    public ParentNamespace? Parent { get; }

    /// <summary>Sockets of this namespace connected to this node, by id.</summary>
    public IReadOnlyDictionary<string, Socket> Sockets => LocalSockets;

    internal ConcurrentDictionary<string, Socket> LocalSockets { get; } = new();

    internal IActorRef Actor { get; set; } = ActorRefs.Nobody;

    internal ImmutableArray<Func<Socket, Task>> Middlewares => _middlewares;

    internal ImmutableArray<Func<Socket, Task>> ConnectionHandlers => _connectionHandlers;

    /// <summary>Ack ids are unique per namespace, shared by socket emits and broadcasts, as in socket.io.</summary>
    internal long NextAckId() => Interlocked.Increment(ref _ackIds) - 1;

    /// <summary>
    /// Adds a connection middleware. It runs before the socket is connected; throwing (for example a
    /// <see cref="ConnectionRefusedException"/> with data) refuses the connection with a <c>connect_error</c>.
    /// </summary>
    public Namespace Use(Func<Socket, Task> middleware)
    {
        lock (_gate) _middlewares = _middlewares.Add(middleware);
        return this;
    }

    /// <summary>socket.io-style middleware: call <c>next()</c> to accept or <c>next(error)</c> to refuse.</summary>
    public Namespace Use(Action<Socket, Action<Exception?>> middleware) => Use(socket =>
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        middleware(socket, err => { if (err is null) done.TrySetResult(); else done.TrySetException(err); });
        return done.Task;
    });

    /// <summary>Adds a connection listener (socket.io's <c>on("connection")</c>); it runs on the new socket's actor before its first packet.</summary>
    public Namespace OnConnection(Action<Socket> handler) => OnConnection(s => { handler(s); return Task.CompletedTask; });

    /// <summary>Adds an asynchronous connection listener; the socket handles packets once it completes.</summary>
    public Namespace OnConnection(Func<Socket, Task> handler)
    {
        lock (_gate) _connectionHandlers = _connectionHandlers.Add(handler);
        return this;
    }

    private BroadcastOperator All => new(this, BroadcastTarget.All);

    /// <summary>Emits to every socket of the namespace (socket.io's <c>nsp.emit</c>).</summary>
    public bool Emit(string eventName, params object?[] args) => All.Emit(eventName, args);

    /// <summary>Emits the <c>message</c> event to every socket.</summary>
    public bool Send(params object?[] args) => All.Emit("message", args);

    /// <summary>Emits to every socket and gathers the first argument of each acknowledgement.</summary>
    public Task<JToken?[]> EmitWithAck(string eventName, params object?[] args) => All.EmitWithAck(eventName, args);

    public BroadcastOperator To(string room) => All.To(room);
    public BroadcastOperator To(IEnumerable<string> rooms) => All.To(rooms);
    public BroadcastOperator In(string room) => All.In(room);
    public BroadcastOperator In(IEnumerable<string> rooms) => All.In(rooms);
    public BroadcastOperator Except(string room) => All.Except(room);
    public BroadcastOperator Except(IEnumerable<string> rooms) => All.Except(rooms);
    public BroadcastOperator Local => All.Local;
    public BroadcastOperator Volatile => All.Volatile;
    public BroadcastOperator Compress(bool compress) => All.Compress(compress);
    public BroadcastOperator Timeout(TimeSpan timeout) => All.Timeout(timeout);

    /// <summary>The sockets of the namespace (all nodes).</summary>
    public Task<IReadOnlyList<RemoteSocket>> FetchSockets() => All.FetchSockets();

    /// <summary>Makes every socket join the rooms.</summary>
    public Task SocketsJoin(params string[] rooms) => All.SocketsJoin(rooms);

    /// <summary>Makes every socket leave the rooms.</summary>
    public Task SocketsLeave(params string[] rooms) => All.SocketsLeave(rooms);

    /// <summary>Disconnects every socket; with <paramref name="close"/> their connections are closed too.</summary>
    public Task DisconnectSockets(bool close = false) => All.DisconnectSockets(close);

    internal void CopyHandlersFrom(ParentNamespace parent)
    {
        lock (_gate)
        {
            _middlewares = parent.Middlewares;
            _connectionHandlers = parent.ConnectionHandlers;
        }
    }

    public override string ToString() => $"Namespace({Name})";
}
