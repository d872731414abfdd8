using Akka.Actor.Setup;
using Microsoft.Extensions.Logging;

namespace SocketIo.Actors.Internal;

/// <summary>The <see cref="ILoggerFactory"/> that <see cref="AkkaLoggerBridge"/> writes an actor system's log events to.</summary>
internal sealed class LoggerFactorySetup(ILoggerFactory loggerFactory) : Setup
{
    public ILoggerFactory LoggerFactory { get; } = loggerFactory;
}
