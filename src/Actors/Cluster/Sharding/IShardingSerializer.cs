namespace SocketIo.Actors.Cluster.Sharding;

/// <summary>A message turned into bytes, with the name (manifest) of its type.</summary>
/// <param name="Manifest">The registered name of the message type; travels in a header.</param>
/// <param name="Payload">The encoded message.</param>
public readonly record struct SerializedMessage(string Manifest, ReadOnlyMemory<byte> Payload);

/// <summary>
/// Encodes the messages that sharded entities (and the socket directory) exchange between nodes.
/// Implementations must be thread-safe and must only ever instantiate types they were configured
/// to allow: the bytes come from the network.
/// </summary>
public interface IShardingSerializer
{
    /// <summary>Encodes <paramref name="message"/>.</summary>
    /// <exception cref="ShardingSerializationException">Its type is not allowed (not registered).</exception>
    SerializedMessage Serialize(object message);

    /// <summary>Decodes a payload written by <see cref="Serialize"/> on any node.</summary>
    /// <exception cref="ShardingSerializationException">The manifest names no allowed type, or the payload does not decode.</exception>
    object Deserialize(string manifest, ReadOnlyMemory<byte> payload);
}
