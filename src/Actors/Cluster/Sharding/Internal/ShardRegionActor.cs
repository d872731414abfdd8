using Akka.Actor;
using SocketIo.Actors.Internal;

namespace SocketIo.Actors.Cluster.Sharding.Internal;

/// <summary>
/// One node's region of an entity type. Outgoing: every entity message is published to its
/// shard's key (even for a shard owned here, so all messages of a shard pass through one queue and
/// keep their per-sender order). Incoming: deliveries from shard queues this node is the active
/// consumer of go to a shard child (created on demand), which runs the entities. Ownership comes
/// from the broker; the region only tracks it, stops a shard's entities when it moves away, and
/// hands excess shards over when a region node joins.
/// </summary>
internal sealed class ShardRegionActor : ReceiveActor
{
    private readonly RegionRuntime _runtime;
    private readonly Func<string, Props> _entityProps;
    private readonly IMessageExtractor _extractor;
    private readonly Dictionary<int, IActorRef> _shards = [];
    private readonly SortedSet<int> _owned = [];
    private readonly HashSet<string> _nodes = new(StringComparer.Ordinal);
    private readonly Dictionary<int, RegionProtocol.HandOff> _handOffs = [];
    private readonly Dictionary<string, DateTimeOffset> _yielded = new(StringComparer.Ordinal);
    private readonly Microsoft.Extensions.Logging.ILogger _logger;
    private long _incarnation;

    public ShardRegionActor(RegionRuntime runtime, Func<string, Props> entityProps, IMessageExtractor extractor)
    {
        _runtime = runtime;
        _entityProps = entityProps;
        _extractor = extractor;
        _logger = runtime.Logger;
        _nodes.Add(runtime.NodeId);
        Receive<RegionProtocol.Deliver>(HandleDeliver);
        Receive<RegionProtocol.ShardActivityChanged>(HandleShardActivityChanged);
        Receive<RegionProtocol.NodeAnnounced>(HandleNodeAnnounced);
        Receive<RegionProtocol.NodeLeft>(left => HandleNodeGone(left.NodeId));
        Receive<ShardRegionProtocol.MemberRemoved>(removed => HandleNodeGone(removed.NodeId));
        Receive<RegionProtocol.HandOff>(HandleHandOff);
        Receive<ShardRegionProtocol.GetShardRegionState>(_ => HandleGetShardRegionState());
        ReceiveAsync<ShardRegionProtocol.GracefulShutdown>(_ => HandleGracefulShutdownAsync());
        ReceiveAny(HandleEntityMessage);
    }

    protected override void PostStop()
    {
        // Stopped without GracefulShutdown (e.g. the system terminates): still leave the broker side.
        _ = _runtime.DisposeAsync().AsTask();
    }

    private void HandleEntityMessage(object message)
    {
        var typeName = message.GetType().FullName ?? message.GetType().Name;
        if (_extractor.EntityId(message) is not { Length: > 0 } entityId)
        {
            ShardingMetrics.MessagesDropped.Add(1, ShardingMetrics.TypeTag(_runtime.TypeName));
            ShardingLog.NoEntityId(_logger, _runtime.TypeName, typeName);
            Context.System.DeadLetters.Tell(message, Sender);
            return;
        }

        var shardId = _extractor.ShardId(message);
        if (shardId < 0 || shardId >= _runtime.Settings.ShardCount)
        {
            ShardingMetrics.MessagesDropped.Add(1, ShardingMetrics.TypeTag(_runtime.TypeName));
            ShardingLog.ShardOutOfRange(_logger, _runtime.TypeName, shardId, typeName, _runtime.Settings.ShardCount - 1);
            return;
        }

        var entityMessage = _extractor.EntityMessage(message);
        try
        {
            _runtime.PublishEntityMessage(shardId, entityId, entityMessage, Sender);
        }
        catch (ShardingSerializationException ex)
        {
            // Fail an Ask at once instead of letting it time out.
            ShardingMetrics.MessagesDropped.Add(1, ShardingMetrics.TypeTag(_runtime.TypeName));
            ShardingLog.NotSerializable(_logger, _runtime.TypeName, entityMessage.GetType().FullName ?? entityMessage.GetType().Name, ex.Message);
            if (!ShardRegionProtocol.IsNoSender(Sender) && !Sender.Equals(Context.System.DeadLetters))
            {
                Sender.Tell(new Status.Failure(ex), Self);
            }
        }
    }

