using Microsoft.Extensions.Logging;
using SocketIo.Actors;
using SocketIo.Transport.EngineIo;

namespace SocketIo.Node.Hosting;

/// <summary>ASP.NET Core integration of the Socket.IO server: <c>services.AddSocketIo()</c> and <c>app.MapSocketIo()</c>.</summary>
public static class SocketIoHostingExtensions
{
    /// <summary>Registers a singleton <see cref="SocketIoServer"/> configured by <paramref name="configure"/>.</summary>
    public static IServiceCollection AddSocketIo(this IServiceCollection services, Action<SocketIoOptions>? configure = null)
    {
        services.AddSingleton(sp =>
        {
            var options = new SocketIoOptions();
            configure?.Invoke(options);
            return new SocketIoServer(options, sp.GetService<ILoggerFactory>());
        });
        return services;
    }

    /// <summary>
    /// Serves the registered <see cref="SocketIoServer"/> over Engine.IO at <paramref name="path"/>
    /// (default <c>/socket.io/</c>). Call <c>app.UseWebSockets()</c> first.
    /// </summary>
    public static EngineIoEndpointConventionBuilder MapSocketIo(this WebApplication app, string path = "/socket.io/", Action<EngineIoOptions>? configureEngine = null) =>
        app.MapSocketIo(app.Services.GetRequiredService<SocketIoServer>(), path, configureEngine);

    /// <summary>Serves <paramref name="server"/> at <paramref name="path"/>; the server is disposed when the application stops.</summary>
    public static EngineIoEndpointConventionBuilder MapSocketIo(this WebApplication app, SocketIoServer server, string path = "/socket.io/", Action<EngineIoOptions>? configureEngine = null)
    {
        var builder = app.MapEngineIo(path, new SocketIoEngineHandler(server), configureEngine);
        // The engine closes its sessions on ApplicationStopping ("server shutting down"); the Socket.IO
        // server then stops its actors once the host has stopped.
        app.Lifetime.ApplicationStopped.Register(() => server.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(10)));
        return builder;
    }
}
