using Akka.Actor;
using SocketIo.Actors;
using SocketIo.Node.Configuration;
using SocketIo.Node.Hosting;

namespace SocketIo.Node.Apps;

/// <summary>
/// <c>--app demo</c> (the default): the Socket.IO server at the configured path. Namespace <c>/</c> serves the
/// bench contract (shared/bench/CONTRACT.md) and, side by side, the servers of the seed documents
/// (shared/seeds): seed 000, event handling (<see cref="Seed000EventHandling"/>); seed 001, the counter
/// (<see cref="Seed001Counter"/>); seed 002, the chat (<see cref="Seed002Chat"/>); seed 003, custom events
/// (<see cref="Seed003CustomEvents"/>). In a cluster the chat's names and the count are cluster-wide sharded
/// entities (<see cref="ClusterDemo"/>). <c>/emitting</c> runs seed 004, socket.io's "Emitting events" page
/// (<see cref="EmittingEventsSamples"/>); <c>/v2-test</c> the test-only handlers of tests/js/v2-*.test.js.
/// The demo pages, the seeds' own pages among them, are served at <c>/</c> (<see cref="DemoPages"/>), and the
/// browser client at <c>{path}socket.io.js</c> and <c>/socket.io-2.3.1.js</c> unless <c>--no-serve-client</c>.
/// </summary>
public static class DemoApp
{
    public static void Map(WebApplication app, NodeOptions options)
    {
        var io = app.Services.GetRequiredService<SocketIoServer>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("SocketIo.Node.Demo");
        // The chat's usernames and the counter are entities: Akka.Cluster.Sharding entities when the node runs
        // in a cluster, children of a local region when it runs alone (ClusterDemo).
        var shardCount = app.Services.GetService<NodeConfig>()?.Cluster.ShardCount ?? 64;
        var demo = ClusterDemo.StartForHost(app, io, shardCount);

        // Connection listeners run in this order on each new socket of "/", before its first packet.
        io.OnConnection(BenchContract.Register);
        Seed000EventHandling.Register(io, logger);
        Seed001Counter.Register(io, demo, logger);
        Seed002Chat.Register(io, demo, logger);
        Seed003CustomEvents.Register(io, logger);
        EmittingEventsSamples.Register(io, logger);
        V2TestNamespace.Register(io);

        if (options.ServeClient)
            ClientBundle.Map(app, options.Path);
        DemoPages.Map(app);
        app.MapSocketIo(options.Path, o => EngineOptionsFromFlags.Apply(o, options));
    }
}
