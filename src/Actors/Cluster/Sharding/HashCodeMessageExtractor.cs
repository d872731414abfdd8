using System.Text;

namespace SocketIo.Actors.Cluster.Sharding;

/// <summary>
/// An extractor whose shard id is a stable hash of the entity id modulo the number of shards
/// (Akka's <c>HashCodeMessageExtractor</c>). The hash is FNV-1a over the id's UTF-8 bytes, so it is
/// the same on every node, process and .NET version (unlike <see cref="string.GetHashCode()"/>).
/// <see cref="ShardingEnvelope"/> is understood out of the box.
/// </summary>
public abstract class HashCodeMessageExtractor : IMessageExtractor
{
    /// <summary>Creates an extractor for <paramref name="maxNumberOfShards"/> shards; use the region's <see cref="ShardingSettings.ShardCount"/>.</summary>
    protected HashCodeMessageExtractor(int maxNumberOfShards)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxNumberOfShards, 1);
        MaxNumberOfShards = maxNumberOfShards;
    }

    /// <summary>The number of shards the entity ids are spread over.</summary>
    public int MaxNumberOfShards { get; }

    /// <summary>Creates an extractor from delegates; <paramref name="entityMessage"/> defaults to unwrapping <see cref="ShardingEnvelope"/>.</summary>
    public static HashCodeMessageExtractor Create(int maxNumberOfShards, Func<object, string?> entityId, Func<object, object>? entityMessage = null) =>
        new DelegateExtractor(maxNumberOfShards, entityId, entityMessage);

    /// <summary>The shard of <paramref name="entityId"/> among <paramref name="shardCount"/> shards: FNV-1a 32-bit of its UTF-8 bytes, modulo the count.</summary>
    public static int ShardIdFor(string entityId, int shardCount)
    {
        ArgumentNullException.ThrowIfNull(entityId);
        ArgumentOutOfRangeException.ThrowIfLessThan(shardCount, 1);
        return (int)(StableHash(entityId) % (uint)shardCount);
    }

    /// <summary>FNV-1a 32-bit hash of the UTF-8 bytes of <paramref name="value"/>.</summary>
    public static uint StableHash(string value)
    {
        var hash = 2166136261u;
        Span<byte> buffer = stackalloc byte[4];
        foreach (var rune in value.EnumerateRunes())
        {
            var length = rune.EncodeToUtf8(buffer);
            for (var i = 0; i < length; i++)
            {
                hash = (hash ^ buffer[i]) * 16777619u;
            }
        }

        return hash;
    }

    /// <inheritdoc />
    public abstract string? EntityId(object message);

    /// <inheritdoc />
    public virtual object EntityMessage(object message) => message is ShardingEnvelope envelope ? envelope.Message : message;

    /// <inheritdoc />
    public virtual int ShardId(object message) =>
        EntityId(message) is { } id ? ShardIdFor(id, MaxNumberOfShards) : throw new ArgumentException($"No entity id in {message.GetType().Name}", nameof(message));

    private sealed class DelegateExtractor(int maxNumberOfShards, Func<object, string?> entityId, Func<object, object>? entityMessage)
        : HashCodeMessageExtractor(maxNumberOfShards)
    {
        public override string? EntityId(object message) => message is ShardingEnvelope envelope ? envelope.EntityId : entityId(message);

        public override object EntityMessage(object message) => entityMessage is null ? base.EntityMessage(message) : entityMessage(message);
    }
}
