namespace SocketIo.Actors.Cluster.Sharding;

/// <summary>
/// Tells a shard region which entity a message is for, which shard that entity lives in, and what
/// to deliver to it (Akka.Cluster.Sharding's <c>IMessageExtractor</c>).
/// </summary>
public interface IMessageExtractor
{
    /// <summary>The entity id of <paramref name="message"/>, or null when the region cannot route it (the message is dropped and logged).</summary>
    string? EntityId(object message);

    /// <summary>What the entity receives (e.g. the inner message of an envelope). It must be serializable by the region's serializer.</summary>
    object EntityMessage(object message);

    /// <summary>The shard (0 to ShardCount - 1) of the entity that <paramref name="message"/> is for; must be the same on every node.</summary>
    int ShardId(object message);
}
