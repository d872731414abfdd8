using System.Globalization;
using Akka.Actor;
using Microsoft.Extensions.Logging;
using SocketIo.Actors.Cluster.Broker;
using SocketIo.Actors.Internal;

namespace SocketIo.Actors.Cluster.Sharding.Internal;

/// <summary>
/// The broker side of one node's shard region: consumes every shard queue (the broker makes this
/// node the active consumer of some), the region's node queue (replies and announcements), and
/// publishes entity messages, replies and announcements in order. Decodes deliveries off the
/// actor threads and tells the region actor.
/// </summary>
internal sealed class RegionRuntime : IAsyncDisposable
{
    private readonly ActorSystem _system;
    private readonly IBroker _broker;
    private readonly ClusterTopology _topology;
    private readonly IShardingSerializer _serializer;
    private readonly SerialPublisher _publisher;
    private readonly IBrokerSubscription?[] _shards;
    private readonly SemaphoreSlim _subscriptionGate = new(1, 1);
    private IBrokerSubscription? _regionQueue;
    private IActorRef _region = ActorRefs.Nobody;
    private int _stopped;

    public RegionRuntime(ActorSystem system, IBroker broker, ClusterTopology topology, string nodeId, string typeName, ShardingSettings settings)
    {
        _system = system;
        _broker = broker;
        _topology = topology;
        NodeId = nodeId;
        TypeName = typeName;
        Settings = settings;
        Logger = ActorSystemLogging.LoggerFactoryOf(system).CreateLogger("SocketIo.Actors.Cluster.Sharding.ShardRegion");
        _serializer = settings.ResolveSerializer();
        var component = $"Shard region {typeName}";
        _publisher = new SerialPublisher(broker, Logger, component, settings.PublishRetryTimeout);
        Replies = new ReplyChannel(system, _serializer, _publisher, Logger, component, nodeId, topology.ShardExchange.Name, topology.ShardRegionNodeKey(typeName, nodeId), settings.ReplyTimeout, TimeProvider.System);
        _shards = new IBrokerSubscription?[settings.ShardCount];
    }

    public string NodeId { get; }

    public string TypeName { get; }

    public ShardingSettings Settings { get; }

    public ILogger Logger { get; }

    public ReplyChannel Replies { get; }

    /// <summary>Subscribes the region queue and every shard queue (starting at a node-specific shard, so nodes starting together split the shards), probes them, and announces this node.</summary>
    public async Task StartAsync(IActorRef region, CancellationToken cancellationToken)
    {
        _region = region;
        await _broker.DeclareExchangeAsync(_topology.ShardExchange, cancellationToken).ConfigureAwait(false);
        _regionQueue = await _broker.SubscribeAsync(
            QueueSpec.Exclusive(
                _topology.ShardRegionQueue(TypeName, NodeId),
                new QueueBinding(_topology.ShardExchange.Name, _topology.ShardRegionNodeKey(TypeName, NodeId)),
                new QueueBinding(_topology.ShardExchange.Name, _topology.ShardRegionAllKey(TypeName))),
            HandleRegionQueueAsync,
            cancellationToken).ConfigureAwait(false);

        var count = Settings.ShardCount;
        var first = HashCodeMessageExtractor.ShardIdFor(NodeId, count);
        for (var i = 0; i < count; i++)
        {
            var shard = (first + i) % count;
            _shards[shard] = await SubscribeShardAsync(shard, cancellationToken).ConfigureAwait(false);
        }

        _broker.ConnectionStateChanged += OnConnectionStateChanged;
        await ProbeAllAsync(cancellationToken).ConfigureAwait(false);
        Announce(ShardingHeaders.KindHello, _topology.ShardRegionAllKey(TypeName));
    }

    /// <summary>Whether this node is, as far as it knows, the active consumer (owner) of <paramref name="shardId"/>.</summary>
    public bool IsShardActive(int shardId) => Volatile.Read(ref _shards[shardId]) is { IsActive: true };

    /// <summary>Serializes <paramref name="message"/> and publishes it to its shard's key, with the reply address of <paramref name="sender"/>.</summary>
    /// <exception cref="ShardingSerializationException">Its type is not allowed.</exception>
    public void PublishEntityMessage(int shardId, string entityId, object message, IActorRef? sender)
    {
        var body = _serializer.Serialize(message);
        var headers = new Dictionary<string, string>
        {
            [ShardingHeaders.Target] = entityId,
            [ShardingHeaders.Manifest] = body.Manifest,
        };
        var outgoing = new BrokerMessage(_topology.ShardExchange.Name, _topology.ShardKey(TypeName, shardId), body.Payload);
        _publisher.Enqueue(Replies.Stamp(outgoing, sender, headers));
        ShardingMetrics.MessagesRouted.Add(1, ShardingMetrics.TypeTag(TypeName));
    }

