using SocketIo.Actors.Rooms;
using System.Collections.Immutable;
using Akka.Actor;
using Akka.Cluster;
using Newtonsoft.Json.Linq;
using SocketIo.Actors.Adapters;
using SocketIo.Actors.Cluster.Internal;
using SocketIo.Actors.Cluster.Membership;
using SocketIo.Actors.Namespaces;
using static SocketIo.Actors.Cluster.ClusterProtocol;
using AkkaCluster = Akka.Cluster.Cluster;

namespace SocketIo.Actors.Cluster.Adapter;

/// <summary>
/// A node's cluster actor (<c>/user/socketio-cluster</c>): follows Akka.Cluster's member and reachability events for
/// the members with the Socket.IO role, finds their cluster actors (<c>Identify</c>) and keeps
/// <see cref="ClusterNode.Membership"/> current; receives the <see cref="ClusterProtocol"/> messages of the other
/// nodes and applies them to this node's namespaces (local sockets only), answering requests to their sender.
/// </summary>
/// <remarks>
/// Messages from one node arrive here in the order that node sent them (one association per pair of nodes), and a
/// broadcast is handed to the namespace actor in that order, so <c>io.To("a").Emit(x); io.Emit(y)</c> reaches every
/// socket of this node in that order too. A message this actor cannot apply is logged and dropped.
/// </remarks>
internal sealed class ClusterNodeActor : ReceiveActor, IWithTimers
{
    private static readonly TimeSpan IdentifyRetry = TimeSpan.FromMilliseconds(200);

    private readonly ClusterNode _node;
    private readonly AkkaCluster _cluster;
    private readonly Dictionary<Address, Member> _up = [];
    private readonly HashSet<Address> _unreachable = [];
    private ImmutableDictionary<string, (IActorRef Actor, bool Reachable)> _peers = ImmutableDictionary<string, (IActorRef, bool)>.Empty.WithComparers(StringComparer.Ordinal);

    public ClusterNodeActor(ClusterNode node)
    {
        _node = node;
        _cluster = AkkaCluster.Get(Context.System);
        Receive<ClusterEvent.MemberUp>(e => HandleMemberUp(e.Member));
        Receive<ClusterEvent.MemberLeft>(e => HandleMemberGone(e.Member, MemberRemovalReason.Left));
        Receive<ClusterEvent.MemberExited>(e => HandleMemberGone(e.Member, MemberRemovalReason.Left));
        Receive<ClusterEvent.MemberRemoved>(e => HandleMemberGone(e.Member, MemberRemovalReason.Removed));
        Receive<ClusterEvent.MemberDowned>(e => HandleMemberGone(e.Member, MemberRemovalReason.Removed));
        Receive<ClusterEvent.IMemberEvent>(_ => { });
        Receive<ClusterEvent.UnreachableMember>(e => HandleUnreachable(e.Member));
        Receive<ClusterEvent.ReachableMember>(e => HandleReachable(e.Member));
        Receive<ActorIdentity>(HandleIdentity);
        Receive<IdentifyPeer>(e => Identify(e.Address));
        Receive<Terminated>(HandleTerminated);

        Receive<Broadcast>(HandleBroadcast);
        Receive<BroadcastWithAck>(HandleBroadcastWithAck);
        Receive<BroadcastReported>(m => _node.Requests.ClientCount(m.RequestId, Origin, m.Clients));
        Receive<ClientAnswered>(m => _node.Requests.ClientResponded(m.RequestId, Origin, m.Response));
        Receive<FetchSockets>(HandleFetchSockets);
        Receive<SocketsFound>(HandleSocketsFound);
        Receive<SocketsJoin>(m => HandleCommand(m.RequestId, m.Namespace, new NamespaceProtocol.ApplySocketsJoin(m.Target, m.Rooms)));
        Receive<SocketsLeave>(m => HandleCommand(m.RequestId, m.Namespace, new NamespaceProtocol.ApplySocketsLeave(m.Target, m.Rooms)));
        Receive<DisconnectSockets>(m => HandleCommand(m.RequestId, m.Namespace, new NamespaceProtocol.ApplyDisconnectSockets(m.Target, m.Close)));
        Receive<CommandApplied>(m => _node.Requests.Respond(m.RequestId, Origin, null));
        Receive<ServerSideEmit>(HandleServerSideEmit);
        Receive<ServerSideEmitAnswered>(m => _node.Requests.Respond(m.RequestId, Origin, m.Answer));
        Receive<RoomEventHappened>(m => Context.System.EventStream.Publish(new ClusterEvents.RemoteRoomEvent(Origin, m.Event)));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>The node id of the message's sender (its cluster actor's address).</summary>
    private string Origin => Sender.Path.Address.ToString();

