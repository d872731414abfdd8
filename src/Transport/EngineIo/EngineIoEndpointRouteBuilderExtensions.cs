using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SocketIo.Transport.EngineIo.Internal;

namespace SocketIo.Transport.EngineIo;

/// <summary>Maps Engine.IO servers onto ASP.NET Core endpoint routing.</summary>
public static class EngineIoEndpointRouteBuilderExtensions
{
    /// <summary>How long application stop waits for sessions to finish closing before Kestrel stops.</summary>
    private static readonly TimeSpan ShutdownDrainTimeout = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Builds an <see cref="EngineIoServer"/> for <paramref name="path"/> and maps every request to it
    /// (the path matches with or without its trailing slash). Options start from those registered with
    /// <see cref="EngineIoServiceCollectionExtensions.AddEngineIo"/>, then <paramref name="configure"/>;
    /// <see cref="EngineIoOptions.Path"/> is set to <paramref name="path"/>. The server is disposed (sessions
    /// closed with <c>server shutting down</c>) when the application stops. Requires <c>app.UseWebSockets()</c>
    /// for the WebSocket transport.
    /// </summary>
    public static EngineIoEndpointConventionBuilder MapEngineIo(this IEndpointRouteBuilder endpoints, string path, IEngineHandler handler, Action<EngineIoOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(handler);
        var services = endpoints.ServiceProvider;
        var options = new EngineIoOptions();
        foreach (var setup in services.GetServices<IConfigureOptions<EngineIoOptions>>())
        {
            setup.Configure(options);
        }

        configure?.Invoke(options);
        options.Path = path;
        var server = new EngineIoServer(handler, options, services.GetService<ILoggerFactory>(), services.GetService<IMeterFactory>());
        return endpoints.MapEngineIo(server);
    }

    /// <summary>Maps an existing server at its <see cref="EngineIoOptions.Path"/>; disposes it when the application stops.</summary>
    public static EngineIoEndpointConventionBuilder MapEngineIo(this IEndpointRouteBuilder endpoints, EngineIoServer server)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(server);
        var builder = endpoints.Map(server.Options.Path, server.HandleRequestAsync);
        builder.WithDisplayName("Engine.IO " + server.Options.Path);
        // With UseEngineIoDirectWebSockets, WebSocket handshakes to this path are served on the connection layer.
        endpoints.ServiceProvider.GetService<DirectWebSocketRoutes>()?.Add(server);
        endpoints.ServiceProvider.GetService<IHostApplicationLifetime>()?.ApplicationStopping.Register(
            static state =>
            {
                // Kestrel keeps serving until these callbacks return: polling clients between two polls
                // use that moment to fetch their close packet.
                var engine = (EngineIoServer)state!;
                _ = engine.DisposeAsync();
                engine.WaitForSessionsAsync(ShutdownDrainTimeout).Wait();
            },
            server);
        return new EngineIoEndpointConventionBuilder(builder, server);
    }
}

/// <summary>The endpoint convention builder returned by <c>MapEngineIo</c>; exposes the mapped server.</summary>
public sealed class EngineIoEndpointConventionBuilder : IEndpointConventionBuilder
{
    private readonly IEndpointConventionBuilder _inner;

    internal EngineIoEndpointConventionBuilder(IEndpointConventionBuilder inner, EngineIoServer server)
    {
        _inner = inner;
        Server = server;
    }

    /// <summary>The server serving the mapped path.</summary>
    public EngineIoServer Server { get; }

    public void Add(Action<EndpointBuilder> convention) => _inner.Add(convention);

    public void Finally(Action<EndpointBuilder> finallyConvention) => _inner.Finally(finallyConvention);
}

/// <summary>Service registration for Engine.IO.</summary>
public static class EngineIoServiceCollectionExtensions
{
    /// <summary>
    /// Registers default <see cref="EngineIoOptions"/> (applied to every <c>MapEngineIo</c> before its own
    /// configure callback) and the metrics infrastructure. Optional: <c>MapEngineIo</c> works without it.
    /// </summary>
    public static IServiceCollection AddEngineIo(this IServiceCollection services, Action<EngineIoOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions();
        services.AddMetrics();
        if (configure is not null)
        {
            services.Configure(configure);
        }

        return services;
    }
}
