using System.Collections.Concurrent;
using Akka.Actor;
using SocketIo.Actors.Cluster.Membership;
using SocketIo.Actors.Cluster.Sharding;

namespace SocketIo.Node.Apps;

/// <summary>
/// Keeps the demo regions in step with the cluster on one node. When membership removes a node
/// (<see cref="ClusterEvents.MemberRemoved"/>) it tells every region (<see cref="ShardRegionProtocol.MemberRemoved"/>,
/// so the new owners of that node's shards learn it at once), marks the node gone for the username entities
/// (its sockets no longer hold names), and re-claims the names of this node's sockets: the entities that
/// kept them may have died with that node. After a broker reconnect it re-claims them too, once the regions
/// have consumed their queues again (<see cref="ReclaimDelay"/>). A name taken by someone else meanwhile is
/// logged and stays the other socket's.
/// </summary>
public sealed partial class ClusterDemoRelayActor : ReceiveActor, IWithTimers
{
    /// <summary>Wait after a broker reconnect before re-claiming, so the shard queues exist again.</summary>
    public static readonly TimeSpan ReclaimDelay = TimeSpan.FromSeconds(2);

    private readonly string _nodeId;
    private readonly IReadOnlyList<IActorRef> _regions;
    private readonly IActorRef _usernames;
    private readonly ConcurrentDictionary<string, string> _localUsernames;
    private readonly ConcurrentDictionary<string, bool> _goneNodes;
    private readonly ILogger _logger;

    public ClusterDemoRelayActor(string nodeId, IReadOnlyList<IActorRef> regions, IActorRef usernames, ConcurrentDictionary<string, string> localUsernames, ConcurrentDictionary<string, bool> goneNodes, ILogger logger)
    {
        _nodeId = nodeId;
        _regions = regions;
        _usernames = usernames;
        _localUsernames = localUsernames;
        _goneNodes = goneNodes;
        _logger = logger;
        Receive<ClusterEvents.MemberRemoved>(HandleMemberRemoved);
        Receive<ClusterEvents.MemberUp>(up => _goneNodes.TryRemove(up.Member.NodeId, out _));
        Receive<BrokerRecovered>(_ => Timers.StartSingleTimer(ReclaimTick.Instance, ReclaimTick.Instance, ReclaimDelay));
        Receive<ReclaimTick>(_ => Reclaim());
        Receive<UsernameRegistryProtocol.Claimed>(_ => { });
        Receive<UsernameRegistryProtocol.Taken>(taken => Log.NameLost(_logger, taken.Name, _nodeId));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart()
    {
        Context.System.EventStream.Subscribe(Self, typeof(ClusterEvents.MemberRemoved));
        Context.System.EventStream.Subscribe(Self, typeof(ClusterEvents.MemberUp));
    }

    protected override void PostStop() => Context.System.EventStream.Unsubscribe(Self);

    private void HandleMemberRemoved(ClusterEvents.MemberRemoved removed)
    {
        _goneNodes[removed.Member.NodeId] = true;
        foreach (var region in _regions)
            region.Tell(new ShardRegionProtocol.MemberRemoved(removed.Member.NodeId), Self);
        Reclaim();
    }

    /// <summary>Claims again every name this node's sockets hold (idempotent for the holder).</summary>
    private void Reclaim()
    {
        var count = 0;
        foreach (var (socketId, name) in _localUsernames)
        {
            _usernames.Tell(new UsernameRegistryProtocol.Claim(name, socketId, _nodeId), Self);
            count++;
        }
        if (count > 0) Log.Reclaiming(_logger, count, _nodeId);
    }

    /// <summary>The node's broker connection came back.</summary>
    public sealed record BrokerRecovered
    {
        public static readonly BrokerRecovered Instance = new();
        private BrokerRecovered() { }
    }

    private sealed record ReclaimTick
    {
        public static readonly ReclaimTick Instance = new();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 5110, Level = LogLevel.Information, Message = "re-claiming {Count} chat usernames of node {NodeId} after a cluster change")]
        public static partial void Reclaiming(ILogger logger, int count, string nodeId);

        [LoggerMessage(EventId = 5111, Level = LogLevel.Warning, Message = "chat username {Name} of node {NodeId} was taken by another socket during a failover")]
        public static partial void NameLost(ILogger logger, string name, string nodeId);
    }
}
