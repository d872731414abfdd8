using SocketIo.Actors.Cluster.Broker;

namespace SocketIo.Cluster.Tests.Sharding;

/// <summary>
/// The sharding suite on a real RabbitMQ (env RABBITMQ_URI): single-active-consumer ownership,
/// fail-over when the owner's connection closes, hand-over by re-subscribing. Without RABBITMQ_URI
/// these fail, unless SOCKETIO_SKIP_RABBITMQ=1 skips them.
/// </summary>
[RequiresRabbitMq]
public sealed class RabbitMqShardingSpec : ShardingSpec
{
    protected override IBroker CreateBroker(string node) => new RabbitMqBroker(new RabbitMqBrokerOptions
    {
        Uri = RabbitMqEnvironment.RequireUri(),
        ConnectionName = $"{Topology.ClusterName}-{node}",
    });

    /// <summary>Closes the connection: RabbitMQ drops the node's consumers exactly as when the process dies.</summary>
    protected override async Task KillBrokerAsync(IBroker broker) => await broker.DisposeAsync();
}
