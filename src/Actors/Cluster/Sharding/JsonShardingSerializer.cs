using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace SocketIo.Actors.Cluster.Sharding;

/// <summary>
/// The default serializer: Newtonsoft.Json of the message as its registered type, with the
/// registered name as manifest. Type names are never read from the payload
/// (<see cref="TypeNameHandling.None"/>): a property declared as <c>object</c> or as an interface
/// comes back as a <see cref="JToken"/>, so give messages concrete property types.
/// </summary>
public sealed class JsonShardingSerializer : IShardingSerializer
{
    private static readonly JsonSerializerSettings Settings = new()
    {
        TypeNameHandling = TypeNameHandling.None,
        DateParseHandling = DateParseHandling.None,
        MaxDepth = 64,
    };

    private readonly ShardingMessageTypes _types;

    /// <summary>Creates a serializer that accepts the types of <paramref name="types"/> only.</summary>
    public JsonShardingSerializer(ShardingMessageTypes types)
    {
        _types = types ?? throw new ArgumentNullException(nameof(types));
    }

    /// <inheritdoc />
    public SerializedMessage Serialize(object message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var type = message.GetType();
        if (!_types.TryGetName(type, out var manifest))
        {
            throw new ShardingSerializationException($"Message type {type.FullName} is not registered in ShardingMessageTypes; register it on every node to send it between nodes");
        }

        var json = message is JToken token ? token.ToString(Formatting.None) : JsonConvert.SerializeObject(message, type, Settings);
        return new SerializedMessage(manifest, Encoding.UTF8.GetBytes(json));
    }

    /// <inheritdoc />
    public object Deserialize(string manifest, ReadOnlyMemory<byte> payload)
    {
        if (!_types.TryGetType(manifest, out var type))
        {
            throw new ShardingSerializationException($"Unknown message type '{manifest}': not registered in this node's ShardingMessageTypes");
        }

        try
        {
            var json = Encoding.UTF8.GetString(payload.Span);
            var value = type == typeof(JToken) ? JToken.Parse(json) : JsonConvert.DeserializeObject(json, type, Settings);
            return value ?? throw new ShardingSerializationException($"Message of type '{manifest}' decoded to null");
        }
        catch (JsonException ex)
        {
            throw new ShardingSerializationException($"Message of type '{manifest}' does not decode: {ex.Message}", ex);
        }
    }
}
