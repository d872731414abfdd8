using Akka.Actor;
using Akka.Cluster;
using static SocketIo.Node.Forwarding.EngineForwardingProtocol;
using AkkaCluster = Akka.Cluster.Cluster;

namespace SocketIo.Node.Forwarding;

/// <summary>
/// One per node at <c>/user/engine-forwarder</c>: follows the members with the Socket.IO role (each one's sid tag
/// and forwarder, handed to <see cref="EngineSessionForwarder"/>; a member that becomes unreachable or is removed
/// is dropped at once, failing what waits on it), and receives the other nodes' forwarding messages, which it hands
/// to the forwarder without waiting: a forwarded request or relay runs beside the actor, never in its mailbox.
/// </summary>
public sealed class EngineForwarderActor : ReceiveActor
{
    private readonly EngineSessionForwarder _forwarder;
    private readonly string _role;
    private readonly HashSet<UniqueAddress> _unreachable = [];

    public EngineForwarderActor(EngineSessionForwarder forwarder, string role)
    {
        _forwarder = forwarder;
        _role = role;
        Receive<ClusterEvent.UnreachableMember>(HandleUnreachable);
        Receive<ClusterEvent.ReachableMember>(HandleReachable);
        Receive<ClusterEvent.IMemberEvent>(HandleMemberEvent);
        Receive<ForwardHttpRequest>(m => _forwarder.ServeHttp(m, Sender));
        Receive<CancelHttpRequest>(m => _forwarder.CancelServed(m.RequestId));
        Receive<OpenRelay>(m => _forwarder.ServeRelay(m, Sender));
        Receive<ForwardedHttpResponse>(m => _forwarder.CompletePending(m.RequestId, m));
        Receive<RelayOpened>(m => _forwarder.CompletePending(m.RelayId, m));
        Receive<RelayFrame>(m => _forwarder.DeliverFrame(m));
        Receive<RelayClosed>(m => _forwarder.DeliverClosed(m.RelayId));
    }

    /// <summary>The actor's props.</summary>
    public static Props Props(EngineSessionForwarder forwarder, string role) =>
        Akka.Actor.Props.Create(() => new EngineForwarderActor(forwarder, role));

    protected override void PreStart() =>
        AkkaCluster.Get(Context.System).Subscribe(Self, ClusterEvent.InitialStateAsEvents,
            typeof(ClusterEvent.IMemberEvent), typeof(ClusterEvent.IReachabilityEvent));

    protected override void PostStop() => AkkaCluster.Get(Context.System).Unsubscribe(Self);

    private void HandleMemberEvent(ClusterEvent.IMemberEvent e)
    {
        var member = e.Member;
        if (!member.HasRole(_role) || member.UniqueAddress.Equals(AkkaCluster.Get(Context.System).SelfUniqueAddress)) return;
        if (member.Status is MemberStatus.Removed or MemberStatus.Down)
        {
            _unreachable.Remove(member.UniqueAddress);
            _forwarder.RemovePeer(member.UniqueAddress);
        }
        else if (!_unreachable.Contains(member.UniqueAddress))
        {
            // Joining, WeaklyUp, Up, Leaving, Exiting: its sessions are served until it is removed.
            _forwarder.AddPeer(member.UniqueAddress);
        }
    }

    private void HandleUnreachable(ClusterEvent.UnreachableMember e)
    {
        if (!e.Member.HasRole(_role)) return;
        _unreachable.Add(e.Member.UniqueAddress);
        _forwarder.RemovePeer(e.Member.UniqueAddress);
    }

    private void HandleReachable(ClusterEvent.ReachableMember e)
    {
        if (!e.Member.HasRole(_role) || !_unreachable.Remove(e.Member.UniqueAddress)) return;
        if (e.Member.Status is not (MemberStatus.Removed or MemberStatus.Down)) _forwarder.AddPeer(e.Member.UniqueAddress);
    }
}
