namespace SocketIo.Actors.Cluster.Sharding;

/// <summary>How a <see cref="SocketDirectory"/> behaves.</summary>
public sealed record SocketDirectorySettings
{
    /// <summary>The message types allowed between nodes (used by the default serializer).</summary>
    public ShardingMessageTypes MessageTypes { get; init; } = new();

    /// <summary>The serializer; null means <see cref="JsonShardingSerializer"/> over <see cref="MessageTypes"/>.</summary>
    public IShardingSerializer? Serializer { get; init; }

    /// <summary>How long a local sender stays reachable for replies after its last message.</summary>
    public TimeSpan ReplyTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How many socket owners learnt from other nodes are remembered (least recently learnt go first).</summary>
    public int OwnerCacheSize { get; init; } = 10_000;

    /// <summary>How long a publish is retried while the broker reconnects before the message is dropped.</summary>
    public TimeSpan PublishRetryTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
