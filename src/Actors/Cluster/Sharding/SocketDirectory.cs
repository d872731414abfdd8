using Akka.Actor;
using Microsoft.Extensions.Logging;
using SocketIo.Actors.Cluster.Broker;
using SocketIo.Actors.Cluster.Sharding.Internal;
using SocketIo.Actors.Internal;

namespace SocketIo.Actors.Cluster.Sharding;

/// <summary>
/// Makes every socket actor reachable by its socket id from any node, without shard queues:
/// a socket lives where its connection is, so the directory only has to find that node.
/// <see cref="Tell"/> delivers locally when the caller's lookup finds the socket here; otherwise it
/// publishes to the owning node when it is known (learnt from an earlier delivery), else to every
/// node, and the node that has the socket delivers it and tells the sender's node that it owns it.
/// Each node consumes its own exclusive queue (<see cref="ClusterTopology.SocketDirectoryQueue"/>).
/// </summary>
/// <remarks>
/// At most once: a message for a socket that is gone, or sent while the broker reconnects for
/// longer than <see cref="SocketDirectorySettings.PublishRetryTimeout"/>, is dropped (logged).
/// Per-sender order holds between a sender and a socket as long as the route does not change
/// (the first message goes to every node, later ones to the owner; both travel through the
/// owner's one queue in publish order). A remote socket replying to <c>Sender</c> reaches the
/// original actor through the sender node's directory queue.
/// </remarks>
public sealed class SocketDirectory : IAsyncDisposable
{
    private readonly IBroker _broker;
    private readonly ClusterTopology _topology;
    private readonly Func<string, IActorRef?> _lookup;
    private readonly SocketDirectorySettings _settings;
    private readonly IShardingSerializer _serializer;
    private readonly SerialPublisher _publisher;
    private readonly ReplyChannel _replies;
    private readonly ILogger _logger;
    private readonly object _cacheGate = new();
    private readonly Dictionary<string, string> _owners = new(StringComparer.Ordinal);
    private readonly Queue<string> _ownerOrder = new();
    private IBrokerSubscription? _subscription;

    private SocketDirectory(ActorSystem system, IBroker broker, ClusterTopology topology, string nodeId, Func<string, IActorRef?> lookup, SocketDirectorySettings settings)
    {
        _broker = broker;
        _topology = topology;
        _lookup = lookup;
        _settings = settings;
        NodeId = nodeId;
        _logger = ActorSystemLogging.LoggerFactoryOf(system).CreateLogger("SocketIo.Actors.Cluster.Sharding.SocketDirectory");
        _serializer = settings.Serializer ?? new JsonShardingSerializer(settings.MessageTypes);
        _publisher = new SerialPublisher(broker, _logger, "Socket directory", settings.PublishRetryTimeout);
        _replies = new ReplyChannel(system, _serializer, _publisher, _logger, "Socket directory", nodeId, topology.RequestExchange.Name, topology.SocketDirectoryNodeKey(nodeId), settings.ReplyTimeout, TimeProvider.System);
    }

    /// <summary>This node's id.</summary>
    public string NodeId { get; }