    /// <summary>Publishes a hello/hello-back/bye of this node to <paramref name="routingKey"/>.</summary>
    public void Announce(string kind, string routingKey) =>
        _publisher.Enqueue(new BrokerMessage(_topology.ShardExchange.Name, routingKey, ReadOnlyMemory<byte>.Empty)
        {
            Headers = new Dictionary<string, string> { [ShardingHeaders.Kind] = kind, [ShardingHeaders.Origin] = NodeId },
        });

    /// <summary>The key of node <paramref name="nodeId"/>'s region queue.</summary>
    public string NodeKey(string nodeId) => _topology.ShardRegionNodeKey(TypeName, nodeId);

    /// <summary>Tells every region node that <paramref name="shardId"/> is handed over to <paramref name="target"/>.</summary>
    public void AnnounceHandOff(int shardId, string target, string handOffId) =>
        _publisher.Enqueue(new BrokerMessage(_topology.ShardExchange.Name, _topology.ShardRegionAllKey(TypeName), ReadOnlyMemory<byte>.Empty)
        {
            Headers = new Dictionary<string, string>
            {
                [ShardingHeaders.Kind] = ShardingHeaders.KindHandOff,
                [ShardingHeaders.Origin] = NodeId,
                [ShardingHeaders.Target] = target,
                [ShardingHeaders.Shard] = shardId.ToString(CultureInfo.InvariantCulture),
                [ShardingHeaders.HandOffId] = handOffId,
            },
        });

