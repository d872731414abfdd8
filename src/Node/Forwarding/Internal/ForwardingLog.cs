namespace SocketIo.Node.Forwarding.Internal;

/// <summary>The forwarder's log events (ids 4101-4199).</summary>
internal static partial class ForwardingLog
{
    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "forwarding to {Member} stopped: the member is unreachable or removed; its relays are closed")]
    public static partial void PeerGone(ILogger logger, string member);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "a request for session {Sid} forwarded to {Member} got no answer ({Why}); answered as an unknown session")]
    public static partial void NoAnswer(ILogger logger, string sid, string member, string why);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Error, Message = "serving a forwarded {Method} request ({Query}) failed")]
    public static partial void ServeFailed(ILogger logger, Exception exception, string method, string query);

    [LoggerMessage(EventId = 4105, Level = LogLevel.Warning, Message = "a fragmented forwarding message from {Member} was dropped: {Why}")]
    public static partial void FragmentDropped(ILogger logger, string member, string why);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Warning, Message = "WebSocket relay {RelayId} for session {Sid} closed: {Why}")]
    public static partial void RelayFailed(ILogger logger, Guid relayId, string sid, string why);
}
