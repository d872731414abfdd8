namespace SocketIo.Actors.Cluster.Broker;

/// <summary>Where a broker instance stands with its server.</summary>
public enum BrokerConnectionState
{
    /// <summary>Not started yet.</summary>
    NotStarted,

    /// <summary>Connected for the first time; topology may be declared.</summary>
    Connected,

    /// <summary>The connection dropped; the broker reconnects by itself. Publishing fails fast meanwhile, exclusive queues are gone and no single-active subscription is active.</summary>
    ConnectionLost,

    /// <summary>Reconnected after a loss; exchanges, queues, bindings and consumers declared through this instance were re-declared.</summary>
    Recovered,

    /// <summary>Disposed; terminal.</summary>
    Closed,
}

/// <summary>Raised on every state transition.</summary>
/// <param name="Previous">State before.</param>
/// <param name="Current">State now.</param>
/// <param name="Reason">Human-readable cause (server close text, exception message), when known.</param>
public sealed record BrokerConnectionStateChanged(BrokerConnectionState Previous, BrokerConnectionState Current, string? Reason);
