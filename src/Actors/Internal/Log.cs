using Microsoft.Extensions.Logging;

namespace SocketIo.Actors.Internal;

/// <summary>The Socket.IO layer's log messages, with fixed event ids (2000-2099).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 2000, Level = LogLevel.Error, Message = "Listener for event '{EventName}' of socket {SocketId} threw")]
    public static partial void ListenerFailed(this ILogger logger, Exception exception, string eventName, string socketId);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Connection {ConnectionId} violated the protocol: {Reason}; closing it")]
    public static partial void ProtocolViolation(this ILogger logger, string connectionId, string reason);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "Connection {ConnectionId} sent {Kind} for namespace '{Namespace}' in an invalid state; closing it")]
    public static partial void InvalidPacketState(this ILogger logger, string connectionId, string kind, string @namespace);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "Connection {ConnectionId} stopped reading: its outbound queue is full; closing it")]
    public static partial void OutboundQueueFull(this ILogger logger, string connectionId);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Debug, Message = "Ack {AckId} of socket {SocketId} matches no pending emit")]
    public static partial void UnknownAck(this ILogger logger, long ackId, string socketId);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Debug, Message = "Connection {ConnectionId} asked for unknown namespace '{Namespace}'")]
    public static partial void UnknownNamespace(this ILogger logger, string connectionId, string @namespace);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Information, Message = "Created namespace '{Namespace}'")]
    public static partial void NamespaceCreated(this ILogger logger, string @namespace);

    [LoggerMessage(EventId = 2007, Level = LogLevel.Information, Message = "Removed empty child namespace '{Namespace}'")]
    public static partial void NamespaceRemoved(this ILogger logger, string @namespace);

    [LoggerMessage(EventId = 2008, Level = LogLevel.Debug, Message = "Connection {ConnectionId} has {Backlog} unhandled inbound packets (limit {Limit}); reading paused")]
    public static partial void ReceivingPaused(this ILogger logger, string connectionId, int backlog, int limit);

    [LoggerMessage(EventId = 2009, Level = LogLevel.Debug, Message = "Connection {ConnectionId} is down to {Backlog} unhandled inbound packets; reading resumed")]
    public static partial void ReceivingResumed(this ILogger logger, string connectionId, int backlog);
}
