using System.Collections.Concurrent;
using Akka.Actor;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Newtonsoft.Json.Linq;
using SocketIo.Actors.Adapters;
using SocketIo.Actors.Cluster.Broker;
using SocketIo.Actors.Cluster.Internal;
using SocketIo.Actors.Cluster.Membership;
using SocketIo.Actors.Cluster.Sharding;
using SocketIo.Actors.Internal;
using SocketIo.Actors.Namespaces;
using SocketIo.Actors.Rooms;
using SocketIo.Actors.Sockets;

namespace SocketIo.Actors.Cluster.Adapter;

/// <summary>
/// This node's membership in a cluster and its Socket.IO cluster adapter. <see cref="StartAsync"/> connects
/// it (one exclusive node queue bound to the broadcast, request and membership exchanges), starts the
/// <see cref="ClusterMembershipActor"/> and returns the node; put it in <c>SocketIoOptions.Adapter</c> before
/// creating the <see cref="SocketIoServer"/> (on the same <see cref="ActorSystem"/>). <see cref="LeaveAsync"/>
/// leaves gracefully (the others remove this node at once).
/// </summary>
/// <remarks>
/// Inbound messages are handled one at a time in queue order; broadcasts go to the namespace actor (local
/// sockets only, in order) and requests are answered without blocking the queue. While the broker is
/// unreachable the node serves its local clients, cluster publishing fails fast, and after recovery the
/// node announces itself again.
/// </remarks>
public sealed class ClusterNode : IClusterAdapter, IAsyncDisposable
{
    private readonly IBroker _broker;
    private readonly ActorSystem _system;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, Namespace> _namespaces = new(StringComparer.Ordinal);
    private readonly DateTimeOffset _startedAt;
    private IBrokerSubscription? _subscription;
    private IActorRef _membership = ActorRefs.Nobody;
    private IActorRef _forwarder = ActorRefs.Nobody;
    private int _left;

    private ClusterNode(ActorSystem system, IBroker broker, ClusterOptions options, ILogger logger)
    {
        _system = system;
        _broker = broker;
        Options = options;
        _logger = logger;
        Topology = new ClusterTopology(options.ClusterName);
        _startedAt = TimeProvider.System.GetUtcNow();
        Publisher = new ClusterPublisher(broker, options.NodeId, logger);
        Requests = new RequestTracker(options.NodeId, TimeProvider.System, logger);
        Membership.Removed += Requests.NodeLost;
    }

    /// <summary>This node's id.</summary>
    public string NodeId => Options.NodeId;

    /// <summary>The settings it was started with.</summary>
    public ClusterOptions Options { get; }

    /// <summary>The names of the cluster's exchanges and queues.</summary>
    public ClusterTopology Topology { get; }

    /// <summary>The other live members as this node sees them.</summary>
    public MembershipView Membership { get; } = new();

    /// <summary>
    /// Socket addressing by id (ShardRegion-style): <c>Sockets.Tell(socketId, message)</c> delivers to the
    /// socket actor here when the socket is on this node, otherwise to the node that owns it, through the
    /// broker. Messages that may cross nodes: <see cref="SocketProtocol.Disconnect"/>.
    /// </summary>
    public SocketDirectory Sockets { get; private set; } = null!;

    /// <summary>Whether <see cref="LeaveAsync"/> ran.</summary>
    public bool HasLeft => Volatile.Read(ref _left) != 0;

    internal RequestTracker Requests { get; }

    internal ClusterPublisher Publisher { get; }

    /// <summary>
    /// Starts the node: connects the broker if it is not started yet, declares the exchanges, consumes the node
    /// queue and starts heartbeating. Throws <see cref="BrokerUnavailableException"/> when the broker cannot be reached.
    /// </summary>
    public static async Task<ClusterNode> StartAsync(ActorSystem system, IBroker broker, ClusterOptions options, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(broker);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("SocketIo.Actors.Cluster");
        var node = new ClusterNode(system, broker, options, logger);
        await node.ConnectAsync(cancellationToken).ConfigureAwait(false);
        return node;
    }

