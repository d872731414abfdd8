using Microsoft.Extensions.Logging;

namespace SocketIo.Actors.Cluster.Broker.Internal;

/// <summary>Every log line of the broker layer; event ids 3000-3099 are fixed.</summary>
internal static partial class BrokerLog
{
    [LoggerMessage(EventId = 3000, Level = LogLevel.Information, Message = "Broker {Broker} connecting to {Endpoint}")]
    public static partial void Connecting(ILogger logger, string broker, string endpoint);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Broker {Broker} connected")]
    public static partial void Connected(ILogger logger, string broker);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Broker {Broker} lost its connection ({Reason}); reconnecting, local work continues")]
    public static partial void ConnectionLost(ILogger logger, string broker, string? reason);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Information, Message = "Broker {Broker} reconnected; topology re-declared")]
    public static partial void Recovered(ILogger logger, string broker);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "Broker {Broker} reconnect attempt failed; retrying")]
    public static partial void RecoveryAttemptFailed(ILogger logger, string broker, Exception exception);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Information, Message = "Broker {Broker} closed")]
    public static partial void Closed(ILogger logger, string broker);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Error, Message = "Broker {Broker} could not connect to {Endpoint}")]
    public static partial void ConnectFailed(ILogger logger, string broker, string endpoint, Exception exception);

    [LoggerMessage(EventId = 3010, Level = LogLevel.Debug, Message = "Broker {Broker} declared exchange {Exchange} ({Kind})")]
    public static partial void ExchangeDeclared(ILogger logger, string broker, string exchange, ExchangeKind kind);

    [LoggerMessage(EventId = 3011, Level = LogLevel.Debug, Message = "Broker {Broker} subscribed to {Queue} ({Kind})")]
    public static partial void Subscribed(ILogger logger, string broker, string queue, QueueKind kind);

    [LoggerMessage(EventId = 3012, Level = LogLevel.Debug, Message = "Broker {Broker} unsubscribed from {Queue}")]
    public static partial void Unsubscribed(ILogger logger, string broker, string queue);

    [LoggerMessage(EventId = 3013, Level = LogLevel.Information, Message = "Broker {Broker} is now the active consumer of {Queue}")]
    public static partial void BecameActive(ILogger logger, string broker, string queue);

    [LoggerMessage(EventId = 3014, Level = LogLevel.Information, Message = "Broker {Broker} is no longer the active consumer of {Queue}")]
    public static partial void BecameInactive(ILogger logger, string broker, string queue);

    [LoggerMessage(EventId = 3020, Level = LogLevel.Error, Message = "Broker {Broker}: handler for {Queue} failed on a message with routing key {RoutingKey}; the message is dropped")]
    public static partial void HandlerFailed(ILogger logger, string broker, string queue, string routingKey, Exception exception);

    [LoggerMessage(EventId = 3021, Level = LogLevel.Warning, Message = "Broker {Broker} failed to publish to {Exchange} with key {RoutingKey}: {Reason}")]
    public static partial void PublishFailed(ILogger logger, string broker, string exchange, string routingKey, string reason);

    [LoggerMessage(EventId = 3022, Level = LogLevel.Warning, Message = "Broker {Broker}: the server closed channel {Purpose} ({Reason}); it is reopened on next use")]
    public static partial void ChannelClosedByServer(ILogger logger, string broker, string purpose, string reason);

    [LoggerMessage(EventId = 3023, Level = LogLevel.Warning, Message = "Broker {Broker}: acknowledging a delivery from {Queue} failed; it will be redelivered")]
    public static partial void AckFailed(ILogger logger, string broker, string queue, Exception exception);

    [LoggerMessage(EventId = 3030, Level = LogLevel.Warning, Message = "In-memory broker {Broker} simulates a connection loss")]
    public static partial void SimulatedConnectionLoss(ILogger logger, string broker);

    [LoggerMessage(EventId = 3031, Level = LogLevel.Warning, Message = "In-memory broker {Broker} simulates a crash")]
    public static partial void SimulatedCrash(ILogger logger, string broker);
}
