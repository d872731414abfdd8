namespace SocketIo.Transport.EngineIo.Internal;

/// <summary>
/// The Engine.IO servers whose WebSocket handshakes <see cref="DirectWebSocketMiddleware"/> may serve, by path.
/// Filled by <c>MapEngineIo</c> when <c>UseEngineIoDirectWebSockets</c> registered it; read on every new connection.
/// Paths match as endpoint routing matches them: case-insensitively, with or without the trailing slash.
/// </summary>
internal sealed class DirectWebSocketRoutes
{
    private readonly Lock _gate = new();
    private volatile KeyValuePair<string, EngineIoServer>[] _routes = [];

    public bool IsEmpty => _routes.Length == 0;

    public void Add(EngineIoServer server)
    {
        lock (_gate)
        {
            _routes = [.. _routes, new(Normalize(server.Options.Path), server)];
        }
    }

    public EngineIoServer? Find(string path)
    {
        var normalized = Normalize(path);
        foreach (var (routePath, server) in _routes)
        {
            if (string.Equals(routePath, normalized, StringComparison.OrdinalIgnoreCase))
            {
                return server;
            }
        }

        return null;
    }

    private static string Normalize(string path) => path.Length > 1 && path[^1] == '/' ? path[..^1] : path;
}
