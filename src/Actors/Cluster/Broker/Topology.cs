namespace SocketIo.Actors.Cluster.Broker;

/// <summary>How an exchange routes: RabbitMQ's exchange types.</summary>
public enum ExchangeKind
{
    /// <summary>Routing key patterns with <c>*</c> (exactly one word) and <c>#</c> (zero or more words); words are separated by '.'.</summary>
    Topic,

    /// <summary>Routing key equals the binding key.</summary>
    Direct,

    /// <summary>Every bound queue gets every message; keys are ignored.</summary>
    Fanout,
}

/// <summary>An exchange to declare. Declaring is idempotent when the kind and durability match.</summary>
public sealed record ExchangeSpec(string Name, ExchangeKind Kind = ExchangeKind.Topic, bool Durable = false);

/// <summary>Binds a queue to an exchange with a binding key (a pattern for topic exchanges).</summary>
public sealed record QueueBinding(string Exchange, string BindingKey);

/// <summary>How a queue is shared between nodes.</summary>
public enum QueueKind
{
    /// <summary>
    /// Owned by one broker instance (one node): nobody else may consume it, and it is deleted when
    /// that instance is disposed or loses its connection (it is re-declared on recovery; messages
    /// routed to it in between are lost). For broadcasts and node-addressed requests.
    /// </summary>
    Exclusive,

    /// <summary>
    /// Consumed by every node, but the broker delivers to exactly one active consumer at a time
    /// (RabbitMQ <c>x-single-active-consumer</c>) and fails over to the next when the active one
    /// cancels or disconnects. Ownership of a shard.
    /// </summary>
    SingleActiveConsumer,
}

/// <summary>A queue to declare, bind and consume.</summary>
/// <param name="Name">Queue name from <see cref="ClusterTopology"/>.</param>
/// <param name="Kind">Exclusive per node, or shared with a single active consumer.</param>
public sealed record QueueSpec(string Name, QueueKind Kind)
{
    /// <summary>Bindings created on declaration (and re-created on recovery).</summary>
    public IReadOnlyList<QueueBinding> Bindings { get; init; } = [];

    /// <summary>Survives a broker restart (only meaningful for <see cref="QueueKind.SingleActiveConsumer"/>).</summary>
    public bool Durable { get; init; }

    /// <summary>Deleted when its last consumer goes away (only meaningful for <see cref="QueueKind.SingleActiveConsumer"/>; exclusive queues always go with their owner).</summary>
    public bool AutoDelete { get; init; }

    /// <summary>A node-private queue with the given bindings.</summary>
    public static QueueSpec Exclusive(string name, params QueueBinding[] bindings) =>
        new(name, QueueKind.Exclusive) { Bindings = bindings };

    /// <summary>A shared queue whose messages go to exactly one active consumer at a time.</summary>
    public static QueueSpec SingleActive(string name, params QueueBinding[] bindings) =>
        new(name, QueueKind.SingleActiveConsumer) { Bindings = bindings };
}
