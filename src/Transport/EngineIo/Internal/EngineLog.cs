using Microsoft.Extensions.Logging;

namespace SocketIo.Transport.EngineIo.Internal;

/// <summary>Source-generated log messages of the Engine.IO transport; event ids are fixed (1000-1099).</summary>
internal static partial class EngineLog
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Debug, Message = "Engine.IO session {Sid} opened over {Transport} (protocol {Protocol})")]
    public static partial void SessionOpened(ILogger logger, string sid, string transport, int protocol);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Debug, Message = "Engine.IO session {Sid} closed: {Reason} ({Description})")]
    public static partial void SessionClosed(ILogger logger, string sid, string reason, string? description);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Debug, Message = "Engine.IO request refused with code {Code} ({ErrorMessage}): {Method} {Path}{Query}")]
    public static partial void RequestRefused(ILogger logger, int code, string errorMessage, string method, string path, string query);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Debug, Message = "Engine.IO session {Sid} upgraded to websocket")]
    public static partial void UpgradeCompleted(ILogger logger, string sid);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Debug, Message = "Engine.IO session {Sid} upgrade abandoned: {Reason}")]
    public static partial void UpgradeAbandoned(ILogger logger, string sid, string reason);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Information, Message = "Engine.IO session {Sid} sent a malformed packet: {Error}")]
    public static partial void ParseError(ILogger logger, string sid, string error);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Error, Message = "Engine.IO handler failed for session {Sid}")]
    public static partial void HandlerFailed(ILogger logger, Exception exception, string sid);

    [LoggerMessage(EventId = 1008, Level = LogLevel.Debug, Message = "Engine.IO transport failure on session {Sid}")]
    public static partial void TransportFailed(ILogger logger, Exception exception, string sid);

    [LoggerMessage(EventId = 1009, Level = LogLevel.Information, Message = "Engine.IO session {Sid} sent more than {Limit} bytes in one request or message")]
    public static partial void PayloadTooLarge(ILogger logger, string sid, long limit);

    [LoggerMessage(EventId = 1011, Level = LogLevel.Information, Message = "Engine.IO server at {Path} holds its maximum of {Limit} connections; handshake refused with 503")]
    public static partial void TooManyConnections(ILogger logger, int limit, string path);

    [LoggerMessage(EventId = 1012, Level = LogLevel.Information, Message = "Engine.IO session {Sid} outbound queue is full ({Messages} messages, {Bytes} bytes); message refused")]
    public static partial void OutboundQueueFull(ILogger logger, string sid, int messages, long bytes);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Information, Message = "Engine.IO server at {Path} shutting down, closing {Count} sessions")]
    public static partial void ShuttingDown(ILogger logger, string path, int count);
}
