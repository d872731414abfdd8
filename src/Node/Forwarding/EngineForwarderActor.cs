using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Cluster;
using SocketIo.Node.Forwarding.Internal;
using static SocketIo.Node.Forwarding.EngineForwardingProtocol;
using AkkaCluster = Akka.Cluster.Cluster;

namespace SocketIo.Node.Forwarding;

/// <summary>
/// One per node at <c>/user/engine-forwarder</c>: follows the members with the Socket.IO role (each one's sid tag
/// and forwarder, handed to <see cref="EngineSessionForwarder"/>; a member that becomes unreachable or is removed
/// is dropped at once, failing what waits on it), and receives the other nodes' forwarding messages, which it hands
/// to the forwarder without waiting: a forwarded request or relay runs beside the actor, never in its mailbox.
/// A message that came in <see cref="Fragment"/>s is read when its last part arrives and handled right then, before
/// whatever its sender sent after it.
/// </summary>
public sealed class EngineForwarderActor : ReceiveActor
{
    /// <summary>The largest message accepted in fragments (a bound on what a half-sent message can hold).</summary>
    private const int MaxAssembledBytes = 256 * 1024 * 1024;

    private readonly EngineSessionForwarder _forwarder;
    private readonly string _role;
    private readonly HashSet<UniqueAddress> _unreachable = [];
    private readonly Dictionary<Guid, Assembly> _assemblies = [];

    public EngineForwarderActor(EngineSessionForwarder forwarder, string role)
    {
        _forwarder = forwarder;
        _role = role;
        Receive<ClusterEvent.UnreachableMember>(HandleUnreachable);
        Receive<ClusterEvent.ReachableMember>(HandleReachable);
        Receive<ClusterEvent.IMemberEvent>(HandleMemberEvent);
        Receive<Fragment>(HandleFragment);
        Receive<IForwardingMessage>(HandleForwarding);
    }

    /// <summary>The actor's props.</summary>
    public static Props Props(EngineSessionForwarder forwarder, string role) =>
        Akka.Actor.Props.Create(() => new EngineForwarderActor(forwarder, role));

    protected override void PreStart() =>
        AkkaCluster.Get(Context.System).Subscribe(Self, ClusterEvent.InitialStateAsEvents,
            typeof(ClusterEvent.IMemberEvent), typeof(ClusterEvent.IReachabilityEvent));

    protected override void PostStop() => AkkaCluster.Get(Context.System).Unsubscribe(Self);

    private void HandleForwarding(IForwardingMessage message)
    {
        switch (message)
        {
            case ForwardHttpRequest m: _forwarder.ServeHttp(m, Sender); break;
            case CancelHttpRequest m: _forwarder.CancelServed(m.RequestId); break;
            case OpenRelay m: _forwarder.ServeRelay(m, Sender); break;
            case ForwardedHttpResponse m: _forwarder.CompletePending(m.RequestId, m); break;
            case RelayOpened m: _forwarder.CompletePending(m.RelayId, m); break;
            case RelayFrame m: _forwarder.DeliverFrame(m); break;
            case RelayClosed m: _forwarder.DeliverClosed(m.RelayId); break;
            case RelayAck m: _forwarder.DeliverAck(m.RelayId, m.Bytes); break;
        }
    }

    private void HandleFragment(Fragment fragment)
    {
        if (!_assemblies.TryGetValue(fragment.MessageId, out var assembly))
        {
            if (fragment.TotalLength is <= 0 or > MaxAssembledBytes)
            {
                ForwardingLog.FragmentDropped(_forwarder.Logger, Sender.Path.Address.ToString(), $"announced {fragment.TotalLength} bytes");
                return;
            }

            assembly = new Assembly(Sender.Path.Address, new byte[fragment.TotalLength]);
            _assemblies[fragment.MessageId] = assembly;
        }

        if (assembly.Received + fragment.Part.Length > assembly.Bytes.Length)
        {
            _assemblies.Remove(fragment.MessageId);
            ForwardingLog.FragmentDropped(_forwarder.Logger, assembly.From.ToString(), "more bytes than announced");
            return;
        }

        fragment.Part.CopyTo(assembly.Bytes, assembly.Received);
        assembly.Received += fragment.Part.Length;
        if (assembly.Received < assembly.Bytes.Length) return;
        _assemblies.Remove(fragment.MessageId);
        try
        {
            if (_forwarder.Serializer.FromBinary(assembly.Bytes, fragment.Manifest) is IForwardingMessage message and not Fragment)
                HandleForwarding(message);
        }
        catch (SerializationException e)
        {
            ForwardingLog.FragmentDropped(_forwarder.Logger, assembly.From.ToString(), e.Message);
        }
    }

    private void HandleMemberEvent(ClusterEvent.IMemberEvent e)
    {
        var member = e.Member;
        if (!member.HasRole(_role) || member.UniqueAddress.Equals(AkkaCluster.Get(Context.System).SelfUniqueAddress)) return;
        if (member.Status is MemberStatus.Removed or MemberStatus.Down)
        {
            _unreachable.Remove(member.UniqueAddress);
            DropAssembliesFrom(member.Address);
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

    /// <summary>A member that is gone never sends the rest of its half-sent messages.</summary>
    private void DropAssembliesFrom(Address member)
    {
        foreach (var (id, assembly) in _assemblies.ToArray())
        {
            if (assembly.From.Equals(member)) _assemblies.Remove(id);
        }
    }

    private sealed class Assembly(Address from, byte[] bytes)
    {
        public Address From { get; } = from;
        public byte[] Bytes { get; } = bytes;
        public int Received { get; set; }
    }
}
