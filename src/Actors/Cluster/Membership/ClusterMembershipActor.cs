using System.Collections.Immutable;
using Akka.Actor;
using Microsoft.Extensions.Logging;
using SocketIo.Actors.Cluster.Internal;
using static SocketIo.Actors.Cluster.Membership.MembershipProtocol;

namespace SocketIo.Actors.Cluster.Membership;

/// <summary>
/// One per node. Announces this node (an initial heartbeat at start and after a broker recovery, then one
/// every heartbeat interval), tracks the other members with the time each was last heard from (on the actor
/// system's <see cref="TimeProvider"/>, so specs drive it with a manual clock), removes a member that said it
/// leaves at once and one silent for the heartbeat timeout at the next tick. Every change updates the
/// <see cref="MembershipView"/>, is logged and counted, and is published on the event stream as
/// <see cref="ClusterEvents.MemberUp"/> / <see cref="ClusterEvents.MemberRemoved"/>.
/// </summary>
internal sealed class ClusterMembershipActor : ReceiveActor, IWithTimers
{
    private readonly ClusterMember _self;
    private readonly TimeSpan _interval;
    private readonly TimeSpan _timeout;
    private readonly Action<EnvelopeType> _announce;
    private readonly MembershipView _view;
    private readonly ILogger _logger;
    private readonly Dictionary<string, (ClusterMember Member, DateTimeOffset LastSeen)> _members = new(StringComparer.Ordinal);
    private DateTimeOffset? _lastTick;
    private bool _stopped;

    /// <param name="self">This node.</param>
    /// <param name="interval">Heartbeat interval.</param>
    /// <param name="timeout">Silence after which a member is removed.</param>
    /// <param name="announce">Publishes this node's heartbeat of the given type (non-blocking).</param>
    /// <param name="view">The shared view this actor keeps up to date.</param>
    /// <param name="logger">Where membership changes are logged.</param>
    public ClusterMembershipActor(ClusterMember self, TimeSpan interval, TimeSpan timeout, Action<EnvelopeType> announce, MembershipView view, ILogger logger)
    {
        _self = self;
        _interval = interval;
        _timeout = timeout;
        _announce = announce;
        _view = view;
        _logger = logger;
        Receive<Tick>(_ => HandleTick());
        Receive<HeartbeatReceived>(HandleHeartbeat);
        Receive<LeftReceived>(left => Remove(left.NodeId, MemberRemovalReason.Left));
        Receive<Reannounce>(_ => HandleReannounce());
        Receive<StopHeartbeats>(_ => HandleStop());
        Receive<GetMembers>(_ => Sender.Tell(new CurrentMembers([.. _members.Values.Select(m => m.Member)])));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    private DateTimeOffset Now => Context.System.Scheduler.Now;

    protected override void PreStart()
    {
        _announce(EnvelopeType.InitialHeartbeat);
        Timers.StartPeriodicTimer("heartbeat", Tick.Instance, _interval);
    }

    private void HandleTick()
    {
        if (_stopped) return;
        _announce(EnvelopeType.Heartbeat);
        var now = Now;
        var sinceLastTick = _lastTick is { } last ? now - last : TimeSpan.Zero;
        _lastTick = now;
        if (sinceLastTick >= _timeout)
        {
            // This node is the one that stalled (SIGSTOP, starvation): the others' heartbeats are still
            // queued behind this tick. Declaring them dead would make everything that reacts to a member
            // leaving run here for nothing, so each member gets a fresh timeout instead.
            ClusterLog.ResumedAfterStall(_logger, _self.NodeId, sinceLastTick);
            foreach (var (id, entry) in _members.ToList())
                _members[id] = (entry.Member, now);
            return;
        }

        foreach (var (id, entry) in _members.ToList())
            if (now - entry.LastSeen >= _timeout)
                Remove(id, MemberRemovalReason.HeartbeatTimeout);
    }

    private void HandleHeartbeat(HeartbeatReceived heartbeat)
    {
        if (_stopped) return;
        var member = heartbeat.Member;
        var isNew = !_members.ContainsKey(member.NodeId);
        _members[member.NodeId] = (member, Now);
        // A newcomer (or a node re-announcing after a broker outage) learns about us without waiting a full interval.
        if (heartbeat.Initial) _announce(EnvelopeType.Heartbeat);
        if (!isNew) return;
        Publish();
        ClusterMetrics.MembersUp.Add(1, ClusterMetrics.NodeTag(_self.NodeId));
        ClusterLog.MemberUp(_logger, member.NodeId, member.Address, _members.Count);
        Context.System.EventStream.Publish(new ClusterEvents.MemberUp(member));
    }

    private void HandleReannounce()
    {
        if (_stopped) return;
        ClusterLog.Reannouncing(_logger, _self.NodeId);
        _announce(EnvelopeType.InitialHeartbeat);
    }

    private void HandleStop()
    {
        _stopped = true;
        Timers.CancelAll();
        Sender.Tell(Stopped.Instance);
    }

    private void Remove(string nodeId, MemberRemovalReason reason)
    {
        if (!_members.Remove(nodeId, out var entry)) return;
        Publish();
        _view.RaiseRemoved(nodeId);
        ClusterMetrics.MembersRemoved.Add(1, ClusterMetrics.NodeTag(_self.NodeId), new KeyValuePair<string, object?>("reason", reason.ToString()));
        ClusterLog.MemberRemoved(_logger, nodeId, reason.ToString(), _members.Count);
        Context.System.EventStream.Publish(new ClusterEvents.MemberRemoved(entry.Member, reason));
    }

    private void Publish() => _view.Set(_members.ToImmutableDictionary(m => m.Key, m => m.Value.Member, StringComparer.Ordinal));

    private sealed class Tick
    {
        public static readonly Tick Instance = new();
    }
}
