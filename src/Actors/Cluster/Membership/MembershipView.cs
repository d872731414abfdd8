using System.Collections.Immutable;

namespace SocketIo.Actors.Cluster.Membership;

/// <summary>
/// The other live members as this node sees them, readable from any thread. Written only by the
/// <see cref="ClusterMembershipActor"/>; requests read it to know which nodes to wait for.
/// </summary>
public sealed class MembershipView
{
    private ImmutableDictionary<string, ClusterMember> _members = ImmutableDictionary<string, ClusterMember>.Empty.WithComparers(StringComparer.Ordinal);

    /// <summary>The other live members, by node id (this node excluded).</summary>
    public IReadOnlyDictionary<string, ClusterMember> Members => Volatile.Read(ref _members);

    /// <summary>Ids of the other live members.</summary>
    public IReadOnlyCollection<string> NodeIds => [.. Volatile.Read(ref _members).Keys];

    /// <summary>Called (on the membership actor) after a member was removed, before <see cref="ClusterEvents.MemberRemoved"/> is published.</summary>
    internal event Action<string>? Removed;

    internal void Set(ImmutableDictionary<string, ClusterMember> members) => Volatile.Write(ref _members, members);

    internal void RaiseRemoved(string nodeId) => Removed?.Invoke(nodeId);
}
