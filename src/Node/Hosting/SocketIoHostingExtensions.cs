using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Akka.Actor;
using Akka.Configuration;
using Akka.Hosting;
using Microsoft.Extensions.Logging;
using SocketIo.Actors;
using SocketIo.Transport.EngineIo;
using AkkaLogLevel = Akka.Event.LogLevel;

namespace SocketIo.Node.Hosting;

/// <summary>ASP.NET Core integration of the Socket.IO server: <c>services.AddSocketIo()</c> and <c>app.MapSocketIo()</c>.</summary>
public static class SocketIoHostingExtensions
{
    /// <summary>
    /// Registers a singleton <see cref="SocketIoServer"/> configured by <paramref name="configure"/>, living in the
    /// application's Akka.Hosting <see cref="ActorSystem"/>: the one registered by an earlier
    /// <c>services.AddAkka(...)</c>, or else one named <c>socketio</c> registered here
    /// (<see cref="AddSocketIoActorSystem"/>). The host owns the system: it starts with the host and stops with it
    /// (CoordinatedShutdown), after the server has disconnected its sockets. <paramref name="akkaConfig"/> (for
    /// example the <c>akka</c> section of cluster.hocon) goes in front of the defaults of a system registered here.
    /// </summary>
    public static IServiceCollection AddSocketIo(this IServiceCollection services, Action<SocketIoOptions>? configure = null, Config? akkaConfig = null)
    {
        services.AddSocketIoActorSystem(akkaConfig);
        services.AddSingleton(sp =>
        {
            var options = new SocketIoOptions();
            configure?.Invoke(options);
            return new SocketIoServer(options, sp.GetService<ILoggerFactory>(), sp.GetRequiredService<ActorSystem>());
        });
        return services;
    }

    /// <summary>
    /// Registers the Akka.Hosting actor system <c>socketio</c> unless the application registered one already
    /// (call <c>services.AddAkka(...)</c> before this to bring your own): <see cref="WithSocketIoDefaults"/>'s
    /// settings with <paramref name="akkaConfig"/> in front of them, started and stopped with the host. A cluster's
    /// nodes all use the same <paramref name="name"/> (it is part of every Akka address).
    /// </summary>
    public static IServiceCollection AddSocketIoActorSystem(this IServiceCollection services, Config? akkaConfig = null, string name = SocketIoActorSystem.DefaultName)
    {
        // Every Engine.IO server mapped in this application runs its session graphs on the actor system's one materializer.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<EngineIoOptions>, EngineStreams.OptionsSetup>());
        if (services.Any(d => d.ServiceType == typeof(ActorSystem))) return services;
        return services.AddAkka(name, (builder, sp) =>
        {
            builder.WithSocketIoDefaults(sp.GetService<ILoggerFactory>());
            // Prepended after the defaults, so it wins over them (the logger setup stays the host's).
            if (akkaConfig is not null) builder.AddHocon(akkaConfig, HoconAddMode.Prepend);
        });
    }

    /// <summary>
    /// The settings of <see cref="SocketIoActorSystem.DefaultConfig"/> on an Akka.Hosting builder: the default
    /// dispatcher's throughput, and Akka's log events written to the host's <see cref="ILoggerFactory"/> (Akka.Hosting's
    /// logger), at the most detailed level <paramref name="loggerFactory"/> enables for category <c>Akka</c>.
    /// </summary>
    public static AkkaConfigurationBuilder WithSocketIoDefaults(this AkkaConfigurationBuilder builder, ILoggerFactory? loggerFactory = null)
    {
        builder.AddHocon("akka.actor.default-dispatcher.throughput = 100", HoconAddMode.Prepend);
        return builder.ConfigureLoggers(loggers =>
        {
            loggers.ClearLoggers();
            loggers.AddLoggerFactory();
            loggers.LogLevel = LevelFor(loggerFactory);
        });
    }

    private static AkkaLogLevel LevelFor(ILoggerFactory? loggerFactory)
    {
        if (loggerFactory is null) return AkkaLogLevel.InfoLevel;
        var probe = loggerFactory.CreateLogger("Akka");
        if (probe.IsEnabled(LogLevel.Debug)) return AkkaLogLevel.DebugLevel;
        if (probe.IsEnabled(LogLevel.Information)) return AkkaLogLevel.InfoLevel;
        return probe.IsEnabled(LogLevel.Warning) ? AkkaLogLevel.WarningLevel : AkkaLogLevel.ErrorLevel;
    }

    /// <summary>
    /// Serves the registered <see cref="SocketIoServer"/> over Engine.IO at <paramref name="path"/>
    /// (default <c>/socket.io/</c>). Call <c>app.UseWebSockets()</c> first. In a cluster (<see cref="ClusterHosting.AddTo"/>)
    /// the engine starts from the options registered there: sids carry this member's tag and requests for other members'
    /// sessions are forwarded to them, so the nodes need no sticky sessions.
    /// </summary>
    public static EngineIoEndpointConventionBuilder MapSocketIo(this WebApplication app, string path = "/socket.io/", Action<EngineIoOptions>? configureEngine = null) =>
        app.MapSocketIo(app.Services.GetRequiredService<SocketIoServer>(), path, configureEngine);

    /// <summary>Serves <paramref name="server"/> at <paramref name="path"/>; the server is disposed when the application stops.</summary>
    public static EngineIoEndpointConventionBuilder MapSocketIo(this WebApplication app, SocketIoServer server, string path = "/socket.io/", Action<EngineIoOptions>? configureEngine = null)
    {
        var builder = app.MapEngineIo(path, new SocketIoEngineHandler(server), configureEngine);
        // The engine closes its sessions on ApplicationStopping ("server shutting down"); the Socket.IO server
        // stops its sockets in the actor system's CoordinatedShutdown (run when the host stops its hosted
        // services), and at the latest here, once the host has stopped (disposal is idempotent).
        app.Lifetime.ApplicationStopped.Register(() => server.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(10)));
        return builder;
    }
}
