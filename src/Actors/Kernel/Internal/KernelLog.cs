using Microsoft.Extensions.Logging;

namespace SocketIo.Actors.Kernel.Internal;

/// <summary>The kernel's own log events (fixed ids 1000-1099).</summary>
internal static partial class KernelLog
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Debug, Message = "Dead letter {MessageType} to {Recipient} from {Sender}")]
    public static partial void DeadLetter(ILogger logger, Type messageType, ActorPath recipient, ActorPath? sender);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Debug, Message = "Unhandled message {MessageType} in {Actor} from {Sender}")]
    public static partial void Unhandled(ILogger logger, Type messageType, ActorPath actor, ActorPath? sender);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Error, Message = "Actor {Actor} failed processing {MessageType}; the message is dropped")]
    public static partial void ActorFailed(ILogger logger, Exception exception, ActorPath actor, Type? messageType);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Debug, Message = "Supervisor {Supervisor} applies {Directive} to {Child} after {ExceptionType}")]
    public static partial void Supervising(ILogger logger, ActorPath supervisor, Directive directive, ActorPath child, Type exceptionType);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning, Message = "Child {Child} exceeded {MaxRetries} restarts and is stopped")]
    public static partial void RestartLimitReached(ILogger logger, ActorPath child, int maxRetries);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Debug, Message = "Actor {Actor} restarted after {ExceptionType}")]
    public static partial void Restarted(ILogger logger, ActorPath actor, Type exceptionType);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Error, Message = "{Hook} of {Actor} threw")]
    public static partial void HookFailed(ILogger logger, Exception exception, string hook, ActorPath actor);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Warning, Message = "Actor {Actor} failed while stopping; ignored")]
    public static partial void FailedWhileStopping(ILogger logger, Exception exception, ActorPath actor);

    [LoggerMessage(EventId = 1008, Level = LogLevel.Error, Message = "System message {MessageType} failed in {Actor}")]
    public static partial void SystemMessageFailed(ILogger logger, Exception exception, string messageType, ActorPath actor);

    [LoggerMessage(EventId = 1009, Level = LogLevel.Information, Message = "Actor system {System} started")]
    public static partial void SystemStarted(ILogger logger, string system);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Information, Message = "Actor system {System} terminating")]
    public static partial void SystemTerminating(ILogger logger, string system);

    [LoggerMessage(EventId = 1011, Level = LogLevel.Information, Message = "Actor system {System} terminated")]
    public static partial void SystemTerminated(ILogger logger, string system);

    [LoggerMessage(EventId = 1012, Level = LogLevel.Error, Message = "Scheduled tell to {Receiver} threw")]
    public static partial void ScheduledTellFailed(ILogger logger, Exception exception, string receiver);
}
