namespace SocketIo.Actors.Cluster.Sharding;

/// <summary>How a shard region behaves. Every node running a region of a type must use the same <see cref="ShardCount"/> and message names.</summary>
public sealed record ShardingSettings
{
    /// <summary>Number of shards (one single-active-consumer queue each). Fixed for the life of the cluster: changing it moves entities.</summary>
    public int ShardCount { get; init; } = 64;

    /// <summary>The message types allowed between nodes (used by the default serializer).</summary>
    public ShardingMessageTypes MessageTypes { get; init; } = new();

    /// <summary>The serializer; null means <see cref="JsonShardingSerializer"/> over <see cref="MessageTypes"/>.</summary>
    public IShardingSerializer? Serializer { get; init; }

    /// <summary>Stop an entity after it got no message for this long (null: entities live until their shard moves or they stop themselves).</summary>
    public TimeSpan? PassivateIdleEntityAfter { get; init; }

    /// <summary>How long a local sender stays reachable for replies from remote entities after its last message through the region.</summary>
    public TimeSpan ReplyTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>When a region node joins, nodes owning more than their share of shards hand the excess over to it.</summary>
    public bool RebalanceOnJoin { get; init; } = true;

    /// <summary>How long a hand-off announcement is honoured by nodes the shard passes through on its way to the new node.</summary>
    public TimeSpan HandOffTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a publish is retried while the broker connection is down before the message is dropped (and logged).</summary>
    public TimeSpan PublishRetryTimeout { get; init; } = TimeSpan.FromSeconds(10);

    internal IShardingSerializer ResolveSerializer() => Serializer ?? new JsonShardingSerializer(MessageTypes);

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ShardCount, 1, nameof(ShardCount));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ReplyTimeout, TimeSpan.Zero, nameof(ReplyTimeout));
        if (PassivateIdleEntityAfter is { } idle)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(idle, TimeSpan.Zero, nameof(PassivateIdleEntityAfter));
        }
    }
}
