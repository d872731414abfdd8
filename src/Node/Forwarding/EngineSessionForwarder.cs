using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Net.WebSockets;
using Akka.Actor;
using Akka.Cluster;
using SocketIo.Node.Forwarding.Internal;
using SocketIo.Actors.Cluster.Sockets;
using SocketIo.Transport.EngineIo;
using static SocketIo.Node.Forwarding.EngineForwardingProtocol;
using AkkaCluster = Akka.Cluster.Cluster;

namespace SocketIo.Node.Forwarding;

/// <summary>
/// A cluster without sticky sessions (issue 14): every session id starts with its owner's tag (<see cref="LocalTag"/>,
/// 8 base64url characters derived from the member's unique address), and a request for a session another member owns
/// is served by that member, the owner keeping the session, as @socket.io/cluster-engine does for Node:
/// <list type="bullet">
/// <item>a polling GET or POST travels to the owner's <see cref="EngineForwarderActor"/> as one
/// <see cref="ForwardHttpRequest"/> (body as it is) and is served there by the engine of the same path on a synthetic
/// request; the answer comes back as a <see cref="ForwardedHttpResponse"/> and is written to the client;</item>
/// <item>a WebSocket upgrade opens a relay (<see cref="OpenRelay"/>): the owner's engine accepts an in-memory
/// WebSocket, the entry then accepts the client's, and whole messages travel as <see cref="RelayFrame"/>s, a close
/// on either side closing the other (<see cref="RelayClosed"/>).</item>
/// </list>
/// Failure mode: when the owner is unreachable, removed, or does not answer a request within pingInterval +
/// pingTimeout (plus a margin), the request is answered as the reference answers an unknown sid (400
/// <c>{"code":1,"message":"Session ID unknown"}</c>) and the client reconnects; its relays are closed.
/// </summary>
public sealed partial class EngineSessionForwarder : IEngineSessionForwarder
{
    /// <summary>The forwarder actor's name under <c>/user</c>, the same on every node.</summary>
    public const string ActorName = "engine-forwarder";

    /// <summary>Length of a tag (<see cref="TagOf"/>).</summary>
    public const int TagLength = NodeTags.Length;

    /// <summary>Marks a synthetic request served for another node: it is never forwarded again.</summary>
    private const string ForwardedItemKey = "SocketIo.Forwarded";

    /// <summary>Added to the longest time an owner may hold a polling GET before the entry gives up.</summary>
    private static readonly TimeSpan AnswerMargin = TimeSpan.FromSeconds(5);

    private static readonly WebSocketAcceptContext AcceptContext = new()
    {
        DangerousEnableCompression = false,
        KeepAliveInterval = TimeSpan.Zero,
    };

    private readonly ExtendedActorSystem _system;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, EngineIoServer> _servers = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource<IForwardingMessage>> _pending = new();
    private readonly ConcurrentDictionary<Guid, CancellationTokenSource> _served = new();
    private readonly ConcurrentDictionary<Guid, Relay> _relays = new();
    private readonly Lock _peersGate = new();
    private volatile ImmutableDictionary<string, Peer> _peers = ImmutableDictionary<string, Peer>.Empty.WithComparers(StringComparer.Ordinal);
    private IActorRef _actor = ActorRefs.Nobody;
    private readonly CancellationTokenSource _stopping = new();

    private EngineSessionForwarder(ExtendedActorSystem system, ILogger logger)
    {
        _system = system;
        _logger = logger;
        Serializer = new EngineForwardingSerializer(system);
        LocalTag = TagOf(AkkaCluster.Get(system).SelfUniqueAddress);
    }

    internal EngineForwardingSerializer Serializer { get; }

    internal ILogger Logger => _logger;

    /// <summary>This node's tag: the prefix of the session ids its engines generate.</summary>
    public string LocalTag { get; }

    /// <summary>The forwarder actor of this node.</summary>
    public IActorRef Actor => _actor;

    /// <summary>The tags of the members requests can be forwarded to now (diagnostics and tests).</summary>
    public IReadOnlyCollection<string> PeerTags => _peers.Keys.ToArray();

