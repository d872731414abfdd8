using System.Collections.Immutable;
using Akka.Actor;
using Akka.Cluster.Sharding;

namespace SocketIo.Actors.Cluster.Sockets;

/// <summary>
/// Allocates the shard named by a node's tag to that node's region, so a socket entity starts on the node that holds
/// its connection. Never rebalances: moving a socket away from its connection would put a network hop on every packet.
/// </summary>
/// <remarks>
/// A shard whose node has not registered its region yet is not allocated at all (the coordinator retries the asking
/// region's request later): giving it to whoever asked first, a node relaying a command for a socket of a node that
/// is still starting, would pin that node's shard elsewhere for good, and none of its sockets could start.
/// </remarks>
internal sealed class NodeShardAllocationStrategy(Address selfAddress) : IShardAllocationStrategy
{
    public Task<IActorRef> AllocateShard(IActorRef requester, string shardId, IImmutableDictionary<IActorRef, IImmutableList<string>> currentShardAllocations)
    {
        if (NodeTags.Of(AddressOf(requester)) == shardId) return Task.FromResult(requester);
        foreach (var region in currentShardAllocations.Keys)
            if (NodeTags.Of(AddressOf(region)) == shardId)
                return Task.FromResult(region);
        // Not allocated: the coordinator logs it and the requesting region asks again at its retry interval.
        return Task.FromResult<IActorRef>(null!);
    }

    public Task<IImmutableSet<string>> Rebalance(IImmutableDictionary<IActorRef, IImmutableList<string>> currentShardAllocations, IImmutableSet<string> rebalanceInProgress) =>
        Task.FromResult<IImmutableSet<string>>(ImmutableHashSet<string>.Empty);

    // The coordinator's own node's region has a local path (no host): it is this node.
    private Address AddressOf(IActorRef region) => region.Path.Address.HasLocalScope ? selfAddress : region.Path.Address;
}
