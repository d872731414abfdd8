using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SocketIo.Transport.EngineIo.Internal;

namespace SocketIo.Transport.EngineIo;

/// <summary>
/// Opt-in: Engine.IO WebSocket handshakes served on Kestrel's connection layer instead of through ASP.NET Core.
/// An idle WebSocket then holds no upgraded HTTP request (HttpContext, header collections, Kestrel's HTTP/1.1
/// connection state): 3.2 KiB less live heap per connection in the Socket.IO host, 5.6 KiB in a bare Kestrel app
/// (docs/PERFORMANCE.md). The trade-off: the handshake request of a WebSocket opened directly (not an upgrade of a
/// polling session on the same connection) skips the application's ASP.NET Core middleware; the engine's own
/// checks, <c>allowRequest</c>, CORS headers and error answers still apply. Requests that are not a plain HTTP/1.1 WebSocket handshake to a path mapped with
/// <c>MapEngineIo</c> (TLS, HTTP/2, anything unusual) take the normal path, unchanged.
/// </summary>
public static class EngineIoDirectWebSocketExtensions
{
    /// <summary>
    /// Adds the direct WebSocket path to every Kestrel endpoint through <c>ConfigureEndpointDefaults</c> (which
    /// replaces an earlier endpoint-defaults callback; with your own, call <see cref="UseEngineIoDirectWebSockets(ListenOptions)"/>
    /// on the endpoints instead). Engine.IO servers mapped afterwards with <c>MapEngineIo</c> are served by it. Endpoint
    /// defaults are applied before Kestrel adds TLS, so on HTTPS endpoints handshakes keep the normal path; to serve
    /// <c>wss://</c> directly, call <see cref="UseEngineIoDirectWebSockets(ListenOptions)"/> after <c>UseHttps</c>.
    /// </summary>
    public static IWebHostBuilder UseEngineIoDirectWebSockets(this IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.ConfigureServices(services => services.TryAddSingleton<DirectWebSocketRoutes>());
        builder.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(listen => listen.UseEngineIoDirectWebSockets()));
        return builder;
    }

    /// <summary>
    /// Adds the direct WebSocket path to one endpoint. Added before <c>UseHttps</c> it would only see TLS bytes and pass
    /// them on untouched, so on an HTTPS endpoint call it after <c>UseHttps</c>. Requires the services registered by
    /// <see cref="UseEngineIoDirectWebSockets(IWebHostBuilder)"/> or <see cref="AddEngineIoDirectWebSockets"/>.
    /// </summary>
    public static ListenOptions UseEngineIoDirectWebSockets(this ListenOptions listen)
    {
        ArgumentNullException.ThrowIfNull(listen);
        listen.Use(next =>
        {
            var services = listen.ApplicationServices;
            var routes = services.GetService<DirectWebSocketRoutes>()
                ?? throw new InvalidOperationException("Call services.AddEngineIoDirectWebSockets() (or webHost.UseEngineIoDirectWebSockets()) first.");
            return new DirectWebSocketMiddleware(next, routes, services).InvokeAsync;
        });
        return listen;
    }

    /// <summary>Registers what the direct WebSocket path needs, for hosts that add it endpoint by endpoint.</summary>
    public static IServiceCollection AddEngineIoDirectWebSockets(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<DirectWebSocketRoutes>();
        return services;
    }
}