    /// <summary>
    /// Starts the forwarder of <paramref name="system"/> (a cluster actor system) and its actor
    /// <c>/user/engine-forwarder</c>, which follows the members with <paramref name="role"/>. Start it before the
    /// node joins, so that the other members find its actor as soon as they see this node.
    /// </summary>
    public static EngineSessionForwarder Start(ActorSystem system, string role, ILoggerFactory? loggerFactory = null)
    {
        var forwarder = new EngineSessionForwarder((ExtendedActorSystem)system,
            (ILogger?)loggerFactory?.CreateLogger("SocketIo.Node.Forwarding") ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        forwarder._actor = system.ActorOf(EngineForwarderActor.Props(forwarder, role), ActorName);
        return forwarder;
    }

    /// <summary>
    /// The tag of a member: 8 base64url characters of a SHA-256 of its address and uid, so a node restarted at the same
    /// address gets another tag (the sessions of its previous run are unknown, not forwarded to the new run).
    /// </summary>
    public static string TagOf(UniqueAddress member) => NodeTags.OfNode($"{member.Address}#{member.Uid}");

    /// <summary>Sets this node's sid prefix and this forwarder on engine options (every engine the node maps).</summary>
    public void ApplyTo(EngineIoOptions options)
    {
        options.SessionIdPrefix = LocalTag;
        options.SessionForwarder = this;
    }

    /// <inheritdoc />
    public void Attach(EngineIoServer server) => _servers[NormalizePath(server.Options.Path)] = server;

    /// <inheritdoc />
    public async ValueTask<bool> TryForwardAsync(EngineIoServer server, HttpContext context, string sid, CancellationToken cancellationToken)
    {
        // A request served for another node is never forwarded again (no loops, whatever the tags say).
        if (_stopping.IsCancellationRequested || context.Items.ContainsKey(ForwardedItemKey) || sid.Length <= TagLength) return false;
        var tag = sid[..TagLength];
        if (tag == LocalTag || !_peers.TryGetValue(tag, out var peer) || peer.Gone.IsCancellationRequested) return false;
        return context.WebSockets.IsWebSocketRequest
            ? await RelayWebSocketAsync(server, context, sid, peer, cancellationToken)
            : await ForwardHttpAsync(server, context, sid, peer, cancellationToken);
    }

    /// <summary>
    /// For a node shutting down, so that it does not wait on other members' sessions: requests for them are no longer
    /// forwarded, those in flight (a GET held on its owner) are answered as an unknown sid at once, and the WebSockets
    /// this node relays are closed (normal closure after what is queued); each owner is told and closes the session,
    /// whose client reconnects through another node. Relays of this node's own sessions are left to its engine, which
    /// closes them with <c>server shutting down</c>.
    /// </summary>
    public void StopRelaying()
    {
        _stopping.Cancel();
        foreach (var relay in _relays.Values)
        {
            if (relay.IsEntry) relay.Close();
        }
    }

    internal void AddPeer(UniqueAddress member)
    {
        var tag = TagOf(member);
        lock (_peersGate)
        {
            if (_peers.ContainsKey(tag)) return;
            var forwarder = _system.Provider.ResolveActorRef(new RootActorPath(member.Address) / "user" / ActorName);
            _peers = _peers.SetItem(tag, new Peer(tag, member.Address, forwarder));
        }
    }

    internal void RemovePeer(UniqueAddress member)
    {
        var tag = TagOf(member);
        Peer? peer;
        lock (_peersGate)
        {
            if (!_peers.TryGetValue(tag, out peer)) return;
            _peers = _peers.Remove(tag);
        }

        ForwardingLog.PeerGone(_logger, member.Address.ToString());
        // Fails the requests and closes the relays waiting on it (the callbacks run here, off the lock).
        peer.Gone.Cancel();
    }

    /// <summary>
    /// Sends <paramref name="message"/> to another member's forwarder, from this node's. One whose payload may not fit
    /// one Akka.Remote frame is serialized here and sent as <see cref="Fragment"/>s, one after the other, so that what
    /// the caller sends after it arrives after it.
    /// </summary>
    internal void Send(IActorRef target, IForwardingMessage message)
    {
        if (EstimatedSize(message) <= MaxFragmentBytes)
        {
            target.Tell(message, _actor);
            return;
        }

        var bytes = Serializer.ToBinary(message);
        var manifest = Serializer.Manifest(message);
        var id = Guid.NewGuid();
        for (var offset = 0; offset < bytes.Length; offset += MaxFragmentBytes)
        {
            target.Tell(new Fragment(id, manifest, bytes.Length, bytes[offset..Math.Min(bytes.Length, offset + MaxFragmentBytes)]), _actor);
        }
    }

    /// <summary>An upper bound of a message's serialized size (UTF-8 takes at most 3 bytes per UTF-16 unit).</summary>
    private static long EstimatedSize(IForwardingMessage message) => message switch
    {
        ForwardHttpRequest m => m.Body.Length + 3L * (m.Method.Length + m.Path.Length + m.QueryString.Length) + HeadersSize(m.Headers) + 64,
        ForwardedHttpResponse m => m.Body.Length + HeadersSize(m.Headers) + 64,
        OpenRelay m => 3L * (m.Path.Length + m.QueryString.Length) + HeadersSize(m.Headers) + 64,
        RelayFrame m => m.Data.Length + 32,
        _ => 64,
    };

    private static long HeadersSize(IReadOnlyList<KeyValuePair<string, string>> headers)
    {
        var size = 8L;
        foreach (var (name, value) in headers) size += 3L * (name.Length + value.Length) + 10;
        return size;
    }

    internal void CompletePending(Guid id, IForwardingMessage answer)
    {
        if (_pending.TryGetValue(id, out var pending)) pending.TrySetResult(answer);
    }

    internal void CancelServed(Guid id)
    {
        if (_served.TryGetValue(id, out var served))
        {
            try { served.Cancel(); }
            catch (ObjectDisposedException) { /* the request has just finished */ }
        }
    }

    internal void DeliverFrame(RelayFrame frame)
    {
        if (_relays.TryGetValue(frame.RelayId, out var relay)) relay.Deliver(frame);
    }

    internal void DeliverAck(Guid relayId, long bytes)
    {
        if (_relays.TryGetValue(relayId, out var relay)) relay.DeliverAck(bytes);
    }

    internal void DeliverClosed(Guid relayId)
    {
        if (_relays.TryGetValue(relayId, out var relay)) relay.DeliverClosed();
    }

    private bool TryFindServer(string path, out EngineIoServer server) => _servers.TryGetValue(NormalizePath(path), out server!);

    private Peer? PeerAt(Address address) => _peers.Values.FirstOrDefault(p => p.Address.Equals(address));

    private static string NormalizePath(string path) => path.Length > 1 && path[^1] == '/' ? path[..^1] : path;

    /// <summary>The request headers that travel: all but the hop-by-hop ones and the length (the owner sets it from the body).</summary>
    private static KeyValuePair<string, string>[] HeadersOf(HttpRequest request)
    {
        var headers = new List<KeyValuePair<string, string>>(request.Headers.Count);
        foreach (var (name, values) in request.Headers)
        {
            if (IsHopByHop(name) || name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)) continue;
            foreach (var value in values) headers.Add(new(name, value ?? ""));
        }

        return [.. headers];
    }

