using Akka.Actor;
using SocketIo.Actors.Cluster.Broker;
using SocketIo.Actors.Cluster.Sharding.Internal;
using SocketIo.Actors.Internal;

namespace SocketIo.Actors.Cluster.Sharding;

/// <summary>
/// Sharded entities over the broker (the counterpart of Akka.Cluster.Sharding): each entity id
/// lives on exactly one node at a time, and any node reaches it by telling the region.
/// See docs/SHARDING.md.
/// </summary>
public static class ShardRegion
{
    /// <summary>
    /// Starts this node's region of entity type <paramref name="typeName"/>: consumes every shard
    /// queue of the type (the broker makes one node the owner of each shard and moves it when that
    /// node goes away) and returns the region reference. <c>region.Tell(message, sender)</c> from
    /// any node delivers <see cref="IMessageExtractor.EntityMessage"/> to the entity, created on
    /// demand on the shard's owner, with <c>Sender</c> able to reply across nodes (so
    /// <c>region.Ask</c> works). Run it on every node that should host entities of the type; the
    /// broker must be started.
    /// </summary>
    /// <param name="system">The node's actor system; the region is its top-level actor "sharding-{type}".</param>
    /// <param name="broker">The node's started broker.</param>
    /// <param name="topology">The cluster's names.</param>
    /// <param name="nodeId">This node's id, unique in the cluster (replies are addressed by it).</param>
    /// <param name="typeName">Entity type name, the same on every node.</param>
    /// <param name="entityProps">Props of the entity with the given id (called for each incarnation).</param>
    /// <param name="extractor">Entity id, shard id and payload of a message.</param>
    /// <param name="settings">Shard count, serializer and timeouts; the same on every node.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The region; completes once its queues are consumed and probed.</returns>
    /// <exception cref="BrokerException">Subscribing failed (the region is stopped again).</exception>
    public static async Task<IActorRef> Start(
        ActorSystem system,
        IBroker broker,
        ClusterTopology topology,
        string nodeId,
        string typeName,
        Func<string, Props> entityProps,
        IMessageExtractor extractor,
        ShardingSettings? settings = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(broker);
        ArgumentNullException.ThrowIfNull(topology);
        ArgumentException.ThrowIfNullOrEmpty(nodeId);
        ArgumentException.ThrowIfNullOrEmpty(typeName);
        ArgumentNullException.ThrowIfNull(entityProps);
        ArgumentNullException.ThrowIfNull(extractor);
        settings ??= new ShardingSettings();
        settings.Validate();

        var runtime = new RegionRuntime(system, broker, topology, nodeId, typeName, settings);
        var region = system.ActorOf(ActorProps.Of(() => new ShardRegionActor(runtime, entityProps, extractor)), "sharding-" + EntityNames.Escape(typeName));
        try
        {
            await runtime.StartAsync(region, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            system.Stop(region);
            await runtime.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        ShardingLog.RegionStarted(runtime.Logger, typeName, nodeId, settings.ShardCount);
        return region;
    }

    /// <summary>Starts a region whose entities all use <paramref name="entityProps"/> (the entity reads its id from <c>Self.Path.Name</c>, escaped).</summary>
    public static Task<IActorRef> Start(
        ActorSystem system,
        IBroker broker,
        ClusterTopology topology,
        string nodeId,
        string typeName,
        Props entityProps,
        IMessageExtractor extractor,
        ShardingSettings? settings = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entityProps);
        return Start(system, broker, topology, nodeId, typeName, _ => entityProps, extractor, settings, cancellationToken);
    }
}
