using Akka.Cluster.Sharding;
using SocketIo.Actors.Sockets;

namespace SocketIo.Actors.Cluster.Sockets;

/// <summary>
/// Entity id, shard and message of what the socket region is told: a local <see cref="SocketRegion.SocketEnvelope"/>
/// or a cross-node <see cref="ClusterProtocol.SocketCommand"/>, whose shard is the node tag its socket id carries.
/// </summary>
internal sealed class SocketMessageExtractor : IMessageExtractor
{
    public string? EntityId(object message) => message switch
    {
        SocketRegion.SocketEnvelope e => e.EntityId,
        ClusterProtocol.SocketCommand c => c.EntityId,
        _ => null,
    };

    public object? EntityMessage(object message) => message switch
    {
        SocketRegion.SocketEnvelope e => e.Message,
        ClusterProtocol.SocketCommand { Close: true } => SocketProtocol.CloseConnection.Instance,
        ClusterProtocol.SocketCommand => new SocketProtocol.Disconnect(DisconnectReasons.ServerNamespaceDisconnect, NotifyClient: true),
        _ => null,
    };

    public string? ShardId(object message) => EntityId(message) is { } id ? NodeTags.OfEntityId(id) : null;

    public string ShardId(string entityId, object? messageHint = null) => NodeTags.OfEntityId(entityId);
}
