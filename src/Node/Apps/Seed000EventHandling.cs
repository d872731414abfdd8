using Newtonsoft.Json.Linq;
using SocketIo.Actors;
using SocketIo.Node.Apps.Internal;

namespace SocketIo.Node.Apps;

/// <summary>
/// Seed 000, "3. Event handling" of the Socket.IO-Lucee tutorial (its pages use socket.io-client 2.3.1), on
/// namespace <c>/</c>. The tutorial writes <c>setupListeners()</c> three times, one example each (a
/// <c>message</c> four seconds after connecting, then the custom <c>testEvent</c> in its place, then the
/// client's <c>clientEvent</c>); this app runs the three at once, so each of the tutorial's three pages
/// (src/Node/wwwroot/seeds/000-*.html) works against the same server. Each CFML original is quoted above its
/// translation. The tutorial's <c>SystemOutput</c> lines are log lines with the same text.
/// </summary>
public static partial class Seed000EventHandling
{
    /// <summary>The tutorial's <c>socket.send</c> text.</summary>
    public const string DelayedMessage = "Sent a message 4 seconds after connection!";

    /// <summary>The custom event of the tutorial's second example.</summary>
    public const string TestEvent = "testEvent";

    /// <summary>The tutorial's <c>testEvent</c> payload: one string.</summary>
    public const string TestEventMessage = "Sent a testEvent 4 seconds after connection!";

    /// <summary>The tutorial's <c>sleep( 4000 )</c>.</summary>
    public static readonly TimeSpan Delay = TimeSpan.FromSeconds(4);

    public static void Register(SocketIoServer io, ILogger logger)
    {
        // io.on( "connect", function( socket ){
        io.OnConnection(socket =>
        {
            // SystemOutput( "A user connected..." );
            Log.UserConnected(logger);

            // Cancels the delayed send below when the socket leaves first.
            var pending = new CancellationTokenSource();

            // socket.on( "disconnect", function() {
            //   SystemOutput( "A user disconnected" );
            // });
            socket.OnDisconnect(_ =>
            {
                pending.Cancel();
                pending.Dispose();
                Log.UserDisconnected(logger);
            });

            // thread socket=socket name="bg-thrd-#socket.getId()#" {
            //   sleep( 4000 );
            //   socket.send( "Sent a message 4 seconds after connection!" );
            // }
            // and, in the second example, in the same thread:
            //   socket.emit( "testEvent", "Sent a testEvent 4 seconds after connection!" );
            // The thread's sleep is a timer beside the socket actor: a listener that slept would hold the socket's
            // mailbox for four seconds.
            _ = SendAfterDelay(socket, socket.Server.Options.TimeProvider, pending.Token);

            // socket.on( "clientEvent", function( msg ) {
            //   SystemOutput( "Client event received: " & arguments.msg );
            // });
            socket.On<JToken?>("clientEvent", msg => Log.ClientEventReceived(logger, JsValues.ToText(msg)));
        });
    }

    private static async Task SendAfterDelay(Socket socket, TimeProvider time, CancellationToken cancelled)
    {
        try
        {
            await Task.Delay(Delay, time, cancelled).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        // Send and Emit return false (and send nothing) if the socket disconnected in between.
        socket.Send(DelayedMessage);
        socket.Emit(TestEvent, TestEventMessage);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "A user connected...")]
        public static partial void UserConnected(ILogger logger);

        [LoggerMessage(EventId = 5002, Level = LogLevel.Information, Message = "Client event received: {Msg}")]
        public static partial void ClientEventReceived(ILogger logger, string msg);

        [LoggerMessage(EventId = 5003, Level = LogLevel.Information, Message = "A user disconnected")]
        public static partial void UserDisconnected(ILogger logger);
    }
}
