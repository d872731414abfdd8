using Akka.Actor;

namespace SocketIo.Actors.Cluster.Sharding;

/// <summary>Messages a shard region (and its shards) understand besides the entity messages it routes.</summary>
public static class ShardRegionProtocol
{
    /// <summary>
    /// Sent by an entity to its parent (<c>Context.Parent.Tell(new Passivate(stop))</c>): the shard
    /// sends <paramref name="StopMessage"/> to the entity and holds messages for it until it has
    /// stopped, then starts a fresh one for them.
    /// </summary>
    public sealed record Passivate(object StopMessage);

    /// <summary>Asks the local region which shards this node owns and which entities run in them; replies <see cref="CurrentShardRegionState"/>.</summary>
    public sealed record GetShardRegionState
    {
        /// <summary>The only instance.</summary>
        public static readonly GetShardRegionState Instance = new();
    }

    /// <summary>This node's shards (the ones it knows it is the active consumer of) with their live entities, sorted by shard id.</summary>
    public sealed record CurrentShardRegionState(IReadOnlyList<ShardState> Shards);

    /// <summary>One owned shard and its entity ids (sorted).</summary>
    public sealed record ShardState(int ShardId, IReadOnlyList<string> EntityIds);

    /// <summary>
    /// Tells the region that node <paramref name="NodeId"/> is gone (from the cluster membership,
    /// e.g. it stopped heartbeating). The broker has already moved that node's shards to other
    /// consumers, but they only learn it from their next delivery; the region therefore probes
    /// every shard queue so the new owners know at once, and forgets the node for rebalancing.
    /// A region that left gracefully does this by itself.
    /// </summary>
    public sealed record MemberRemoved(string NodeId);

    /// <summary>
    /// Leaves the cluster's region gracefully: stops consuming every shard queue (the broker hands
    /// each shard to the next node), stops the entities, tells the other nodes, and stops the
    /// region. Replies <see cref="ShutdownCompleted"/>.
    /// </summary>
    public sealed record GracefulShutdown
    {
        /// <summary>The only instance.</summary>
        public static readonly GracefulShutdown Instance = new();
    }

    /// <summary>Reply to <see cref="GracefulShutdown"/>.</summary>
    public sealed record ShutdownCompleted
    {
        /// <summary>The only instance.</summary>
        public static readonly ShutdownCompleted Instance = new();
    }

    internal static bool IsNoSender(IActorRef? sender) => sender is null || sender.Equals(ActorRefs.Nobody);
}
