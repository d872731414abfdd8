using Akka.Actor;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace SocketIo.Actors.Internal;

/// <summary>The <see cref="ILoggerFactory"/> an actor system logs to, for code that lives beside its actors.</summary>
internal static class ActorSystemLogging
{
    /// <summary>The factory of a system made by <see cref="SocketIoActorSystem.Create"/>; none (everything dropped) for another system.</summary>
    public static ILoggerFactory LoggerFactoryOf(ActorSystem system)
    {
        var setup = system.Settings.Setup.Get<LoggerFactorySetup>();
        return setup.HasValue ? setup.Value.LoggerFactory : NullLoggerFactory.Instance;
    }
}
