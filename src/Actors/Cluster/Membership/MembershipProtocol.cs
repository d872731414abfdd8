namespace SocketIo.Actors.Cluster.Membership;

/// <summary>Messages of the <see cref="ClusterMembershipActor"/>.</summary>
public static class MembershipProtocol
{
    /// <summary>Another node announced itself; <paramref name="Initial"/> when it just started (or re-announces after a broker recovery) and wants an answer at once.</summary>
    internal sealed record HeartbeatReceived(ClusterMember Member, bool Initial);

    /// <summary>Another node said it leaves.</summary>
    internal sealed record LeftReceived(string NodeId);

    /// <summary>The broker connection recovered: announce this node again as if it just started.</summary>
    internal sealed record Reannounce
    {
        public static readonly Reannounce Instance = new();
        private Reannounce() { }
    }

    /// <summary>Stop heartbeating (this node leaves); replied with <see cref="Stopped"/>.</summary>
    internal sealed record StopHeartbeats
    {
        public static readonly StopHeartbeats Instance = new();
        private StopHeartbeats() { }
    }

    /// <summary>Reply to <see cref="StopHeartbeats"/>.</summary>
    internal sealed record Stopped
    {
        public static readonly Stopped Instance = new();
        private Stopped() { }
    }

    /// <summary>Query: the other members this node sees. Replied with <see cref="CurrentMembers"/>.</summary>
    public sealed record GetMembers
    {
        public static readonly GetMembers Instance = new();
        private GetMembers() { }
    }

    /// <summary>Reply to <see cref="GetMembers"/>.</summary>
    public sealed record CurrentMembers(IReadOnlyList<ClusterMember> Members);
}
