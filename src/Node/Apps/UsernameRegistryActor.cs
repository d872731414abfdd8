using Akka.Actor;
using Akka.Cluster.Sharding;

namespace SocketIo.Node.Apps;

/// <summary>
/// One entry of the chat demo's username registry: the sharded entity "chat-username" whose id is a name in
/// lower case, so <c>Alice</c> and <c>alice</c> meet in the same entity and two sockets racing for one name,
/// on any nodes, are served one after the other: only the first gets it. It remembers the holder (socket id
/// and node id). The same entity runs on a single node too (<see cref="ClusterDemo"/> starts it in a local
/// region), so the rules have one code path.
/// </summary>
/// <remarks>
/// State is in memory: when the entity's shard moves (its node lost or leaving) the name is free again until
/// its holder's node claims it back (<see cref="ClusterDemoRelayActor"/> re-claims the names of its sockets when
/// a node is removed). A holder whose node was removed from the
/// cluster (<paramref name="isNodeGone"/>) no longer blocks the name: its socket is gone with it.
/// </remarks>
public sealed class UsernameRegistryActor : ReceiveActor
{
    private readonly Func<string, bool> _isNodeGone;
    private UsernameRegistryProtocol.Claim? _holder;

    /// <param name="isNodeGone">Whether a node id was removed from the cluster (crashed or left); false for live and unknown nodes.</param>
    public UsernameRegistryActor(Func<string, bool> isNodeGone)
    {
        _isNodeGone = isNodeGone;
        Receive<UsernameRegistryProtocol.Claim>(HandleClaim);
        Receive<UsernameRegistryProtocol.Release>(HandleRelease);
    }

    /// <summary>Replies <see cref="UsernameRegistryProtocol.Claimed"/> or <see cref="UsernameRegistryProtocol.Taken"/>; idempotent for the holder.</summary>
    private void HandleClaim(UsernameRegistryProtocol.Claim claim)
    {
        if (_holder is { } holder && holder.SocketId != claim.SocketId && !_isNodeGone(holder.NodeId))
        {
            Sender.Tell(new UsernameRegistryProtocol.Taken(claim.Name));
            return;
        }
        // The holder re-claiming (any case, or after a failover) keeps it; a holder on a removed node is replaced.
        _holder = claim;
        Sender.Tell(new UsernameRegistryProtocol.Claimed(claim.Name));
    }

    /// <summary>Frees the name when <paramref name="release"/> comes from its holder, and stops the entity (nothing left to remember).</summary>
    private void HandleRelease(UsernameRegistryProtocol.Release release)
    {
        if (_holder is null || _holder.SocketId != release.SocketId) return;
        _holder = null;
        Context.Parent.Tell(new Passivate(PoisonPill.Instance));
    }
}

/// <summary>Messages of the <see cref="UsernameRegistryActor"/> entity; they cross nodes (<see cref="Internal.DemoMessageSerializer"/>).</summary>
public static class UsernameRegistryProtocol
{
    /// <summary>The entity id of <paramref name="name"/>: names compare case-insensitively.</summary>
    public static string EntityId(string name) => name.ToLowerInvariant();

    /// <summary>Asks for <paramref name="Name"/> on behalf of socket <paramref name="SocketId"/> of node <paramref name="NodeId"/>; replied with <see cref="Claimed"/> or <see cref="Taken"/>.</summary>
    public sealed record Claim(string Name, string SocketId, string NodeId);

    /// <summary>The name is now the claimant's.</summary>
    public sealed record Claimed(string Name);

    /// <summary>Another socket holds the name (compared case-insensitively).</summary>
    public sealed record Taken(string Name);

    /// <summary>Frees <paramref name="Name"/> if socket <paramref name="SocketId"/> holds it; no reply.</summary>
    public sealed record Release(string Name, string SocketId);
}
