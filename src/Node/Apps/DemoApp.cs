using SocketIo.Actors;
using SocketIo.Actors.Kernel;
using SocketIo.Node.Hosting;

namespace SocketIo.Node.Apps;

/// <summary>
/// <c>--app demo</c> (the default): the Socket.IO server at the configured path. Namespace <c>/</c> serves
/// the bench contract (shared/bench/CONTRACT.md) and the demos of the tutorialspoint tutorial (event
/// handling, chat) and the counter, side by side as in the tutorial; <c>/emitting</c> the examples of
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
        var counter = io.System.ActorOf(Props.CreateBy(() => new CounterActor(io.Sockets)), "counter");
        var usernames = ChatApp.CreateRegistry(io);

        io.OnConnection(socket =>
        {
            BenchContract.Register(socket);

            // Counter: new clients get the current count; "increment" adds one and tells everyone.
            counter.Tell(new CounterProtocol.SendCountTo(socket));
            socket.On("increment", _ => counter.Tell(CounterProtocol.Increment.Instance));

            EventHandlingApp.Register(socket, logger);
            ChatApp.Register(socket, usernames, logger);
        });
        EmittingEventsSamples.Register(io, logger);
        V2TestNamespace.Register(io);

        if (options.ServeClient)
            ClientBundle.Map(app, options.Path);
        DemoPages.Map(app);
        app.MapSocketIo(options.Path, o => EngineOptionsFromFlags.Apply(o, options));
    }
}
