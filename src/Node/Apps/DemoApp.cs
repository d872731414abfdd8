using SocketIo.Actors;
using SocketIo.Actors.Kernel;
using SocketIo.Node.Hosting;

namespace SocketIo.Node.Apps;

/// <summary>
/// <c>--app demo</c> (the default): the Socket.IO server at the configured path. Namespace <c>/</c> serves
/// the bench contract (shared/bench/CONTRACT.md) and the counter demo; <c>/emitting</c> the examples of
/// socket.io's "Emitting events" page.
/// </summary>
public static class DemoApp
{
    public static void Map(WebApplication app, NodeOptions options)
    {
        var io = app.Services.GetRequiredService<SocketIoServer>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("SocketIo.Node.Demo");
        var counter = io.System.ActorOf(Props.CreateBy(() => new CounterActor(io.Sockets)), "counter");

        io.OnConnection(socket =>
        {
            BenchContract.Register(socket);

            // Counter: new clients get the current count; "increment" adds one and tells everyone.
            counter.Tell(new CounterProtocol.SendCountTo(socket));
            socket.On("increment", _ => counter.Tell(CounterProtocol.Increment.Instance));
        });
        EmittingEventsSamples.Register(io, logger);

        app.MapSocketIo(options.Path, o => EngineOptionsFromFlags.Apply(o, options));
    }
}
