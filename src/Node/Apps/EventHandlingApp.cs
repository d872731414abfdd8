using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using SocketIo.Actors;

namespace SocketIo.Node.Apps;

/// <summary>
/// The "Event Handling" examples of the tutorialspoint socket.io tutorial, on namespace <c>/</c>, with the
/// tutorial's event names and payloads so its pages work unchanged: a connection is logged
/// ("A user connected"); four seconds later the socket gets the built-in <c>message</c> event
/// (<c>socket.send</c>) and the custom <c>testerEvent</c> with <c>{ description }</c> (also under the name
/// <c>testEvent</c>, the name the feature request used); every
/// <c>clientEvent</c> the page emits is logged, and so is the disconnection.
/// </summary>
public static partial class EventHandlingApp
{
    /// <summary>The tutorial's text, exactly (its "4seconds" has no space).</summary>
    public const string DelayedMessage = "Sent a message 4seconds after connection!";

    /// <summary>The custom event the tutorial emits after the delay.</summary>
    public const string CustomEvent = "testerEvent";

    /// <summary>The same event under the name the feature request used for it; same payload.</summary>
    public const string CustomEventAlias = "testEvent";

    public const string CustomEventDescription = "A custom event named testerEvent!";

    public static readonly TimeSpan Delay = TimeSpan.FromSeconds(4);

    public static void Register(Socket socket, ILogger logger)
    {
        Log.UserConnected(logger, socket.Id);

        // The delay runs beside the socket actor (a timer, not a blocked listener); disconnecting cancels it.
        var pending = new CancellationTokenSource();
        _ = SendAfterDelay(socket, socket.Server.Options.TimeProvider, pending.Token);

        socket.On<JToken?>("clientEvent", data => Log.ClientEvent(logger, socket.Id, Printable(data)));
        socket.OnDisconnect(reason =>
        {
            pending.Cancel();
            pending.Dispose();
            Log.UserDisconnected(logger, socket.Id, reason);
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
        // Emit returns false (and sends nothing) if the socket disconnected in between.
        socket.Send(DelayedMessage);
        var payload = new JObject { ["description"] = CustomEventDescription };
        socket.Emit(CustomEvent, payload);
        socket.Emit(CustomEventAlias, payload);
    }

    private static string Printable(JToken? data) => data switch
    {
        null => "undefined",
        { Type: JTokenType.String } => (string)data!,
        _ => data.ToString(Formatting.None),
    };

    private static partial class Log
    {
        [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "A user connected ({SocketId})")]
        public static partial void UserConnected(ILogger logger, string socketId);

        [LoggerMessage(EventId = 5002, Level = LogLevel.Information, Message = "clientEvent from {SocketId}: {Data}")]
        public static partial void ClientEvent(ILogger logger, string socketId, string data);

        [LoggerMessage(EventId = 5003, Level = LogLevel.Information, Message = "A user disconnected ({SocketId}, {Reason})")]
        public static partial void UserDisconnected(ILogger logger, string socketId, string reason);
    }
}
