using Microsoft.Extensions.Logging;

namespace SocketIo.Actors.Cluster.Sharding.Internal;

/// <summary>Every log line of sharding and the socket directory; event ids 3200-3299 are fixed.</summary>
internal static partial class ShardingLog
{
    [LoggerMessage(EventId = 3200, Level = LogLevel.Information, Message = "Shard region {TypeName} started on node {Node} with {ShardCount} shards")]
    public static partial void RegionStarted(ILogger logger, string typeName, string node, int shardCount);

    [LoggerMessage(EventId = 3201, Level = LogLevel.Information, Message = "Shard region {TypeName} on node {Node} stopped; its shards move to other nodes")]
    public static partial void RegionStopped(ILogger logger, string typeName, string node);

    [LoggerMessage(EventId = 3202, Level = LogLevel.Debug, Message = "Shard region {TypeName}: node {Node} now owns shard {ShardId}")]
    public static partial void ShardOwned(ILogger logger, string typeName, string node, int shardId);

    [LoggerMessage(EventId = 3203, Level = LogLevel.Information, Message = "Shard region {TypeName}: node {Node} no longer owns shard {ShardId}; its entities stop (their in-memory state is lost)")]
    public static partial void ShardLost(ILogger logger, string typeName, string node, int shardId);

    [LoggerMessage(EventId = 3204, Level = LogLevel.Debug, Message = "Shard region {TypeName}: entity {EntityId} started in shard {ShardId}")]
    public static partial void EntityStarted(ILogger logger, string typeName, string entityId, int shardId);

    [LoggerMessage(EventId = 3205, Level = LogLevel.Debug, Message = "Shard region {TypeName}: entity {EntityId} passivated")]
    public static partial void EntityPassivated(ILogger logger, string typeName, string entityId);

    [LoggerMessage(EventId = 3210, Level = LogLevel.Error, Message = "Shard region {TypeName}: dropped a message for entity {EntityId} of unknown type: {Reason}")]
    public static partial void UndecodableMessage(ILogger logger, string typeName, string? entityId, string reason);

    [LoggerMessage(EventId = 3211, Level = LogLevel.Error, Message = "Shard region {TypeName}: cannot send {MessageType} to another node: {Reason}")]
    public static partial void NotSerializable(ILogger logger, string typeName, string messageType, string reason);

    [LoggerMessage(EventId = 3212, Level = LogLevel.Warning, Message = "Shard region {TypeName}: the message extractor gives no entity id for {MessageType}; dropped")]
    public static partial void NoEntityId(ILogger logger, string typeName, string messageType);

    [LoggerMessage(EventId = 3213, Level = LogLevel.Error, Message = "Shard region {TypeName}: the message extractor gives shard {ShardId} for {MessageType}, outside 0..{MaxShard}; dropped")]
    public static partial void ShardOutOfRange(ILogger logger, string typeName, int shardId, string messageType, int maxShard);

    [LoggerMessage(EventId = 3214, Level = LogLevel.Warning, Message = "{Component}: dropped a malformed delivery from {Queue}: {Reason}")]
    public static partial void MalformedDelivery(ILogger logger, string component, string queue, string reason);

    [LoggerMessage(EventId = 3215, Level = LogLevel.Error, Message = "{Component}: dropped a message to {Exchange} with key {RoutingKey}: {Reason}")]
    public static partial void PublishDropped(ILogger logger, string component, string exchange, string routingKey, string reason);

    [LoggerMessage(EventId = 3216, Level = LogLevel.Debug, Message = "{Component}: dropped a reply for correlation {CorrelationId}: its sender is no longer registered (reply timeout)")]
    public static partial void ReplyTargetGone(ILogger logger, string component, string correlationId);

    [LoggerMessage(EventId = 3217, Level = LogLevel.Debug, Message = "Shard region {TypeName}: a delivery for shard {ShardId} arrived after this node stopped owning it; the broker redelivers it to the owner")]
    public static partial void DeliveryAfterOwnershipLost(ILogger logger, string typeName, int shardId);

    [LoggerMessage(EventId = 3218, Level = LogLevel.Error, Message = "Shard region {TypeName}: entity {EntityId} (shard {ShardId}) got a message from an undecodable reply address; dropped")]
    public static partial void BadReplyAddress(ILogger logger, string typeName, string entityId, int shardId);

    [LoggerMessage(EventId = 3220, Level = LogLevel.Information, Message = "Shard region {TypeName} on node {Node}: region node {Other} joined ({Count} known)")]
    public static partial void RegionNodeJoined(ILogger logger, string typeName, string node, string other, int count);

    [LoggerMessage(EventId = 3221, Level = LogLevel.Information, Message = "Shard region {TypeName} on node {Node}: region node {Other} left ({Count} known)")]
    public static partial void RegionNodeLeft(ILogger logger, string typeName, string node, string other, int count);

    [LoggerMessage(EventId = 3222, Level = LogLevel.Information, Message = "Shard region {TypeName} on node {Node} owns {Owned} shards, its share is {Share}: handing {Count} over towards {Target}")]
    public static partial void Rebalancing(ILogger logger, string typeName, string node, int owned, int share, int count, string target);

    [LoggerMessage(EventId = 3223, Level = LogLevel.Debug, Message = "Shard region {TypeName} on node {Node}: yielding shard {ShardId} (hand-off {HandOffId} to {Target})")]
    public static partial void YieldingShard(ILogger logger, string typeName, string node, int shardId, string handOffId, string target);

    [LoggerMessage(EventId = 3224, Level = LogLevel.Warning, Message = "Shard region {TypeName} on node {Node}: re-subscribing shard {ShardId} failed; retrying")]
    public static partial void ResubscribeFailed(ILogger logger, string typeName, string node, int shardId, Exception exception);

    [LoggerMessage(EventId = 3225, Level = LogLevel.Warning, Message = "{Component}: publish failed ({Reason}); retrying while the broker reconnects")]
    public static partial void PublishRetrying(ILogger logger, string component, string reason);

    [LoggerMessage(EventId = 3230, Level = LogLevel.Information, Message = "Socket directory started on node {Node}")]
    public static partial void DirectoryStarted(ILogger logger, string node);

    [LoggerMessage(EventId = 3231, Level = LogLevel.Debug, Message = "Socket directory on node {Node}: socket {SocketId} is not here (message from {Origin}); dropped")]
    public static partial void SocketNotHere(ILogger logger, string node, string socketId, string origin);

    [LoggerMessage(EventId = 3232, Level = LogLevel.Error, Message = "Socket directory on node {Node}: dropped a message for socket {SocketId}: {Reason}")]
    public static partial void SocketMessageDropped(ILogger logger, string node, string socketId, string reason);
}