    private async Task ConnectAsync(CancellationToken cancellationToken)
    {
        if (_broker.State == BrokerConnectionState.NotStarted)
            await _broker.StartAsync(cancellationToken).ConfigureAwait(false);
        foreach (var exchange in new[] { Topology.BroadcastExchange, Topology.RequestExchange, Topology.MembershipExchange })
            await _broker.DeclareExchangeAsync(exchange, cancellationToken).ConfigureAwait(false);
        var queue = QueueSpec.Exclusive(
            Topology.NodeQueue(NodeId),
            new QueueBinding(Topology.BroadcastExchange.Name, Topology.AllBroadcastsPattern),
            new QueueBinding(Topology.RequestExchange.Name, Topology.NodeRequestKey(NodeId)),
            new QueueBinding(Topology.RequestExchange.Name, Topology.AllNodesRequestKey),
            new QueueBinding(Topology.MembershipExchange.Name, Topology.AllMembersPattern));
        _broker.ConnectionStateChanged += OnConnectionStateChanged;
        _subscription = await _broker.SubscribeAsync(queue, HandleAsync, cancellationToken).ConfigureAwait(false);
        var self = new ClusterMember(NodeId, Options.Address, _startedAt);
        _membership = _system.ActorOf(ActorProps.Of(() => new ClusterMembershipActor(self, Options.HeartbeatInterval, Options.HeartbeatTimeout, Announce, Membership, _logger)));
        if (Options.ShareRoomEvents)
            _forwarder = _system.ActorOf(ActorProps.Of(() => new RoomEventForwarderActor(ForwardRoomEvent)));
        var socketMessages = new ShardingMessageTypes();
        socketMessages.Register<SocketProtocol.Disconnect>("socket.disconnect");
        Sockets = await SocketDirectory.StartAsync(_system, _broker, Topology, NodeId, FindLocalSocket,
            new SocketDirectorySettings { MessageTypes = socketMessages }, cancellationToken).ConfigureAwait(false);
        ClusterLog.NodeStarted(_logger, NodeId, Options.ClusterName);
    }

    /// <summary>The actor of a socket connected to this node, in any namespace; null when it is elsewhere.</summary>
    private IActorRef? FindLocalSocket(string socketId)
    {
        foreach (var nsp in _namespaces.Values)
            if (nsp.LocalSockets.TryGetValue(socketId, out var socket))
                return socket.Actor;
        return null;
    }

    /// <inheritdoc />
    public INamespaceAdapter Attach(Namespace nsp)
    {
        _namespaces[nsp.Name] = nsp;
        return new ClusterNamespaceAdapter(this, nsp);
    }