    private void HandleDeliver(RegionProtocol.Deliver deliver)
    {
        if (!_owned.Contains(deliver.ShardId))
        {
            if (!_runtime.IsShardActive(deliver.ShardId))
            {
                // Handled by our consumer just before it lost the shard; unacknowledged, so the
                // broker gives it to the new owner (see docs/SHARDING.md).
                ShardingLog.DeliveryAfterOwnershipLost(_logger, _runtime.TypeName, deliver.ShardId);
                return;
            }

            AddOwned(deliver.ShardId);
        }

        if (!_shards.TryGetValue(deliver.ShardId, out var shard))
        {
            var shardId = deliver.ShardId;
            var props = ActorProps.Of(() => new ShardActor(shardId, _runtime.TypeName, _entityProps, _runtime.Settings.PassivateIdleEntityAfter));
            shard = Context.ActorOf(props, $"shard-{shardId}-{++_incarnation}");
            _shards[shardId] = shard;
        }

        shard.Tell(deliver, Self);
    }

    private void HandleShardActivityChanged(RegionProtocol.ShardActivityChanged changed)
    {
        var shardId = changed.ShardId;
        var active = _runtime.IsShardActive(shardId);
        if (active && !_owned.Contains(shardId))
        {
            AddOwned(shardId);
        }
        else if (!active && _owned.Remove(shardId))
        {
            ShardingMetrics.ShardsOwned.Add(-1, ShardingMetrics.TypeTag(_runtime.TypeName), ShardingMetrics.NodeTag(_runtime.NodeId));
            if (_shards.Remove(shardId, out var shard))
            {
                Context.Stop(shard);
            }

            ShardingLog.ShardLost(_logger, _runtime.TypeName, _runtime.NodeId, shardId);
        }
    }

    private void AddOwned(int shardId)
    {
        _owned.Add(shardId);
        ShardingMetrics.ShardsOwned.Add(1, ShardingMetrics.TypeTag(_runtime.TypeName), ShardingMetrics.NodeTag(_runtime.NodeId));
        ShardingLog.ShardOwned(_logger, _runtime.TypeName, _runtime.NodeId, shardId);

        // A hand-off towards another node passes through here: yield once more.
        if (_handOffs.TryGetValue(shardId, out var handOff) && handOff.Target != _runtime.NodeId)
        {
            TryYield(handOff);
        }
    }

    private void HandleNodeAnnounced(RegionProtocol.NodeAnnounced announced)
    {
        if (announced.NodeId == _runtime.NodeId)
        {
            return;
        }

        var isNew = _nodes.Add(announced.NodeId);
        if (isNew)
        {
            ShardingLog.RegionNodeJoined(_logger, _runtime.TypeName, _runtime.NodeId, announced.NodeId, _nodes.Count);
        }

        if (!announced.Joined)
        {
            return;
        }

        _runtime.Announce(ShardingHeaders.KindHelloBack, _runtime.NodeKey(announced.NodeId));
        if (isNew && _runtime.Settings.RebalanceOnJoin)
        {
            Rebalance(announced.NodeId);
        }
    }