    private static bool IsHopByHop(string name) =>
        name.Equals("Connection", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Keep-Alive", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)
        || name.Equals("TE", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Upgrade", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Proxy-Connection", StringComparison.OrdinalIgnoreCase);

    /// <summary>Writes an owner's answer; its headers replace those of the same name the entry's engine set (CORS).</summary>
    private static async Task WriteAnswerAsync(HttpContext context, ForwardedHttpResponse answer, CancellationToken cancellationToken)
    {
        var response = context.Response;
        response.StatusCode = answer.Status;
        foreach (var group in answer.Headers.GroupBy(h => h.Key, StringComparer.OrdinalIgnoreCase))
        {
            if (IsHopByHop(group.Key) && !group.Key.Equals("Connection", StringComparison.OrdinalIgnoreCase)) continue;
            if (group.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)) continue;
            response.Headers[group.Key] = group.Select(h => h.Value).ToArray();
        }

        response.ContentLength = answer.Body.Length;
        if (answer.Body.Length > 0) await response.Body.WriteAsync(answer.Body, cancellationToken);
    }

    /// <summary>The reference's answer to a request naming an unknown sid, for an owner that has no engine at the path.</summary>
    private static ForwardedHttpResponse UnknownSid(Guid id, bool webSocket) => webSocket
        ? new ForwardedHttpResponse(id, 400, [new("Content-Type", "text/html"), new("Connection", "close")], "Session ID unknown"u8.ToArray())
        : new ForwardedHttpResponse(id, 400, [new("Content-Type", "application/json")], """{"code":1,"message":"Session ID unknown"}"""u8.ToArray());

    /// <summary>A member requests can be forwarded to; <see cref="Gone"/> is cancelled when it becomes unreachable or is removed.</summary>
    private sealed class Peer(string tag, Address address, IActorRef forwarder)
    {
        public string Tag { get; } = tag;
        public Address Address { get; } = address;
        public IActorRef Forwarder { get; } = forwarder;
        public CancellationTokenSource Gone { get; } = new();
    }
}
