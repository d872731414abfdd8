using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Dispatch;
using Akka.Event;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using AkkaLogLevel = Akka.Event.LogLevel;
using LogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace SocketIo.Actors.Internal;

/// <summary>
/// The Akka logger (<c>akka.loggers</c>) of the actor systems the server creates: every Akka log event
/// (actor failures, dead letters, <c>Context.GetLogger()</c> in user actors) goes to the
/// <see cref="ILoggerFactory"/> of the system's <see cref="LoggerFactorySetup"/>, under the category of the
/// class that logged it, so the server's own <see cref="ILogger"/> output and Akka's are one stream.
/// Without the setup it drops everything.
/// </summary>
internal sealed partial class AkkaLoggerBridge : ActorBase, IRequiresMessageQueue<ILoggerMessageQueueSemantics>
{
    private readonly ILoggerFactory _loggerFactory;
    private readonly ConcurrentDictionary<Type, ILogger> _loggers = new();

    public AkkaLoggerBridge()
    {
        var setup = Context.System.Settings.Setup.Get<LoggerFactorySetup>();
        _loggerFactory = setup.HasValue ? setup.Value.LoggerFactory : NullLoggerFactory.Instance;
    }

    protected override bool Receive(object message)
    {
        switch (message)
        {
            case InitializeLogger:
                Sender.Tell(new LoggerInitialized());
                return true;
            case LogEvent e:
                var logger = _loggers.GetOrAdd(e.LogClass ?? typeof(ActorSystem), type => _loggerFactory.CreateLogger(type.FullName ?? type.Name));
                var level = ToLogLevel(e.LogLevel());
                if (logger.IsEnabled(level))
                    AkkaEvent(logger, level, e.Cause, e.LogSource, e.Message?.ToString() ?? "");
                return true;
            default:
                return false;
        }
    }

    /// <summary>The Akka <c>loglevel</c> that lets through what <paramref name="loggerFactory"/> would write (Akka filters before publishing).</summary>
    public static string AkkaLevelFor(ILoggerFactory loggerFactory)
    {
        var probe = loggerFactory.CreateLogger("Akka");
        if (probe.IsEnabled(LogLevel.Debug)) return "DEBUG";
        if (probe.IsEnabled(LogLevel.Information)) return "INFO";
        if (probe.IsEnabled(LogLevel.Warning)) return "WARNING";
        if (probe.IsEnabled(LogLevel.Error)) return "ERROR";
        return "OFF";
    }

    private static LogLevel ToLogLevel(AkkaLogLevel level) => level switch
    {
        AkkaLogLevel.DebugLevel => LogLevel.Debug,
        AkkaLogLevel.InfoLevel => LogLevel.Information,
        AkkaLogLevel.WarningLevel => LogLevel.Warning,
        _ => LogLevel.Error,
    };

    [LoggerMessage(EventId = 1000, Message = "[{LogSource}] {Message}")]
    private static partial void AkkaEvent(ILogger logger, LogLevel level, Exception? exception, string logSource, string message);
}