    /// <summary>
    /// Starts the directory of node <paramref name="nodeId"/>: declares the request exchange and
    /// consumes the node's socket queue. <paramref name="lookup"/> returns the local socket actor of
    /// an id, or null; it is called on broker and caller threads, so it must be thread-safe and fast.
    /// </summary>
    /// <exception cref="BrokerException">Subscribing failed.</exception>
    public static async Task<SocketDirectory> StartAsync(
        ActorSystem system,
        IBroker broker,
        ClusterTopology topology,
        string nodeId,
        Func<string, IActorRef?> lookup,
        SocketDirectorySettings? settings = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(broker);
        ArgumentNullException.ThrowIfNull(topology);
        ArgumentException.ThrowIfNullOrEmpty(nodeId);
        ArgumentNullException.ThrowIfNull(lookup);
        var directory = new SocketDirectory(system, broker, topology, nodeId, lookup, settings ?? new SocketDirectorySettings());
        try
        {
            await broker.DeclareExchangeAsync(topology.RequestExchange, cancellationToken).ConfigureAwait(false);
            directory._subscription = await broker.SubscribeAsync(
                QueueSpec.Exclusive(
                    topology.SocketDirectoryQueue(nodeId),
                    new QueueBinding(topology.RequestExchange.Name, topology.SocketDirectoryNodeKey(nodeId)),
                    new QueueBinding(topology.RequestExchange.Name, topology.SocketDirectoryAllKey)),
                directory.HandleAsync,
                cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await directory.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        ShardingLog.DirectoryStarted(directory._logger, nodeId);
        return directory;
    }

    /// <summary>
    /// Sends <paramref name="message"/> to socket <paramref name="socketId"/> wherever it is, as
    /// from <paramref name="sender"/> (which may be replied to across nodes). Returns at once.
    /// </summary>
    /// <exception cref="ShardingSerializationException">The socket is not local and the message type is not registered.</exception>
    public void Tell(string socketId, object message, IActorRef? sender = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(socketId);
        ArgumentNullException.ThrowIfNull(message);
        if (_lookup(socketId) is { } local)
        {
            ShardingMetrics.SocketMessagesRouted.Add(1, new KeyValuePair<string, object?>("route", "local"));
            local.Tell(message, sender);
            return;
        }

        var owner = TryGetOwner(socketId, out var known) ? known : null;
        var body = _serializer.Serialize(message);
        var key = owner is null ? _topology.SocketDirectoryAllKey : _topology.SocketDirectoryNodeKey(owner);
        var headers = new Dictionary<string, string>
        {
            [ShardingHeaders.Kind] = ShardingHeaders.KindSocket,
            [ShardingHeaders.Target] = socketId,
            [ShardingHeaders.Manifest] = body.Manifest,
            [ShardingHeaders.Origin] = NodeId,
        };
        var outgoing = _replies.Stamp(new BrokerMessage(_topology.RequestExchange.Name, key, body.Payload), sender, headers);

        // Stamp keeps the origin of a forwarded remote sender; the directory's own origin must win.
        headers[ShardingHeaders.Origin] = NodeId;
        _publisher.Enqueue(outgoing);
        ShardingMetrics.SocketMessagesRouted.Add(1, new KeyValuePair<string, object?>("route", owner is null ? "all" : "node"));
    }

    /// <summary>The node that owns <paramref name="socketId"/>, as learnt from earlier deliveries (a hint, not a guarantee).</summary>
    public bool TryGetOwner(string socketId, out string nodeId)
    {
        lock (_cacheGate)
        {
            return _owners.TryGetValue(socketId, out nodeId!);
        }
    }

    /// <summary>Stops consuming and flushes queued messages.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_subscription is { } subscription)
        {
            try
            {
                await subscription.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is BrokerException or ObjectDisposedException)
            {
                // Connection already gone: the broker dropped the queue itself.
            }
        }

        await _publisher.DisposeAsync().ConfigureAwait(false);
        _replies.Dispose();
    }

    private ValueTask HandleAsync(BrokerDelivery delivery, CancellationToken cancellationToken)
    {
        var message = delivery.Message;
        var headers = message.Headers;
        var origin = headers.GetValueOrDefault(ShardingHeaders.Origin);
        var socketId = headers.GetValueOrDefault(ShardingHeaders.Target);
        switch (headers.GetValueOrDefault(ShardingHeaders.Kind))
        {
            case ShardingHeaders.KindReply:
                _replies.Deliver(delivery);
                break;
            case ShardingHeaders.KindSocket when origin is not null && socketId is not null:
                HandleSocketMessage(delivery, origin, socketId);
                break;
            case ShardingHeaders.KindLocated when origin is not null && socketId is not null:
                RememberOwner(socketId, origin);
                break;
            case ShardingHeaders.KindNotHere when origin is not null && socketId is not null:
                lock (_cacheGate)
                {
                    if (_owners.TryGetValue(socketId, out var cached) && cached == origin)
                    {
                        _owners.Remove(socketId);
                    }
                }

                break;
            default:
                ShardingLog.MalformedDelivery(_logger, "Socket directory", delivery.Queue, $"unknown kind '{headers.GetValueOrDefault(ShardingHeaders.Kind)}'");
                break;
        }

        return ValueTask.CompletedTask;
    }

    private void HandleSocketMessage(BrokerDelivery delivery, string origin, string socketId)
    {
        var message = delivery.Message;
        var toAll = message.RoutingKey == _topology.SocketDirectoryAllKey;
        if (toAll && origin == NodeId)
        {
            // Our own broadcast: the local lookup already missed before it was sent.
            return;
        }

        if (_lookup(socketId) is not { } socket)
        {
            if (!toAll)
            {
                ShardingLog.SocketNotHere(_logger, NodeId, socketId, origin);
                Notify(ShardingHeaders.KindNotHere, origin, socketId);
            }

            return;
        }

        object payload;
        try
        {
            payload = _replies.Decode(message.Headers.GetValueOrDefault(ShardingHeaders.Manifest) ?? string.Empty, message.Body);
        }
        catch (ShardingSerializationException ex)
        {
            ShardingLog.SocketMessageDropped(_logger, NodeId, socketId, ex.Message);
            return;
        }

        socket.Tell(payload, _replies.SenderOf(message));
        if (toAll && origin != NodeId)
        {
            Notify(ShardingHeaders.KindLocated, origin, socketId);
        }
    }

    private void Notify(string kind, string node, string socketId) =>
        _publisher.Enqueue(new BrokerMessage(_topology.RequestExchange.Name, _topology.SocketDirectoryNodeKey(node), ReadOnlyMemory<byte>.Empty)
        {
            Headers = new Dictionary<string, string>
            {
                [ShardingHeaders.Kind] = kind,
                [ShardingHeaders.Target] = socketId,
                [ShardingHeaders.Origin] = NodeId,
            },
        });

    private void RememberOwner(string socketId, string node)
    {
        lock (_cacheGate)
        {
            if (!_owners.ContainsKey(socketId))
            {
                _ownerOrder.Enqueue(socketId);
            }

            _owners[socketId] = node;
            while (_owners.Count > _settings.OwnerCacheSize && _ownerOrder.TryDequeue(out var oldest))
            {
                _owners.Remove(oldest);
            }
        }
    }
}
