using Akka.Actor;
using SocketIo.Actors;
using SocketIo.Node.Hosting;

namespace SocketIo.Node.Apps;

/// <summary>
/// <c>--app demo</c> (the default): the Socket.IO server at the configured path. Namespace <c>/</c> serves
/// the bench contract (shared/bench/CONTRACT.md) and the demos of the tutorialspoint tutorial (event
/// handling, chat) and the counter, side by side as in the tutorial (in a cluster the chat's names and the
/// count are cluster-wide sharded entities, see <see cref="ClusterDemo"/>); <c>/emitting</c> the examples of
/// socket.io's "Emitting events" page; <c>/v2-test</c> the test-only handlers of tests/js/v2-*.test.js.
/// The demo pages are served at <c>/</c>, and the browser client at <c>{path}socket.io.js</c> and
/// <c>/socket.io-2.3.1.js</c> unless <c>--no-serve-client</c>.
/// </summary>
public static class DemoApp
{
    public static void Map(WebApplication app, NodeOptions options)
    {
        var io = app.Services.GetRequiredService<SocketIoServer>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("SocketIo.Node.Demo");
        // The chat's usernames and the counter are sharded entities: cluster-wide when the node runs in a
        // cluster, over an in-memory broker when it runs alone (ClusterDemo).
        var demo = ClusterDemo.StartForHost(app, options, io);

        io.OnConnection(socket =>
        {
            BenchContract.Register(socket);

            // Counter: new clients get the current count; "increment" adds one and tells everyone.
            demo.Counter.Tell(new CounterProtocol.SendCountTo(CounterProtocol.DemoCounter, socket.Id));
            socket.On("increment", _ => demo.Counter.Tell(new CounterProtocol.Increment(CounterProtocol.DemoCounter)));

            EventHandlingApp.Register(socket, logger);
            ChatApp.Register(socket, demo, logger);
        });
        EmittingEventsSamples.Register(io, logger);
        V2TestNamespace.Register(io);

        if (options.ServeClient)
            ClientBundle.Map(app, options.Path);
        DemoPages.Map(app);
        app.MapSocketIo(options.Path, o => EngineOptionsFromFlags.Apply(o, options));
    }
}
