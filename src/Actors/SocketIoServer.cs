using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Akka;
using Akka.Actor;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Newtonsoft.Json.Linq;
using SocketIo.Actors.Connections;
using SocketIo.Actors.Internal;
using SocketIo.Actors.Namespaces;

namespace SocketIo.Actors;

/// <summary>
/// The Socket.IO server, as socket.io's <c>io</c>. It owns the namespaces (each backed by a namespace
/// actor) and accepts connections through <see cref="Accept"/>; the host plugs a transport in front of it.
/// The members that address sockets (<see cref="Emit"/>, <see cref="To(string)"/>, <see cref="Use(Func{Socket, Task})"/>, ...)
/// act on the main namespace <c>/</c>, as in socket.io.
/// </summary>
public sealed class SocketIoServer : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Namespace> _namespaces = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Client, byte> _clients = new();
    private readonly object _gate = new();
    private ImmutableArray<ParentNamespace> _parents = [];
    private readonly bool _ownsSystem;
    private long _namespaceSeq;
    private int _dynamicNamespaces;
    private int _disposed;

    /// <summary>
    /// Creates a server in the Akka.NET actor system <paramref name="system"/> (the caller keeps its lifetime),
    /// or in a system of its own (<see cref="SocketIoActorSystem.Create"/>, logging to <paramref name="loggerFactory"/>)
    /// that <see cref="DisposeAsync"/> terminates.
    /// </summary>
    public SocketIoServer(SocketIoOptions? options = null, ILoggerFactory? loggerFactory = null, ActorSystem? system = null)
    {
        Options = options ?? new SocketIoOptions();
        LoggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        Log = LoggerFactory.CreateLogger("SocketIo.Actors");
        _ownsSystem = system is null;
        System = system ?? SocketIoActorSystem.Create(SocketIoActorSystem.DefaultName, LoggerFactory);
        Sockets = Of("/");
        // However the system stops (the host's CoordinatedShutdown, ActorSystem.Terminate, process exit), the
        // sockets are disconnected with "server shutting down" while the actors still run.
        CoordinatedShutdown.Get(System).AddTask(CoordinatedShutdown.PhaseServiceRequestsDone, "socketio-server", async () =>
        {
            await StopSocketsAsync().ConfigureAwait(false);
            return Done.Instance;
        });
    }

    public SocketIoOptions Options { get; }

    /// <summary>The actor system the namespace, room and socket actors live in; user actors may live there too.</summary>
    public ActorSystem System { get; }

    public ILoggerFactory LoggerFactory { get; }

    internal ILogger Log { get; }

    /// <summary>The main namespace <c>/</c> (socket.io's <c>io.sockets</c>).</summary>
    public Namespace Sockets { get; }

    /// <summary>The namespaces created so far, by name.</summary>
    public IReadOnlyDictionary<string, Namespace> Namespaces => _namespaces;

    /// <summary>Number of open client connections on this node.</summary>
    public int ConnectionCount => _clients.Count;

    /// <summary>Returns the namespace <paramref name="name"/>, creating it (and its actor) on first use.</summary>
    public Namespace Of(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!name.StartsWith('/')) name = "/" + name;
        return _namespaces.TryGetValue(name, out var existing) ? existing : CreateNamespace(name, parent: null)!;
    }

    /// <summary>A dynamic namespace: names matching <paramref name="pattern"/> are created on first connection.</summary>
    public ParentNamespace Of(Regex pattern) => AddParent(ParentNamespace.FromRegex(this, pattern));

    /// <summary>A dynamic namespace decided by a predicate on the name and the CONNECT auth payload.</summary>
    public ParentNamespace Of(Func<string, JObject, bool> predicate) => AddParent(new ParentNamespace(this, predicate, "predicate"));

    private ParentNamespace AddParent(ParentNamespace parent)
    {
        lock (_gate) _parents = _parents.Add(parent);
        return parent;
    }

    private Namespace? CreateNamespace(string name, ParentNamespace? parent)
    {
        lock (_gate)
        {
            if (_namespaces.TryGetValue(name, out var existing)) return existing;
            if (parent is not null && _dynamicNamespaces >= Options.MaxDynamicNamespaces) return null;
            var nsp = new Namespace(this, name, parent);
            if (parent is not null)
            {
                nsp.CopyHandlersFrom(parent);
                parent.AddChild(nsp);
                _dynamicNamespaces++;
            }
            // Attached before the actor exists: the actor reads the adapter for its first broadcast.
            nsp.Adapter = Options.Adapter?.Attach(nsp);
            nsp.Actor = System.ActorOf(ActorProps.Of(() => new NamespaceActor(nsp)), "nsp-" + ++_namespaceSeq);
            _namespaces[name] = nsp;
            Log.NamespaceCreated(name);
            return nsp;
        }
    }

    /// <summary>Removes an empty child namespace (<see cref="SocketIoOptions.CleanupEmptyChildNamespaces"/>).</summary>
    internal void RemoveChildNamespace(Namespace nsp)
    {
        lock (_gate)
        {
            if (!_namespaces.TryRemove(new KeyValuePair<string, Namespace>(nsp.Name, nsp))) return;
            nsp.Parent?.RemoveChild(nsp);
            _dynamicNamespaces--;
        }
        System.Stop(nsp.Actor);
        Log.NamespaceRemoved(nsp.Name);
    }

    /// <summary>Routes a CONNECT: to an existing namespace, to a new child of a matching dynamic namespace, or refused with "Invalid namespace".</summary>
    internal void ConnectToNamespace(Client client, string name, JObject auth)
    {
        if (!_namespaces.TryGetValue(name, out var nsp))
        {
            foreach (var parent in _parents)
            {
                bool matches;
                try
                {
                    matches = parent.Matches(name, auth);
                }
                catch (Exception e)
                {
                    Log.ListenerFailed(e, "namespace predicate", client.Id);
                    matches = false;
                }
                if (matches && (nsp = CreateNamespace(name, parent)) is not null) break;
            }
        }
        if (nsp is null)
        {
            Log.UnknownNamespace(client.Id, name);
            client.RefuseNamespace(name, new ConnectionRefusedException("Invalid namespace"));
            return;
        }
        nsp.Actor.Tell(new NamespaceProtocol.Connect(client, auth));
    }

    /// <summary>
    /// Accepts a new client connection; the returned handler receives its inbound messages. The host
    /// calls this once per transport session.
    /// </summary>
    public IClientConnectionHandler Accept(IClientConnection connection)
    {
        var client = new Client(this, connection);
        _clients[client] = 0;
        if (global::System.Threading.Volatile.Read(ref _disposed) != 0)
        {
            client.CloseWith(DisconnectReasons.ServerShuttingDown);
            return client;
        }
        client.Start();
        return client;
    }

    internal void ClientClosed(Client client) => _clients.TryRemove(client, out _);

    // The members below act on the main namespace, as io.* does in socket.io.

    public SocketIoServer Use(Func<Socket, Task> middleware) { Sockets.Use(middleware); return this; }
    public SocketIoServer Use(Action<Socket, Action<Exception?>> middleware) { Sockets.Use(middleware); return this; }
    public SocketIoServer OnConnection(Action<Socket> handler) { Sockets.OnConnection(handler); return this; }
    public SocketIoServer OnConnection(Func<Socket, Task> handler) { Sockets.OnConnection(handler); return this; }
    public bool Emit(string eventName, params object?[] args) => Sockets.Emit(eventName, args);
    public bool Send(params object?[] args) => Sockets.Send(args);
    public Task<JToken?[]> EmitWithAck(string eventName, params object?[] args) => Sockets.EmitWithAck(eventName, args);
    public BroadcastOperator To(string room) => Sockets.To(room);
    public BroadcastOperator To(IEnumerable<string> rooms) => Sockets.To(rooms);
    public BroadcastOperator In(string room) => Sockets.In(room);
    public BroadcastOperator In(IEnumerable<string> rooms) => Sockets.In(rooms);
    public BroadcastOperator Except(string room) => Sockets.Except(room);
    public BroadcastOperator Except(IEnumerable<string> rooms) => Sockets.Except(rooms);
    public BroadcastOperator Local => Sockets.Local;
    public BroadcastOperator Volatile => Sockets.Volatile;
    public BroadcastOperator Compress(bool compress) => Sockets.Compress(compress);
    public BroadcastOperator Timeout(TimeSpan timeout) => Sockets.Timeout(timeout);
    public Task<IReadOnlyList<RemoteSocket>> FetchSockets() => Sockets.FetchSockets();
    public Task SocketsJoin(params string[] rooms) => Sockets.SocketsJoin(rooms);
    public Task SocketsLeave(params string[] rooms) => Sockets.SocketsLeave(rooms);
    public Task DisconnectSockets(bool close = false) => Sockets.DisconnectSockets(close);
    public void ServerSideEmit(string eventName, params object?[] args) => Sockets.ServerSideEmit(eventName, args);
    public Task<JToken?[]> ServerSideEmitWithAck(string eventName, params object?[] args) => Sockets.ServerSideEmitWithAck(eventName, args);
    public SocketIoServer OnServerSideEmit(string eventName, Action<JArray, Ack?> handler) { Sockets.OnServerSideEmit(eventName, handler); return this; }
    public SocketIoServer OnServerSideEmit(string eventName, Action<JArray> handler) { Sockets.OnServerSideEmit(eventName, handler); return this; }

    /// <summary>
    /// Stops the server: every socket disconnects with <c>server shutting down</c>, every connection is
    /// closed, and the actor system (when the server created it) terminates.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        await StopSocketsAsync().ConfigureAwait(false);
        if (_ownsSystem)
            await System.Terminate().ConfigureAwait(false);
    }

    /// <summary>Disconnects every socket and closes every connection, once; the actor system keeps running.</summary>
    private async Task StopSocketsAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        var acks = _namespaces.Values.Select(n => n.Actor.Ask<NamespaceProtocol.Done>(NamespaceProtocol.Shutdown.Instance, TimeSpan.FromSeconds(5)));
        try
        {
            await Task.WhenAll(acks).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException or AskTimeoutException)
        {
            // A namespace that does not answer in time is stopped with the actor system below.
        }
        foreach (var client in _clients.Keys)
            client.CloseWith(DisconnectReasons.ServerShuttingDown);
    }
}
