using SocketIo.Actors;
using Akka.Actor;

namespace SocketIo.Node.Apps;

/// <summary>
/// Seed 001, "Socket.io Events" (the counter of The Complete Node.js Dev Course), on namespace <c>/</c>: a new
/// socket gets <c>countUpdated(count)</c>, and every <c>increment</c> adds one and sends
/// <c>countUpdated(count)</c> to every socket. Each JavaScript original is quoted above its translation; the
/// seed's client code is the page src/Node/wwwroot/counter.html.
/// </summary>
/// <remarks>
/// The seed's <c>let count = 0</c> is one variable shared by every connection. Here the count is the
/// <see cref="CounterActor"/> entity (<see cref="ClusterDemo"/>): increments from any thread, or any node of a
/// cluster, are handled one at a time, and the actor does the <c>io.emit</c> itself, so the counts reach each
/// socket in order.
/// </remarks>
public static partial class Seed001Counter
{
    public static void Register(SocketIoServer io, ClusterDemo demo, ILogger logger)
    {
        // let count = 0
        // (the CounterActor entity CounterProtocol.DemoCounter; it starts at 0)

        // io.on('connection', (socket)=>{
        io.OnConnection(socket =>
        {
            // console.log('New WebSocket connection')
            Log.NewConnection(logger);

            // socket.emit('countUpdated', count)
            // The entity emits to this socket's own room: cluster-wide, and ordered with its io.emit of later counts.
            demo.Counter.Tell(new CounterProtocol.SendCountTo(CounterProtocol.DemoCounter, socket.Id));

            // socket.on('increment', ()=>{
            //   count++
            //   io.emit('countUpdated', count)
            // })
            socket.On("increment", _ => demo.Counter.Tell(new CounterProtocol.Increment(CounterProtocol.DemoCounter)));
        });
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 5201, Level = LogLevel.Information, Message = "New WebSocket connection")]
        public static partial void NewConnection(ILogger logger);
    }
}