    /// <summary>
    /// Leaves the cluster gracefully: stops heartbeating, tells the others (they remove this node at once),
    /// and stops consuming. Bounded: a broker that does not answer delays it by its publish timeout at most.
    /// The broker itself is the caller's to dispose. Idempotent.
    /// </summary>
    public async Task LeaveAsync()
    {
        if (Interlocked.Exchange(ref _left, 1) != 0) return;
        _broker.ConnectionStateChanged -= OnConnectionStateChanged;
        try
        {
            await _membership.Ask<MembershipProtocol.Stopped>(MembershipProtocol.StopHeartbeats.Instance, TimeSpan.FromSeconds(2)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AskTimeoutException or TimeoutException)
        {
            // The actor system may already be stopping; the Left message below still goes out.
        }
        try
        {
            var left = PublishAsync(Topology.MembershipExchange.Name, Topology.MembershipKey(NodeId), NewEnvelope(EnvelopeType.Left), EnvelopeType.Left);
            await left.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Broker down: the others remove this node after the heartbeat timeout instead.
        }
        if (_subscription is { } subscription)
        {
            try
            {
                await subscription.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception)
            {
                // A lost connection already removed the consumer.
            }
        }
        try
        {
            await Sockets.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception)
        {
            // A lost connection already removed the directory's consumer.
        }
        _system.Stop(_membership);
        if (!_forwarder.Equals(ActorRefs.Nobody)) _system.Stop(_forwarder);
        await Publisher.DisposeAsync().ConfigureAwait(false);
        ClusterLog.NodeLeft(_logger, NodeId, Options.ClusterName);
    }

    /// <summary>Same as <see cref="LeaveAsync"/>.</summary>
    public async ValueTask DisposeAsync() => await LeaveAsync().ConfigureAwait(false);

    internal EnvelopeWriter NewEnvelope(EnvelopeType type, int sizeHint = 256) => new(type, NodeId, sizeHint);

    internal bool PublishBroadcast(string nsp, EnvelopeWriter w, EnvelopeType type) =>
        Publisher.Enqueue(new BrokerMessage(Topology.BroadcastExchange.Name, Topology.NamespaceBroadcastKey(nsp), w.ToMemory()), type);

    internal bool PublishRequest(EnvelopeWriter w, EnvelopeType type) =>
        Publisher.Enqueue(new BrokerMessage(Topology.RequestExchange.Name, Topology.AllNodesRequestKey, w.ToMemory()), type);

    internal Task PublishRequestAsync(EnvelopeWriter w, EnvelopeType type) =>
        PublishAsync(Topology.RequestExchange.Name, Topology.AllNodesRequestKey, w, type);

    private Task PublishAsync(string exchange, string key, EnvelopeWriter w, EnvelopeType type) =>
        Publisher.PublishAsync(new BrokerMessage(exchange, key, w.ToMemory()), type);

    private void Reply(string origin, EnvelopeWriter w, EnvelopeType type) =>
        Publisher.Enqueue(new BrokerMessage(Topology.RequestExchange.Name, Topology.NodeRequestKey(origin), w.ToMemory()), type);

    private void Announce(EnvelopeType type)
    {
        var w = NewEnvelope(type);
        w.WriteString(Options.Address);
        w.WriteInt64(_startedAt.ToUnixTimeMilliseconds());
        Publisher.Enqueue(new BrokerMessage(Topology.MembershipExchange.Name, Topology.MembershipKey(NodeId), w.ToMemory()), type);
    }

    private void ForwardRoomEvent(RoomEvents.IRoomEvent e)
    {
        if (Membership.Members.Count == 0) return;
        var w = NewEnvelope(EnvelopeType.RoomEvent);
        var (kind, socketId) = e switch
        {
            RoomEvents.RoomCreated => ((byte)1, null),
            RoomEvents.SocketJoinedRoom joined => ((byte)2, joined.SocketId),
            RoomEvents.SocketLeftRoom left => ((byte)3, left.SocketId),
            RoomEvents.RoomDeleted => ((byte)4, (string?)null),
            _ => ((byte)0, null),
        };
        if (kind == 0) return;
        w.WriteByte(kind);
        w.WriteString(e.Namespace);
        w.WriteString(e.Room);
        w.WriteNullableString(socketId);
        PublishBroadcast(e.Namespace, w, EnvelopeType.RoomEvent);
    }

    private void OnConnectionStateChanged(object? sender, BrokerConnectionStateChanged change)
    {
        switch (change.Current)
        {
            case BrokerConnectionState.ConnectionLost:
                ClusterMetrics.BrokerConnectionLosses.Add(1, ClusterMetrics.NodeTag(NodeId));
                ClusterLog.BrokerLost(_logger, NodeId, change.Reason);
                break;
            case BrokerConnectionState.Recovered:
                ClusterLog.BrokerRecovered(_logger, NodeId);
                Publisher.Recovered();
                // Our exclusive queue was gone meanwhile: the others may have removed us. Announce again.
                _membership.Tell(MembershipProtocol.Reannounce.Instance, null);
                break;
        }
    }

    /// <summary>A live namespace of this node by name (a removed child namespace no longer counts).</summary>
    private Namespace? Find(string name) =>
        _namespaces.TryGetValue(name, out var nsp) && nsp.Server.Namespaces.TryGetValue(name, out var live) && ReferenceEquals(live, nsp) ? nsp : null;

    private ValueTask HandleAsync(BrokerDelivery delivery, CancellationToken cancellationToken)
    {
        EnvelopeReader r;
        try
        {
            r = new EnvelopeReader(delivery.Message.Body);
        }
        catch (FormatException e)
        {
            ClusterLog.BadMessage(_logger, e, NodeId, "?");
            return ValueTask.CompletedTask;
        }
        // Every node's queue gets its own broadcasts, "all" requests and heartbeats too.
        if (r.Origin == NodeId) return ValueTask.CompletedTask;
        ClusterMetrics.Received.Add(1, ClusterMetrics.NodeTag(NodeId));
        try
        {
            Dispatch(r);
        }
        catch (Exception e) when (e is FormatException or OverflowException or Newtonsoft.Json.JsonException or ArgumentException)
        {
            ClusterLog.BadMessage(_logger, e, NodeId, r.Origin);
        }
        return ValueTask.CompletedTask;
    }

    private void Dispatch(EnvelopeReader r)
    {
        switch (r.Type)
        {
            case EnvelopeType.InitialHeartbeat or EnvelopeType.Heartbeat:
                var member = new ClusterMember(r.Origin, r.ReadString(), DateTimeOffset.FromUnixTimeMilliseconds(r.ReadInt64()));
                _membership.Tell(new MembershipProtocol.HeartbeatReceived(member, r.Type == EnvelopeType.InitialHeartbeat), null);
                break;
            case EnvelopeType.Left:
                _membership.Tell(new MembershipProtocol.LeftReceived(r.Origin), null);
                break;
            case EnvelopeType.Broadcast:
            {
                var nsp = Find(r.ReadString());
                var target = r.ReadTarget();
                var packet = r.ReadPacket();
                nsp?.Actor.Tell(new NamespaceProtocol.RemoteBroadcast(packet, target, null), null);
                break;
            }
            case EnvelopeType.BroadcastWithAck:
            {
                var id = r.ReadString();
                var nsp = Find(r.ReadString());
                var target = r.ReadTarget();
                var packet = r.ReadPacket();
                var reporter = new RemoteAckReporter(this, r.Origin, id);
                if (nsp is null) reporter.ServerReported(0);
                else nsp.Actor.Tell(new NamespaceProtocol.RemoteBroadcast(packet, target, reporter), null);
                break;
            }
            case EnvelopeType.BroadcastClientCount:
                Requests.ClientCount(r.ReadString(), r.Origin, checked((int)r.ReadVarInt()));
                break;
            case EnvelopeType.BroadcastAck:
                Requests.ClientResponded(r.ReadString(), r.ReadJson());
                break;
            case EnvelopeType.FetchSockets:
            {
                var id = r.ReadString();
                var nsp = Find(r.ReadString());
                var target = r.ReadTarget();
                _ = AnswerFetchSockets(r.Origin, id, nsp, target);
                break;
            }
            case EnvelopeType.FetchSocketsResponse:
            {
                var id = r.ReadString();
                var nsp = Find(r.ReadString());
                var count = checked((int)r.ReadVarInt());
                var sockets = new List<RemoteSocket>(Math.Min(count, 4096));
                for (var i = 0; i < count; i++)
                {
                    var (socketId, handshake, rooms, data) = r.ReadSocket();
                    if (nsp is not null) sockets.Add(new ClusterRemoteSocket(nsp, r.Origin, socketId, handshake, rooms, data));
                }
                Requests.Respond(id, r.Origin, sockets);
                break;
            }
            case EnvelopeType.SocketsJoin or EnvelopeType.SocketsLeave or EnvelopeType.DisconnectSockets:
            {
                var id = r.ReadString();
                var nsp = Find(r.ReadString());
                var target = r.ReadTarget();
                object command = r.Type switch
                {
                    EnvelopeType.SocketsJoin => new NamespaceProtocol.ApplySocketsJoin(target, r.ReadStrings()),
                    EnvelopeType.SocketsLeave => new NamespaceProtocol.ApplySocketsLeave(target, r.ReadStrings()),
                    _ => new NamespaceProtocol.ApplyDisconnectSockets(target, r.ReadBool()),
                };
                _ = AnswerCommand(r.Origin, id, nsp, command);
                break;
            }
            case EnvelopeType.CommandDone:
                Requests.Respond(r.ReadString(), r.Origin, null);
                break;
            case EnvelopeType.ServerSideEmit:
            {
                var id = r.ReadNullableString();
                var nsp = Find(r.ReadString());
                var eventName = r.ReadString();
                var args = r.ReadJson() as JArray ?? [];
                var origin = r.Origin;
                nsp?.DispatchServerSideEmit(eventName, args, id is null ? null : answer =>
                {
                    var w = NewEnvelope(EnvelopeType.ServerSideEmitResponse);
                    w.WriteString(id);
                    w.WriteJson(answer);
                    Reply(origin, w, EnvelopeType.ServerSideEmitResponse);
                });
                break;
            }
            case EnvelopeType.ServerSideEmitResponse:
                Requests.Respond(r.ReadString(), r.Origin, r.ReadJson());
                break;
            case EnvelopeType.RoomEvent:
            {
                var kind = r.ReadByte();
                var nspName = r.ReadString();
                var room = r.ReadString();
                var socketId = r.ReadNullableString() ?? "";
                RoomEvents.IRoomEvent? e = kind switch
                {
                    1 => new RoomEvents.RoomCreated(nspName, room),
                    2 => new RoomEvents.SocketJoinedRoom(nspName, room, socketId),
                    3 => new RoomEvents.SocketLeftRoom(nspName, room, socketId),
                    4 => new RoomEvents.RoomDeleted(nspName, room),
                    _ => null,
                };
                if (e is not null) _system.EventStream.Publish(new ClusterEvents.RemoteRoomEvent(r.Origin, e));
                break;
            }
        }
    }

    private async Task AnswerFetchSockets(string origin, string id, Namespace? nsp, BroadcastTarget target)
    {
        IReadOnlyList<Socket> sockets = [];
        if (nsp is not null)
        {
            try
            {
                sockets = (await nsp.Actor.Ask<NamespaceProtocol.SocketsFound>(new NamespaceProtocol.GetSockets(target), Options.RequestTimeout).ConfigureAwait(false)).Sockets;
            }
            catch (Exception e) when (e is AskTimeoutException or TimeoutException)
            {
                return; // The origin times out on us, as it would on a node that died.
            }
        }
        var w = NewEnvelope(EnvelopeType.FetchSocketsResponse, 256 + 512 * sockets.Count);
        w.WriteString(id);
        w.WriteString(nsp?.Name ?? "");
        w.WriteVarInt((ulong)sockets.Count);
        foreach (var socket in sockets) w.WriteSocket(socket);
        Reply(origin, w, EnvelopeType.FetchSocketsResponse);
    }

    private async Task AnswerCommand(string origin, string id, Namespace? nsp, object command)
    {
        if (nsp is not null)
        {
            try
            {
                await nsp.Actor.Ask<NamespaceProtocol.Done>(command, Options.RequestTimeout).ConfigureAwait(false);
            }
            catch (Exception e) when (e is AskTimeoutException or TimeoutException)
            {
                return;
            }
        }
        var w = NewEnvelope(EnvelopeType.CommandDone);
        w.WriteString(id);
        Reply(origin, w, EnvelopeType.CommandDone);
    }

    /// <summary>Reports a remote broadcast's outcome on this node back to its origin node.</summary>
    private sealed class RemoteAckReporter(ClusterNode node, string origin, string id) : IBroadcastAckReporter
    {
        public void ServerReported(int clients)
        {
            var w = node.NewEnvelope(EnvelopeType.BroadcastClientCount);
            w.WriteString(id);
            w.WriteVarInt((ulong)clients);
            node.Reply(origin, w, EnvelopeType.BroadcastClientCount);
        }

        public void ClientResponded(JToken? response)
        {
            var w = node.NewEnvelope(EnvelopeType.BroadcastAck);
            w.WriteString(id);
            w.WriteJson(response);
            node.Reply(origin, w, EnvelopeType.BroadcastAck);
        }
    }
}