    protected override void PreStart() =>
        _cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
            typeof(ClusterEvent.IMemberEvent), typeof(ClusterEvent.IReachabilityEvent));

    protected override void PostStop() => _cluster.Unsubscribe(Self);

    /// <summary>A message from another node could not be applied: log it and carry on with the next.</summary>
    protected override bool AroundReceive(Receive receive, object message)
    {
        try
        {
            if (message is ICrossNodeMessage) ClusterMetrics.Received.Add(1, ClusterMetrics.NodeTag(_node.NodeId));
            return base.AroundReceive(receive, message);
        }
        catch (Exception e) when (message is ICrossNodeMessage && e is FormatException or OverflowException or Newtonsoft.Json.JsonException or ArgumentException or InvalidOperationException)
        {
            ClusterLog.BadMessage(_node.Logger, e, _node.NodeId, message.GetType().Name, Origin);
            return true;
        }
    }

    // --- membership ---------------------------------------------------------------------------------

    private bool IsPeer(Member member) => member.Address != _cluster.SelfAddress && member.HasRole(_node.Options.Role);

    private void HandleMemberUp(Member member)
    {
        if (!IsPeer(member)) return;
        _up[member.Address] = member;
        Identify(member.Address);
    }

    private void Identify(Address address)
    {
        if (!_up.ContainsKey(address)) return;
        Context.ActorSelection(new RootActorPath(address) / "user" / ClusterNode.ActorName).Tell(new Identify(address));
    }

    private void HandleIdentity(ActorIdentity identity)
    {
        if (identity.MessageId is not Address address || !_up.ContainsKey(address)) return;
        if (identity.Subject is not { } actor)
        {
            // Its cluster actor is not started yet (the member joined before its server): ask again shortly.
            Timers.StartSingleTimer(address, new IdentifyPeer(address), IdentifyRetry);
            return;
        }
        var id = address.ToString();
        if (_peers.ContainsKey(id)) return;
        Context.Watch(actor);
        var reachable = !_unreachable.Contains(address);
        SetPeers(_peers.SetItem(id, (actor, reachable)));
        ClusterMetrics.MembersUp.Add(1, ClusterMetrics.NodeTag(_node.NodeId));
        ClusterLog.MemberUp(_node.Logger, id, _peers.Count);
        if (reachable) Context.System.EventStream.Publish(new ClusterEvents.MemberUp(new ClusterMember(id, true)));
    }

    private void HandleUnreachable(Member member)
    {
        if (!IsPeer(member)) return;
        _unreachable.Add(member.Address);
        var id = member.Address.ToString();
        if (!_peers.TryGetValue(id, out var peer) || !peer.Reachable) return;
        SetPeers(_peers.SetItem(id, (peer.Actor, false)));
        ClusterLog.MemberUnreachable(_node.Logger, id);
        Lost(id, MemberRemovalReason.Unreachable);
    }

    private void HandleReachable(Member member)
    {
        _unreachable.Remove(member.Address);
        var id = member.Address.ToString();
        if (!_peers.TryGetValue(id, out var peer) || peer.Reachable) return;
        SetPeers(_peers.SetItem(id, (peer.Actor, true)));
        ClusterLog.MemberReachable(_node.Logger, id);
        Context.System.EventStream.Publish(new ClusterEvents.MemberUp(new ClusterMember(id, true)));
    }

    private void HandleMemberGone(Member member, MemberRemovalReason reason)
    {
        if (!_up.Remove(member.Address)) return;
        _unreachable.Remove(member.Address);
        Timers.Cancel(member.Address);
        Remove(member.Address.ToString(), reason);
    }

    /// <summary>A peer's cluster actor stopped (its node is shutting down or quarantined): it no longer counts.</summary>
    private void HandleTerminated(Terminated terminated)
    {
        var id = terminated.ActorRef.Path.Address.ToString();
        if (_peers.TryGetValue(id, out var peer) && peer.Actor.Equals(terminated.ActorRef))
            Remove(id, MemberRemovalReason.Removed);
    }

    private void Remove(string id, MemberRemovalReason reason)
    {
        if (!_peers.TryGetValue(id, out var peer)) return;
        Context.Unwatch(peer.Actor);
        SetPeers(_peers.Remove(id));
        ClusterMetrics.MembersRemoved.Add(1, ClusterMetrics.NodeTag(_node.NodeId), new KeyValuePair<string, object?>("reason", reason.ToString()));
        ClusterLog.MemberRemoved(_node.Logger, id, reason.ToString(), _peers.Count);
        // A member that was unreachable was crossed off the requests then; crossing off again is harmless. The
        // event goes out either way: subscribers act on a removal for good, not only on unreachability.
        Lost(id, reason);
    }

    private void Lost(string id, MemberRemovalReason reason)
    {
        _node.Requests.NodeLost(id);
        Context.System.EventStream.Publish(new ClusterEvents.MemberRemoved(new ClusterMember(id, false), reason));
    }

    private void SetPeers(ImmutableDictionary<string, (IActorRef Actor, bool Reachable)> peers)
    {
        _peers = peers;
        _node.Membership.Set(peers);
    }

    // --- messages from other nodes ------------------------------------------------------------------

    private void HandleBroadcast(Broadcast m) =>
        _node.Find(m.Namespace)?.Actor.Tell(new NamespaceProtocol.RemoteBroadcast(m.Packet, m.Target, null), ActorRefs.NoSender);

    private void HandleBroadcastWithAck(BroadcastWithAck m)
    {
        var reporter = new RemoteAckReporter(Sender, Self, m.RequestId);
        if (_node.Find(m.Namespace) is { } nsp)
            nsp.Actor.Tell(new NamespaceProtocol.RemoteBroadcast(m.Packet, m.Target, reporter), ActorRefs.NoSender);
        else
            reporter.ServerReported(0);
    }

    private void HandleFetchSockets(FetchSockets m)
    {
        var replyTo = Sender;
        var nsp = _node.Find(m.Namespace);
        if (nsp is null)
        {
            replyTo.Tell(new SocketsFound(m.RequestId, m.Namespace, []), Self);
            return;
        }
        var self = Self;
        nsp.Actor.Ask<NamespaceProtocol.SocketsFound>(new NamespaceProtocol.GetSockets(m.Target), _node.Options.RequestTimeout)
            .ContinueWith(t =>
            {
                // A namespace that does not answer in time is not answered for: the origin times out on this node.
                if (t.IsCompletedSuccessfully)
                    replyTo.Tell(new SocketsFound(m.RequestId, m.Namespace, [.. t.Result.Sockets.Select(ClusterCodec.Snapshot)]), self);
            }, TaskScheduler.Default);
    }

    private void HandleSocketsFound(SocketsFound m)
    {
        var origin = Origin;
        var nsp = _node.Find(m.Namespace);
        IReadOnlyList<RemoteSocket> sockets = nsp is null
            ? []
            : [.. m.Sockets.Select(s => new ClusterRemoteSocket(nsp, _node.Sockets, origin, s.Id, s.Handshake, s.Rooms, s.Data))];
        _node.Requests.Respond(m.RequestId, origin, sockets);
    }

    private void HandleCommand(string requestId, string nspName, object command)
    {
        var replyTo = Sender;
        var self = Self;
        if (_node.Find(nspName) is not { } nsp)
        {
            replyTo.Tell(new CommandApplied(requestId), self);
            return;
        }
        nsp.Actor.Ask<NamespaceProtocol.Done>(command, _node.Options.RequestTimeout).ContinueWith(t =>
        {
            if (t.IsCompletedSuccessfully) replyTo.Tell(new CommandApplied(requestId), self);
        }, TaskScheduler.Default);
    }

    private void HandleServerSideEmit(ServerSideEmit m)
    {
        var replyTo = Sender;
        var self = Self;
        _node.Find(m.Namespace)?.DispatchServerSideEmit(m.EventName, m.Args, m.RequestId is not { } id ? null : answer =>
            replyTo.Tell(new ServerSideEmitAnswered(id, answer), self));
    }

    /// <summary>Reports a remote broadcast's outcome on this node back to its origin node's cluster actor.</summary>
    private sealed class RemoteAckReporter(IActorRef origin, IActorRef self, string id) : IBroadcastAckReporter
    {
        public void ServerReported(int clients) => origin.Tell(new BroadcastReported(id, clients), self);

        public void ClientResponded(JToken? response) => origin.Tell(new ClientAnswered(id, response), self);
    }

    /// <summary>Timer tick: identify the cluster actor of the member at <paramref name="Address"/> again.</summary>
    private sealed record IdentifyPeer(Address Address);
}
