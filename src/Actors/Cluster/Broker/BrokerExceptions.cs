namespace SocketIo.Actors.Cluster.Broker;

/// <summary>Base of every failure the broker port reports.</summary>
public class BrokerException : Exception
{
    /// <summary>Creates the exception.</summary>
    public BrokerException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}

/// <summary>
/// The broker cannot be reached right now (not connected, reconnecting, or the server did not
/// confirm in time). The operation did not happen (or its outcome is unknown after a timeout);
/// the caller decides whether to retry. Never thrown for programming errors.
/// </summary>
public sealed class BrokerUnavailableException : BrokerException
{
    /// <summary>Creates the exception.</summary>
    public BrokerUnavailableException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}

/// <summary>A mandatory message matched no queue (for example a request to a node whose queue is gone).</summary>
public sealed class BrokerUnroutableException : BrokerException
{
    /// <summary>Creates the exception.</summary>
    public BrokerUnroutableException(string exchange, string routingKey)
        : base($"No queue is bound to exchange '{exchange}' for routing key '{routingKey}'")
    {
        Exchange = exchange;
        RoutingKey = routingKey;
    }

    /// <summary>The exchange published to.</summary>
    public string Exchange { get; }

    /// <summary>The routing key that matched nothing.</summary>
    public string RoutingKey { get; }
}

/// <summary>
/// A declaration conflicts with what exists (same name, other kind or flags; an exclusive queue
/// owned by another node) or a publish targets an exchange this instance never declared.
/// </summary>
public sealed class BrokerTopologyException : BrokerException
{
    /// <summary>Creates the exception.</summary>
    public BrokerTopologyException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
