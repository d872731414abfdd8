using Akka.Actor;

namespace SocketIo.Actors.Cluster.Sharding.Internal;

/// <summary>Internal messages of <see cref="ShardRegionActor"/> and <see cref="ShardActor"/>.</summary>
internal static class RegionProtocol
{
    /// <summary>A decoded delivery from shard <paramref name="ShardId"/>'s queue: deliver <paramref name="Message"/> to the entity as from <paramref name="Sender"/>.</summary>
    public sealed record Deliver(int ShardId, string EntityId, object Message, IActorRef? Sender);

    /// <summary>This node's activity on a shard queue may have changed; the region re-reads it from the subscription.</summary>
    public sealed record ShardActivityChanged(int ShardId);

    /// <summary>A region node announced itself; <paramref name="Joined"/> is true for a start (answer and maybe rebalance), false for an answer.</summary>
    public sealed record NodeAnnounced(string NodeId, bool Joined);

    /// <summary>A region node left gracefully.</summary>
    public sealed record NodeLeft(string NodeId);

    /// <summary>Shard <paramref name="ShardId"/> is being handed over to <paramref name="Target"/>: nodes it passes through yield it once.</summary>
    public sealed record HandOff(int ShardId, string Target, string HandOffId, string Origin);

    /// <summary>Asks a shard actor for its entity ids; replies <see cref="ShardRegionProtocol.ShardState"/>.</summary>
    public sealed record GetShardState
    {
        public static readonly GetShardState Instance = new();
    }
}