    /// <summary>
    /// Gives shard <paramref name="shardId"/> up without leaving: cancels this node's consumer (the
    /// broker makes the next consumer active) and consumes again, now last in line; then probes
    /// so the new owner learns it at once.
    /// </summary>
    public async Task YieldShardAsync(int shardId)
    {
        await _subscriptionGate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (Volatile.Read(ref _stopped) == 1 || _shards[shardId] is not { } old)
            {
                return;
            }

            Volatile.Write(ref _shards[shardId], null);
            await old.DisposeAsync().ConfigureAwait(false);
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    var fresh = await SubscribeShardAsync(shardId, CancellationToken.None).ConfigureAwait(false);
                    Volatile.Write(ref _shards[shardId], fresh);
                    await fresh.ProbeAsync().ConfigureAwait(false);
                    return;
                }
                catch (Exception ex) when (ex is BrokerException or InvalidOperationException && attempt < 20 && Volatile.Read(ref _stopped) == 0)
                {
                    ShardingLog.ResubscribeFailed(Logger, TypeName, NodeId, shardId, ex);
                    await Task.Delay(TimeSpan.FromMilliseconds(250 * attempt)).ConfigureAwait(false);
                }
            }
        }
        catch (Exception ex) when (ex is BrokerException or InvalidOperationException or ObjectDisposedException)
        {
            ShardingLog.ResubscribeFailed(Logger, TypeName, NodeId, shardId, ex);
        }
        finally
        {
            _subscriptionGate.Release();
        }
    }

    /// <summary>Says goodbye, cancels every consumer (each shard moves to the next node), flushes the publisher.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        _broker.ConnectionStateChanged -= OnConnectionStateChanged;
        if (_broker.State is BrokerConnectionState.Connected or BrokerConnectionState.Recovered)
        {
            Announce(ShardingHeaders.KindBye, _topology.ShardRegionAllKey(TypeName));
        }

        await _subscriptionGate.WaitAsync().ConfigureAwait(false);
        try
        {
            for (var i = 0; i < _shards.Length; i++)
            {
                if (Interlocked.Exchange(ref _shards[i], null) is { } subscription)
                {
                    await DisposeQuietlyAsync(subscription).ConfigureAwait(false);
                }
            }

            if (_regionQueue is { } regionQueue)
            {
                await DisposeQuietlyAsync(regionQueue).ConfigureAwait(false);
            }
        }
        finally
        {
            _subscriptionGate.Release();
        }

        await _publisher.DisposeAsync().ConfigureAwait(false);
        Replies.Dispose();
        ShardingLog.RegionStopped(Logger, TypeName, NodeId);
    }

    private static async Task DisposeQuietlyAsync(IBrokerSubscription subscription)
    {
        try
        {
            await subscription.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is BrokerException or ObjectDisposedException or InvalidOperationException)
        {
            // The connection is already gone; the broker has dropped the consumer itself.
        }
    }

    private async Task<IBrokerSubscription> SubscribeShardAsync(int shardId, CancellationToken cancellationToken)
    {
        var spec = QueueSpec.SingleActive(
            _topology.ShardQueue(TypeName, shardId),
            new QueueBinding(_topology.ShardExchange.Name, _topology.ShardKey(TypeName, shardId)));
        var subscription = await _broker.SubscribeAsync(spec, (delivery, _) => HandleShardDeliveryAsync(shardId, delivery), cancellationToken).ConfigureAwait(false);
        subscription.ActivityChanged += (_, _) => _region.Tell(new RegionProtocol.ShardActivityChanged(shardId), ActorRefs.NoSender);
        if (subscription.IsActive)
        {
            _region.Tell(new RegionProtocol.ShardActivityChanged(shardId), ActorRefs.NoSender);
        }

        return subscription;
    }

    /// <summary>Probes every shard queue; a broker failure is ignored (the next Recovered probes again).</summary>
    public async Task ProbeAllQuietlyAsync()
    {
        try
        {
            await ProbeAllAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is BrokerException or ObjectDisposedException or InvalidOperationException)
        {
            ShardingLog.PublishRetrying(Logger, $"Shard region {TypeName}", "probe failed: " + ex.Message);
        }
    }

    private async Task ProbeAllAsync(CancellationToken cancellationToken)
    {
        for (var shard = 0; shard < _shards.Length && Volatile.Read(ref _stopped) == 0; shard++)
        {
            // Re-read each slot: a hand-off (another node's hello) may have replaced and disposed the
            // subscription since the loop started; its replacement probes itself when it subscribes.
            if (Volatile.Read(ref _shards[shard]) is not { } subscription)
            {
                continue;
            }

            try
            {
                await subscription.ProbeAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (ObjectDisposedException) when (!ReferenceEquals(Volatile.Read(ref _shards[shard]), subscription))
            {
                // Handed off while we probed: nothing to do for this shard.
            }
        }
    }

    private void OnConnectionStateChanged(object? sender, BrokerConnectionStateChanged change)
    {
        if (change.Current != BrokerConnectionState.Recovered || Volatile.Read(ref _stopped) == 1)
        {
            return;
        }

        // After a reconnect this node is last in every shard's line; probing tells the owners
        // (possibly us) at once, and the hello makes nodes that forgot us know us again.
        _ = Task.Run(async () =>
        {
            try
            {
                await ProbeAllAsync(CancellationToken.None).ConfigureAwait(false);
                Announce(ShardingHeaders.KindHello, _topology.ShardRegionAllKey(TypeName));
            }
            catch (BrokerException)
            {
                // Lost again; the next Recovered probes again.
            }
        });
    }

    private ValueTask HandleShardDeliveryAsync(int shardId, BrokerDelivery delivery)
    {
        var message = delivery.Message;
        if (message.Headers.GetValueOrDefault(ShardingHeaders.Target) is not { Length: > 0 } entityId
            || message.Headers.GetValueOrDefault(ShardingHeaders.Manifest) is not { } manifest)
        {
            ShardingLog.MalformedDelivery(Logger, $"Shard region {TypeName}", delivery.Queue, "no entity id or message type");
            return ValueTask.CompletedTask;
        }

        object payload;
        try
        {
            payload = Replies.Decode(manifest, message.Body);
        }
        catch (ShardingSerializationException ex)
        {
            ShardingMetrics.MessagesDropped.Add(1, ShardingMetrics.TypeTag(TypeName));
            ShardingLog.UndecodableMessage(Logger, TypeName, entityId, ex.Message);
            return ValueTask.CompletedTask;
        }

        _region.Tell(new RegionProtocol.Deliver(shardId, entityId, payload, Replies.SenderOf(message)), ActorRefs.NoSender);
        return ValueTask.CompletedTask;
    }

    private ValueTask HandleRegionQueueAsync(BrokerDelivery delivery, CancellationToken cancellationToken)
    {
        var headers = delivery.Message.Headers;
        var origin = headers.GetValueOrDefault(ShardingHeaders.Origin);
        switch (headers.GetValueOrDefault(ShardingHeaders.Kind))
        {
            case ShardingHeaders.KindReply:
                Replies.Deliver(delivery);
                break;
            case ShardingHeaders.KindHello or ShardingHeaders.KindHelloBack when origin is not null:
                _region.Tell(new RegionProtocol.NodeAnnounced(origin, headers[ShardingHeaders.Kind] == ShardingHeaders.KindHello), ActorRefs.NoSender);
                break;
            case ShardingHeaders.KindBye when origin is not null:
                _region.Tell(new RegionProtocol.NodeLeft(origin), ActorRefs.NoSender);
                break;
            case ShardingHeaders.KindHandOff
                when origin is not null
                    && headers.GetValueOrDefault(ShardingHeaders.Target) is { } target
                    && headers.GetValueOrDefault(ShardingHeaders.HandOffId) is { } id
                    && int.TryParse(headers.GetValueOrDefault(ShardingHeaders.Shard), NumberStyles.None, CultureInfo.InvariantCulture, out var shard)
                    && shard < Settings.ShardCount:
                _region.Tell(new RegionProtocol.HandOff(shard, target, id, origin), ActorRefs.NoSender);
                break;
            default:
                ShardingLog.MalformedDelivery(Logger, $"Shard region {TypeName}", delivery.Queue, $"unknown kind '{headers.GetValueOrDefault(ShardingHeaders.Kind)}'");
                break;
        }

        return ValueTask.CompletedTask;
    }
}
