namespace SocketIo.Actors.Cluster.Broker;

/// <summary>
/// The port between a node and the message broker that connects the cluster's nodes. Shaped after
/// RabbitMQ (exchanges, routing keys, queues, single-active consumers) and implemented by
/// <see cref="RabbitMqBroker"/> and, for tests, <see cref="InMemoryBroker"/>. One instance per node.
/// Names come from <see cref="ClusterTopology"/> only.
/// </summary>
/// <remarks>
/// Delivery is at-least-once per queue, in publish order per publisher and queue, always on a
/// thread-pool thread (never on the publisher's stack). Topology declared through an instance is
/// remembered and re-declared by the instance itself after a connection loss.
/// </remarks>
public interface IBroker : IAsyncDisposable
{
    /// <summary>Current connection state.</summary>
    BrokerConnectionState State { get; }

    /// <summary>
    /// Raised on every state transition (Connected, ConnectionLost, Recovered, Closed), on a
    /// thread-pool thread; handlers must not block. Use it to log, report and resume work.
    /// </summary>
    event EventHandler<BrokerConnectionStateChanged>? ConnectionStateChanged;

    /// <summary>Connects. Throws <see cref="BrokerUnavailableException"/> when the server cannot be reached.</summary>
    Task StartAsync(CancellationToken cancellationToken = default);

    /// <summary>Declares an exchange (idempotent). Required before publishing to it from this instance.</summary>
    /// <exception cref="BrokerTopologyException">It exists with another kind or durability.</exception>
    Task DeclareExchangeAsync(ExchangeSpec exchange, CancellationToken cancellationToken = default);

    /// <summary>
    /// Publishes one message. Completes when the broker has taken it (routed it to every matching
    /// queue, or dropped it when nothing matched and <paramref name="mandatory"/> is false).
    /// </summary>
    /// <param name="message">The message; its exchange must have been declared through this instance, or be "" (default exchange).</param>
    /// <param name="mandatory">When true, a message that matches no queue fails with <see cref="BrokerUnroutableException"/>.</param>
    /// <param name="cancellationToken">Cancels waiting for the broker's confirmation.</param>
    /// <exception cref="BrokerUnavailableException">Not connected (reconnecting) or no confirmation within the publish timeout; nothing is buffered.</exception>
    Task PublishAsync(BrokerMessage message, bool mandatory = false, CancellationToken cancellationToken = default);

    /// <summary>
    /// Declares the queue (and the bindings in it; their exchanges must be declared through this
    /// instance first), then consumes it with <paramref name="handler"/> until the returned
    /// subscription is disposed. A queue can be consumed once per instance.
    /// </summary>
    /// <exception cref="BrokerTopologyException">The queue exists with other flags, or is another node's exclusive queue.</exception>
    Task<IBrokerSubscription> SubscribeAsync(QueueSpec queue, BrokerHandler handler, CancellationToken cancellationToken = default);
}

/// <summary>A consumer of one queue on one node.</summary>
/// <remarks>
/// <para><b>Activity.</b> RabbitMQ tells a single-active consumer nothing when it becomes (or
/// stops being) the active one: AMQP 0-9-1 has no such notification (only the stream protocol
/// has ConsumerUpdate). So a subscription learns it is active from the first delivery it gets
/// (a real message or a probe; see <see cref="ProbeAsync"/>), and stays active until it is
/// disposed or the connection is lost, which is exactly when RabbitMQ hands activity to someone
/// else. Both implementations follow this rule, so code tested in memory behaves the same on
/// RabbitMQ.</para>
/// <para>For an exclusive queue the subscription is active whenever it is registered with the
/// broker (from subscription until disposal or connection loss; again after recovery).</para>
/// </remarks>
public interface IBrokerSubscription : IAsyncDisposable
{
    /// <summary>The queue consumed.</summary>
    QueueSpec Queue { get; }

    /// <summary>Whether this node is known to be the one receiving this queue's messages.</summary>
    bool IsActive { get; }

    /// <summary>Raised (on a thread-pool thread) when <see cref="IsActive"/> changes, with the new value.</summary>
    event EventHandler<bool>? ActivityChanged;

    /// <summary>
    /// Sends a probe through the queue: whichever node is the active consumer receives it, becomes
    /// <see cref="IsActive"/> and does not pass it to its handler. Call it after subscribing and
    /// whenever ownership may have moved (a member left) so the new owner learns it without
    /// waiting for traffic. Throws <see cref="BrokerUnavailableException"/> like publishing does.
    /// </summary>
    Task ProbeAsync(CancellationToken cancellationToken = default);
}
