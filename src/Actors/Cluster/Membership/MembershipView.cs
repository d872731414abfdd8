using System.Collections.Immutable;
using Akka.Actor;

namespace SocketIo.Actors.Cluster.Membership;

/// <summary>
/// The other Socket.IO nodes as this node sees them, readable from any thread. Written only by this node's
/// cluster actor (from Akka.Cluster's member and reachability events); the adapters read it to know where to
/// send and which nodes a request waits for.
/// </summary>
public sealed class MembershipView
{
    private Snapshot _current = Snapshot.Empty;

    /// <summary>The other nodes that are up, by node id (this node excluded), reachable or not.</summary>
    public IReadOnlyDictionary<string, ClusterMember> Members => Volatile.Read(ref _current).Members;

    /// <summary>Ids of the other nodes that are up and reachable: the nodes a request waits for.</summary>
    public IReadOnlyCollection<string> NodeIds => Volatile.Read(ref _current).Reachable;

    /// <summary>The cluster actors of the other nodes that are up, reachable or not: where broadcasts go (Akka.Remote delivers to an unreachable node that comes back, in order).</summary>
    internal ImmutableArray<IActorRef> Actors => Volatile.Read(ref _current).Actors;

    /// <summary>
    /// The cluster actor of node <paramref name="nodeId"/> if it is up and reachable now, else null. Requests read
    /// <see cref="NodeIds"/>, start tracking, then ask each node through this: a node that became unreachable in
    /// between (its loss already reported to no tracked request) is crossed off by the caller instead of awaited.
    /// </summary>
    internal IActorRef? ActorOf(string nodeId)
    {
        var current = Volatile.Read(ref _current);
        return current.Members.TryGetValue(nodeId, out var member) && member.Reachable ? current.ActorsById[nodeId] : null;
    }

    internal void Set(ImmutableDictionary<string, (IActorRef Actor, bool Reachable)> peers) =>
        Volatile.Write(ref _current, new Snapshot(peers));

    private sealed class Snapshot
    {
        public static readonly Snapshot Empty = new(ImmutableDictionary<string, (IActorRef, bool)>.Empty);

        public Snapshot(ImmutableDictionary<string, (IActorRef Actor, bool Reachable)> peers)
        {
            Members = peers.ToImmutableDictionary(p => p.Key, p => new ClusterMember(p.Key, p.Value.Reachable), StringComparer.Ordinal);
            Reachable = [.. peers.Where(p => p.Value.Reachable).Select(p => p.Key)];
            Actors = [.. peers.Values.Select(p => p.Actor)];
            ActorsById = peers.ToImmutableDictionary(p => p.Key, p => p.Value.Actor, StringComparer.Ordinal);
        }

        public ImmutableDictionary<string, ClusterMember> Members { get; }
        public ImmutableArray<string> Reachable { get; }
        public ImmutableArray<IActorRef> Actors { get; }
        public ImmutableDictionary<string, IActorRef> ActorsById { get; }
    }
}
