namespace SocketIo.Actors.Cluster.Broker;

/// <summary>
/// One message published to an exchange. The body is opaque bytes (encoded once by the caller);
/// headers are small string pairs. The record is immutable; <see cref="Body"/> must not be
/// mutated after publishing because the in-memory broker hands the same bytes to every receiver.
/// </summary>
/// <param name="Exchange">Exchange name from <see cref="ClusterTopology"/>; "" is the default exchange that routes to the queue named by <paramref name="RoutingKey"/>.</param>
/// <param name="RoutingKey">Routing key from <see cref="ClusterTopology"/>.</param>
/// <param name="Body">Payload bytes.</param>
public sealed record BrokerMessage(string Exchange, string RoutingKey, ReadOnlyMemory<byte> Body)
{
    private static readonly IReadOnlyDictionary<string, string> NoHeaders = new Dictionary<string, string>();

    /// <summary>Application headers (names starting with "x-socketio-" are reserved for the broker layer).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = NoHeaders;

    /// <summary>Optional id for de-duplication and tracing.</summary>
    public string? MessageId { get; init; }

    /// <summary>Routing key (on the request exchange) where a reply is expected.</summary>
    public string? ReplyTo { get; init; }

    /// <summary>Correlates a reply with its request.</summary>
    public string? CorrelationId { get; init; }
}

/// <summary>A message as received from a queue.</summary>
/// <param name="Message">The message as published (exchange and routing key as routed).</param>
/// <param name="Queue">The queue it was consumed from.</param>
/// <param name="Redelivered">True when an earlier delivery of it was not acknowledged (its consumer went away mid-handling); handlers must tolerate duplicates.</param>
public sealed record BrokerDelivery(BrokerMessage Message, string Queue, bool Redelivered);

/// <summary>
/// Handles one delivery. Deliveries of one queue are handled one at a time in queue order; the
/// message is acknowledged when the returned task completes, even when it faults (the failure is
/// logged and counted, the message is not redelivered: a poison message must not loop forever).
/// </summary>
public delegate ValueTask BrokerHandler(BrokerDelivery delivery, CancellationToken cancellationToken);
