namespace SocketIo.Actors.Cluster.Sharding;

/// <summary>
/// Addresses <paramref name="Message"/> to entity <paramref name="EntityId"/> without a custom
/// extractor: <see cref="HashCodeMessageExtractor"/> unwraps it (as Akka's ShardingEnvelope).
/// Only <paramref name="Message"/> travels to the entity.
/// </summary>
public sealed record ShardingEnvelope(string EntityId, object Message);
