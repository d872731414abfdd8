using Akka.Actor;
using Microsoft.Extensions.Logging;
using SocketIo.Actors.Internal;

namespace SocketIo.Actors.Cluster.Sharding.Internal;

/// <summary>
/// One shard on the node that owns it: creates entities on demand (children named by the escaped
/// entity id), delivers their messages in arrival order, passivates them (on request or when
/// idle) while holding their messages, and stops with all its entities when the node loses the shard.
/// </summary>
internal sealed class ShardActor : ReceiveActor, IWithTimers
{
    private readonly int _shardId;
    private readonly string _typeName;
    private readonly Func<string, Props> _entityProps;
    private readonly TimeSpan? _idleTimeout;
    private readonly Dictionary<string, IActorRef> _entities = new(StringComparer.Ordinal);
    private readonly Dictionary<IActorRef, string> _ids = new();
    private readonly Dictionary<string, List<RegionProtocol.Deliver>> _passivating = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _lastActivity = new(StringComparer.Ordinal);
    private readonly ILogger _logger;

    public ShardActor(int shardId, string typeName, Func<string, Props> entityProps, TimeSpan? idleTimeout)
    {
        _shardId = shardId;
        _typeName = typeName;
        _entityProps = entityProps;
        _idleTimeout = idleTimeout;
        _logger = ActorSystemLogging.LoggerFactoryOf(Context.System).CreateLogger<ShardActor>();
        Receive<RegionProtocol.Deliver>(HandleDeliver);
        Receive<ShardRegionProtocol.Passivate>(HandlePassivate);
        Receive<Terminated>(HandleTerminated);
        Receive<IdleCheck>(_ => HandleIdleCheck());
        Receive<RegionProtocol.GetShardState>(_ => Sender.Tell(new ShardRegionProtocol.ShardState(_shardId, [.. _entities.Keys.Where(id => !_passivating.ContainsKey(id)).Order(StringComparer.Ordinal)])));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart()
    {
        if (_idleTimeout is { } idle)
        {
            var period = TimeSpan.FromTicks(Math.Max(idle.Ticks / 2, TimeSpan.FromMilliseconds(10).Ticks));
            Timers.StartPeriodicTimer("idle", IdleCheck.Instance, period);
        }
    }

    private void HandleDeliver(RegionProtocol.Deliver deliver)
    {
        if (_passivating.TryGetValue(deliver.EntityId, out var held))
        {
            held.Add(deliver);
            return;
        }

        var entity = _entities.TryGetValue(deliver.EntityId, out var existing) ? existing : StartEntity(deliver.EntityId);
        if (_idleTimeout is not null)
        {
            _lastActivity[deliver.EntityId] = Context.System.Scheduler.Now;
        }

        ShardingMetrics.MessagesDelivered.Add(1, ShardingMetrics.TypeTag(_typeName));
        entity.Tell(deliver.Message, deliver.Sender);
    }

    private IActorRef StartEntity(string entityId)
    {
        var entity = Context.ActorOf(_entityProps(entityId), EntityNames.Escape(entityId));
        Context.Watch(entity);
        _entities[entityId] = entity;
        _ids[entity] = entityId;
        ShardingMetrics.EntitiesStarted.Add(1, ShardingMetrics.TypeTag(_typeName));
        ShardingLog.EntityStarted(_logger, _typeName, entityId, _shardId);
        return entity;
    }

    private void HandlePassivate(ShardRegionProtocol.Passivate passivate)
    {
        if (_ids.TryGetValue(Sender, out var entityId))
        {
            BeginPassivation(entityId, Sender, passivate.StopMessage);
        }
    }

    private void BeginPassivation(string entityId, IActorRef entity, object stopMessage)
    {
        if (_passivating.TryAdd(entityId, []))
        {
            _lastActivity.Remove(entityId);
            entity.Tell(stopMessage, Self);
        }
    }

    private void HandleTerminated(Terminated terminated)
    {
        if (!_ids.Remove(terminated.ActorRef, out var entityId))
        {
            return;
        }

        _entities.Remove(entityId);
        _lastActivity.Remove(entityId);
        if (_passivating.Remove(entityId, out var held))
        {
            ShardingLog.EntityPassivated(_logger, _typeName, entityId);

            // Messages that came while it was stopping go to a fresh incarnation, in order.
            foreach (var deliver in held)
            {
                HandleDeliver(deliver);
            }
        }
    }

    private void HandleIdleCheck()
    {
        var cutoff = Context.System.Scheduler.Now - _idleTimeout!.Value;
        foreach (var (entityId, last) in _lastActivity.Where(e => e.Value <= cutoff).ToList())
        {
            if (_entities.TryGetValue(entityId, out var entity))
            {
                BeginPassivation(entityId, entity, PoisonPill.Instance);
            }
        }
    }

    private sealed class IdleCheck
    {
        public static readonly IdleCheck Instance = new();
    }
}
