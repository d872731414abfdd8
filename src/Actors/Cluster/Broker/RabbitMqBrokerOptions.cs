namespace SocketIo.Actors.Cluster.Broker;

/// <summary>Settings of <see cref="RabbitMqBroker"/>.</summary>
public sealed record RabbitMqBrokerOptions
{
    /// <summary>AMQP URI, e.g. <c>amqp://guest:guest@127.0.0.1:5672/</c>.</summary>
    public required Uri Uri { get; init; }

    /// <summary>Name shown in the broker's connection list and used in our logs and metric tags (the node id).</summary>
    public string ConnectionName { get; init; } = "socketio";

    /// <summary>Pause between reconnect attempts after a connection loss.</summary>
    public TimeSpan NetworkRecoveryInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a publish (or declaration) waits for the broker before failing with <see cref="BrokerUnavailableException"/>.</summary>
    public TimeSpan OperationTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>AMQP heartbeat; a dead peer is noticed after about twice this.</summary>
    public TimeSpan Heartbeat { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Unacknowledged deliveries in flight per subscription.</summary>
    public ushort PrefetchCount { get; init; } = 64;
}
