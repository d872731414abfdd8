using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Newtonsoft.Json.Linq;

namespace SocketIo.Actors;

/// <summary>
/// A dynamic namespace (socket.io's <c>io.of(/regex/)</c> or <c>io.of((name, auth, next) =&gt; ...)</c>):
/// a connection to a matching name creates a child namespace on first use, which takes the middlewares
/// and connection listeners registered here. <see cref="Emit"/> reaches every child.
/// </summary>
public sealed class ParentNamespace
{
    private readonly object _gate = new();
    private readonly Func<string, JObject, bool> _matches;
    private ImmutableArray<Func<Socket, Task>> _middlewares = [];
    private ImmutableArray<Func<Socket, Task>> _connectionHandlers = [];
    private readonly ConcurrentDictionary<string, Namespace> _children = new();

    internal ParentNamespace(SocketIoServer server, Func<string, JObject, bool> matches, string description)
    {
        Server = server;
        _matches = matches;
        Description = description;
    }

    public SocketIoServer Server { get; }

    /// <summary>The pattern or predicate, for diagnostics.</summary>
    public string Description { get; }

    /// <summary>The child namespaces created so far.</summary>
    public IReadOnlyCollection<Namespace> Children => _children.Values.ToList();

    internal ImmutableArray<Func<Socket, Task>> Middlewares => _middlewares;
    internal ImmutableArray<Func<Socket, Task>> ConnectionHandlers => _connectionHandlers;

    internal static ParentNamespace FromRegex(SocketIoServer server, Regex regex) =>
        new(server, (name, _) => regex.IsMatch(name), regex.ToString());

    internal bool Matches(string name, JObject auth) => _matches(name, auth);

    internal void AddChild(Namespace child) => _children[child.Name] = child;

    internal void RemoveChild(Namespace child) => _children.TryRemove(child.Name, out _);

    /// <summary>Connection middleware for every child created from now on.</summary>
    public ParentNamespace Use(Func<Socket, Task> middleware)
    {
        lock (_gate) _middlewares = _middlewares.Add(middleware);
        return this;
    }

    /// <summary>Connection listener for every child created from now on; <see cref="Socket.Namespace"/> tells which child.</summary>
    public ParentNamespace OnConnection(Action<Socket> handler) => OnConnection(s => { handler(s); return Task.CompletedTask; });

    public ParentNamespace OnConnection(Func<Socket, Task> handler)
    {
        lock (_gate) _connectionHandlers = _connectionHandlers.Add(handler);
        return this;
    }

    /// <summary>Emits to every socket of every child namespace.</summary>
    public bool Emit(string eventName, params object?[] args)
    {
        foreach (var child in _children.Values)
            child.Emit(eventName, args);
        return true;
    }
}
