using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SocketIo.Actors.Internal;

namespace SocketIo.Actors;

/// <summary>
/// Creates the Akka.NET <see cref="ActorSystem"/> a server runs in when the application brings none (a
/// hosted application gets its system from Akka.Hosting instead; see <c>AddSocketIo</c>).
/// </summary>
public static class SocketIoActorSystem
{
    /// <summary>The name of a system created here unless told otherwise.</summary>
    public const string DefaultName = "socketio";

    /// <summary>
    /// The settings every system created here starts from: Akka's log events go to the
    /// <see cref="ILoggerFactory"/> passed to <see cref="Create"/>, and the default dispatcher runs up to 100
    /// messages of one actor per turn on the .NET thread pool before it moves on to the next actor.
    /// </summary>
    public static Config DefaultConfig { get; } = ConfigurationFactory.ParseString("""
        akka {
          loggers = ["SocketIo.Actors.Internal.AkkaLoggerBridge, SocketIo.Actors"]
          stdout-loglevel = WARNING
          actor.default-dispatcher.throughput = 100
        }
        """);

    /// <summary>
    /// Creates a system whose Akka logging goes to <paramref name="loggerFactory"/> (at the most detailed level
    /// it enables for category <c>Akka</c>); <paramref name="config"/>, when given, overrides
    /// <see cref="DefaultConfig"/>. The caller terminates it.
    /// </summary>
    public static ActorSystem Create(string name = DefaultName, ILoggerFactory? loggerFactory = null, Config? config = null)
    {
        loggerFactory ??= NullLoggerFactory.Instance;
        var settings = ConfigurationFactory.ParseString($"akka.loglevel = {AkkaLoggerBridge.AkkaLevelFor(loggerFactory)}").WithFallback(DefaultConfig);
        if (config is not null) settings = config.WithFallback(settings);
        var setup = ActorSystemSetup.Create(BootstrapSetup.Create().WithConfig(settings), new LoggerFactorySetup(loggerFactory));
        return ActorSystem.Create(name, setup);
    }
}