    /// <summary>
    /// Hands this node's shards above its share (ShardCount / known region nodes, rounded up) over
    /// to <paramref name="target"/>. The broker cannot be told whom to make active, so each shard
    /// is yielded (consumer cancelled and re-added last in line) by every node it passes through
    /// until it reaches the target; the announcement tells those nodes to do so once.
    /// </summary>
    private void Rebalance(string target)
    {
        var share = (_runtime.Settings.ShardCount + _nodes.Count - 1) / _nodes.Count;
        var excess = _owned.Count - share;
        if (excess <= 0)
        {
            return;
        }

        ShardingLog.Rebalancing(_logger, _runtime.TypeName, _runtime.NodeId, _owned.Count, share, excess, target);

        // Spread the choice so that nodes yielding to the same target do not pick the same shard numbers.
        var chosen = _owned.OrderBy(s => HashCodeMessageExtractor.StableHash($"{target}/{s}")).Take(excess).ToList();
        foreach (var shardId in chosen)
        {
            var handOff = new RegionProtocol.HandOff(shardId, target, Guid.NewGuid().ToString("N"), _runtime.NodeId);
            _handOffs[shardId] = handOff;
            _runtime.AnnounceHandOff(shardId, target, handOff.HandOffId);
            TryYield(handOff);
        }
    }

    private void HandleHandOff(RegionProtocol.HandOff handOff)
    {
        if (handOff.Origin == _runtime.NodeId)
        {
            return;
        }

        _handOffs[handOff.ShardId] = handOff;
        if (handOff.Target != _runtime.NodeId && _owned.Contains(handOff.ShardId))
        {
            TryYield(handOff);
        }
    }

    private void TryYield(RegionProtocol.HandOff handOff)
    {
        var now = Context.System.Scheduler.Now;
        foreach (var (id, at) in _yielded.Where(e => now - e.Value > _runtime.Settings.HandOffTimeout).ToList())
        {
            _yielded.Remove(id);
            _handOffs.Where(h => h.Value.HandOffId == id).Select(h => h.Key).ToList().ForEach(s => _handOffs.Remove(s));
        }

        // Each node yields a shard at most once per hand-off, so a hand-off whose target is gone
        // ends on the first node that sees it twice instead of circling forever.
        if (!_yielded.TryAdd(handOff.HandOffId, now))
        {
            return;
        }

        ShardingLog.YieldingShard(_logger, _runtime.TypeName, _runtime.NodeId, handOff.ShardId, handOff.HandOffId, handOff.Target);
        _ = _runtime.YieldShardAsync(handOff.ShardId);
    }

    private void HandleNodeGone(string nodeId)
    {
        if (nodeId == _runtime.NodeId)
        {
            return;
        }

        if (_nodes.Remove(nodeId))
        {
            ShardingLog.RegionNodeLeft(_logger, _runtime.TypeName, _runtime.NodeId, nodeId, _nodes.Count);
        }

        // Its shards went to other consumers; probing makes each new owner (maybe us) know it now.
        _ = _runtime.ProbeAllQuietlyAsync();
    }

    private void HandleGetShardRegionState()
    {
        var sender = Sender;
        var owned = _owned.ToList();
        var queries = owned.Select(shardId => _shards.TryGetValue(shardId, out var shard)
            ? shard.Ask<ShardRegionProtocol.ShardState>(RegionProtocol.GetShardState.Instance, TimeSpan.FromSeconds(5))
                .ContinueWith(t => t.IsCompletedSuccessfully ? t.Result : new ShardRegionProtocol.ShardState(shardId, []), TaskScheduler.Default)
            : Task.FromResult(new ShardRegionProtocol.ShardState(shardId, [])));
        Task.WhenAll(queries)
            .ContinueWith(t => new ShardRegionProtocol.CurrentShardRegionState([.. t.Result.OrderBy(s => s.ShardId)]), TaskScheduler.Default)
            .PipeTo(sender, Self);
    }

    private async Task HandleGracefulShutdownAsync()
    {
        var sender = Sender;
        await _runtime.DisposeAsync();
        sender.Tell(ShardRegionProtocol.ShutdownCompleted.Instance, Self);
        Context.Stop(Self);
    }
}
