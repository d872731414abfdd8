using SocketIo.Actors;
using SocketIo.Node.Hosting;

namespace SocketIo.Node.Apps;

/// <summary>
/// <c>--app bench</c>: only the bench harness contract (shared/bench/CONTRACT.md, see <see cref="BenchContract"/>)
/// on namespace <c>/</c> at the configured path, so that nothing else costs time or memory while the server is
/// measured: no demo handlers, no greeting on connect, no demo pages and no browser client.
/// </summary>
public static class BenchApp
{
    public static void Map(WebApplication app, NodeOptions options)
    {
        var io = app.Services.GetRequiredService<SocketIoServer>();
        io.OnConnection(BenchContract.Register);
        app.MapSocketIo(options.Path, o => EngineOptionsFromFlags.Apply(o, options));
    }
}
