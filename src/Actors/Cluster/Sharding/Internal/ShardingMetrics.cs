using System.Diagnostics.Metrics;
using SocketIo.Actors.Cluster.Internal;

namespace SocketIo.Actors.Cluster.Sharding.Internal;

/// <summary>Sharding instruments on the "SocketIo.Cluster" meter, tagged with the entity type (and node).</summary>
internal static class ShardingMetrics
{
    private static Meter Meter => ClusterMeter.Meter;

    /// <summary>Entity messages a region published towards their shard.</summary>
    public static readonly Counter<long> MessagesRouted = Meter.CreateCounter<long>("socketio.cluster.sharding.messages_routed", "{message}", "Entity messages routed through the broker");

    /// <summary>Entity messages delivered to a local entity.</summary>
    public static readonly Counter<long> MessagesDelivered = Meter.CreateCounter<long>("socketio.cluster.sharding.messages_delivered", "{message}", "Entity messages delivered to entities on this node");

    /// <summary>Entity actors created.</summary>
    public static readonly Counter<long> EntitiesStarted = Meter.CreateCounter<long>("socketio.cluster.sharding.entities_started", "{entity}", "Entity actors started");

    /// <summary>Shards this process currently owns.</summary>
    public static readonly UpDownCounter<long> ShardsOwned = Meter.CreateUpDownCounter<long>("socketio.cluster.sharding.shards_owned", "{shard}", "Shards owned by this node");

    /// <summary>Messages dropped (unknown type, no entity id, publish failure).</summary>
    public static readonly Counter<long> MessagesDropped = Meter.CreateCounter<long>("socketio.cluster.sharding.messages_dropped", "{message}", "Entity messages dropped");

    /// <summary>Socket-addressed messages, tagged route=local|node|all.</summary>
    public static readonly Counter<long> SocketMessagesRouted = Meter.CreateCounter<long>("socketio.cluster.sockets.messages_routed", "{message}", "Socket-addressed messages routed");

    public static KeyValuePair<string, object?> TypeTag(string typeName) => new("entity_type", typeName);

    public static KeyValuePair<string, object?> NodeTag(string node) => new("node", node);
}
