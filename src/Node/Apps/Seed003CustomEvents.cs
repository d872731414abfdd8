using Newtonsoft.Json.Linq;
using SocketIo.Actors;
using SocketIo.Node.Apps.Internal;

namespace SocketIo.Node.Apps;

/// <summary>
/// Seed 003, "Custom Events in Socket.io", on namespace <c>/</c>: every server-side example of the article, with
/// its event names and payloads. Each JavaScript original is quoted above its translation; the page
/// src/Node/wwwroot/custom-events.html runs the article's client-side examples against it (socket.io-client 4.8).
/// <list type="bullet">
/// <item>On connection: <c>messageReceived({ status: 'success', message: 'Message has been successfully received.' })</c>.</item>
/// <item><c>sendMessage(data[, ack])</c> logs <c>Received message: DATA.MESSAGE</c> and, when the client asked for
/// an ack, answers <c>Message received and processed</c>. (The article shows this listener twice, without and with
/// the ack; one listener serves both client examples.)</item>
/// <item><c>sendData(greeting, number, userData)</c> logs the three arguments, in order.</item>
/// </list>
/// The article's room, broadcast and error snippets are fragments that nothing triggers; each runs here when the
/// client emits an event of its own (names chosen to collide with no other app of <c>/</c>: the bench contract's
/// <c>echo</c>/<c>join</c>/<c>room:emit</c>/<c>io:emit</c>, the chat's <c>setUsername</c>/<c>msg</c>, seed 000's
/// <c>clientEvent</c>, the counter's <c>increment</c>):
/// <list type="bullet">
/// <item><c>joinRoom1</c>: the socket joins <c>room1</c>, then <c>io.to('room1').emit('newMessage', { message: 'Hello, Room 1!' })</c>
/// reaches every member of <c>room1</c>, this socket included.</item>
/// <item><c>broadcastNewMessage</c>: <c>io.emit('newMessage', { message: 'A new message is available!' })</c>, to every socket of <c>/</c>.</item>
/// <item><c>triggerError</c>: <c>socket.emit('error', 'Something went wrong!')</c> to this socket. (<c>error</c> is not
/// a reserved name for a server's emit in socket.io v4, nor for the v4 client's listeners.)</item>
/// </list>
/// One addition: <c>sendData</c> with an ack (the article's client sends none) is answered with the three arguments
/// as the server received them, so a page can show what arrived.
/// </summary>
public static partial class Seed003CustomEvents
{
    /// <summary>The article's room.</summary>
    public const string Room = "room1";

    /// <summary>Client event: join <see cref="Room"/>, then the article's <c>io.to('room1').emit('newMessage', …)</c>.</summary>
    public const string JoinRoom1Event = "joinRoom1";

    /// <summary>Client event: the article's <c>io.emit('newMessage', …)</c>.</summary>
    public const string BroadcastEvent = "broadcastNewMessage";

    /// <summary>Client event: the article's <c>socket.emit('error', …)</c>.</summary>
    public const string ErrorEvent = "triggerError";

    public static void Register(SocketIoServer io, ILogger logger)
    {
        // io.on('connection', (socket) => {
        io.OnConnection(socket =>
        {
            // socket.emit('messageReceived', {
            //   status: 'success',
            //   message: 'Message has been successfully received.'
            // });
            socket.Emit("messageReceived", new JObject
            {
                ["status"] = "success",
                ["message"] = "Message has been successfully received.",
            });

            // socket.on('sendMessage', (data, ack) => {
            //   console.log('Received message:', data.message);  // 'Hello, Server!'
            //   // Send acknowledgment to the client
            //   ack('Message received and processed');
            // });
            // ack is null when the client sent no callback (the article's first client example): nothing to answer.
            socket.On<JToken?>("sendMessage", (data, ack) =>
            {
                Log.ReceivedMessage(logger, JsValues.ToText(JsValues.Field(data, "message")));
                ack?.Invoke("Message received and processed");
            });

            // socket.on('sendData', (greeting, number, userData) => {
            //   console.log(greeting);  // 'Hello'
            //   console.log(number);    // 42
            //   console.log(userData);  // { user: 'Client1' }
            // });
            socket.On<JToken?, JToken?, JToken?>("sendData", (greeting, number, userData, ack) =>
            {
                Log.SendDataGreeting(logger, JsValues.ToText(greeting));
                Log.SendDataNumber(logger, JsValues.ToText(number));
                Log.SendDataUserData(logger, JsValues.ToText(userData));
                ack?.Invoke(greeting, number, userData);
            });

            // // Joining a room
            // socket.join('room1');
            // // Broadcasting to a specific room
            // io.to('room1').emit('newMessage', { message: 'Hello, Room 1!' });
            // The broadcast, issued after the join by the same thread, sees this socket in the room.
            socket.On(JoinRoom1Event, _ =>
            {
                socket.Join(Room);
                io.To(Room).Emit("newMessage", new JObject { ["message"] = "Hello, Room 1!" });
            });

            // // Broadcasting a custom event 'newMessage' to all clients
            // io.emit('newMessage', { message: 'A new message is available!' });
            socket.On(BroadcastEvent, _ => io.Emit("newMessage", new JObject { ["message"] = "A new message is available!" }));

            // // Emitting an error event to the client
            // socket.emit('error', 'Something went wrong!');
            socket.On(ErrorEvent, _ => socket.Emit("error", "Something went wrong!"));
        });
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 5301, Level = LogLevel.Information, Message = "Received message: {Message}")]
        public static partial void ReceivedMessage(ILogger logger, string message);

        [LoggerMessage(EventId = 5302, Level = LogLevel.Information, Message = "sendData greeting: {Greeting}")]
        public static partial void SendDataGreeting(ILogger logger, string greeting);

        [LoggerMessage(EventId = 5303, Level = LogLevel.Information, Message = "sendData number: {Number}")]
        public static partial void SendDataNumber(ILogger logger, string number);

        [LoggerMessage(EventId = 5304, Level = LogLevel.Information, Message = "sendData userData: {UserData}")]
        public static partial void SendDataUserData(ILogger logger, string userData);
    }
}
