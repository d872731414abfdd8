using System.Collections.Concurrent;
using Akka.Actor;
using SocketIo.Actors.Cluster.Membership;

namespace SocketIo.Node.Apps;

/// <summary>
/// Keeps the demo's usernames in step with the cluster on one node. When another node stops counting
/// (<see cref="ClusterEvents.MemberRemoved"/>: left, unreachable or removed) it marks the node gone for the username
/// entities (its sockets no longer hold names) and, once the node is removed for good, re-claims the names of this
/// node's sockets: the entities that kept them may have died with that node's shards. A name taken by someone else
/// meanwhile is logged and stays the other socket's.
/// </summary>
public sealed partial class ClusterDemoRelayActor : ReceiveActor, IWithTimers
{
    private readonly string _nodeId;
    private readonly IActorRef _usernames;
    private readonly ConcurrentDictionary<string, string> _localUsernames;
    private readonly ConcurrentDictionary<string, bool> _goneNodes;
    private readonly ILogger _logger;

    public ClusterDemoRelayActor(string nodeId, IActorRef usernames, ConcurrentDictionary<string, string> localUsernames, ConcurrentDictionary<string, bool> goneNodes, ILogger logger)
    {
        _nodeId = nodeId;
        _usernames = usernames;
        _localUsernames = localUsernames;
        _goneNodes = goneNodes;
        _logger = logger;
        Receive<ClusterEvents.MemberRemoved>(HandleMemberRemoved);
        Receive<ClusterEvents.MemberUp>(up => _goneNodes.TryRemove(up.Member.NodeId, out _));
        Receive<ReclaimTick>(_ => Reclaim());
        Receive<UsernameRegistryProtocol.Claimed>(_ => { });
        Receive<UsernameRegistryProtocol.Taken>(taken => Log.NameLost(_logger, taken.Name, _nodeId));
    }

    /// <summary>When a removal's claims are repeated.</summary>
    public static readonly TimeSpan ReclaimAgainAfter = TimeSpan.FromSeconds(2);

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
        // Its shards restart elsewhere only once it is removed (downed or left): claim again then, and a moment
        // later once more, for shards whose new home was still being allocated at the first claim.
        if (removed.Reason == MemberRemovalReason.Unreachable) return;
        Reclaim();
        Timers.StartSingleTimer(ReclaimTick.Instance, ReclaimTick.Instance, ReclaimAgainAfter);
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
