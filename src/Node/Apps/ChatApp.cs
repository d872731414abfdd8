using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using SocketIo.Actors;
using SocketIo.Actors.Kernel;

namespace SocketIo.Node.Apps;

/// <summary>
/// The chat of the tutorialspoint socket.io tutorial ("Chat Application"), on namespace <c>/</c>, with the
/// tutorial's events and payloads so its page works unchanged:
/// <c>setUsername(name)</c> answers <c>userExists("NAME username is taken! Try some other username.")</c> or
/// <c>userSet({ username })</c>; <c>msg(data)</c> is sent to everyone as <c>newmsg(data)</c>
/// (<c>io.sockets.emit</c>). Unlike the tutorial's shared array, the names live in a
/// <see cref="UsernameRegistryActor"/>: concurrent claims cannot both win, names compare
/// case-insensitively, and a name is freed when its socket disconnects.
/// </summary>
public static partial class ChatApp
{
    /// <summary>How long <c>setUsername</c> waits for the registry before giving up (logged; no answer sent).</summary>
    public static readonly TimeSpan ClaimTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Starts the registry actor the chat handlers share.</summary>
    public static IActorRef CreateRegistry(SocketIoServer io) =>
        io.System.ActorOf(Props.CreateBy(() => new UsernameRegistryActor()), "usernames");

    public static void Register(Socket socket, IActorRef usernames, ILogger logger)
    {
        // An async listener: the socket handles its next packet once the registry has answered, so a
        // "msg" sent right after "setUsername" is handled after it, as in the tutorial.
        socket.On<JToken?>("setUsername", async data =>
        {
            var name = JsString(data);
            Log.SetUsername(logger, socket.Id, name);
            try
            {
                var reply = await usernames.Ask<object>(new UsernameRegistryProtocol.Claim(name, socket.Id), ClaimTimeout);
                if (reply is UsernameRegistryProtocol.Claimed)
                    socket.Emit("userSet", new JObject { ["username"] = data?.DeepClone() ?? JValue.CreateNull() });
                else
                    socket.Emit("userExists", name + " username is taken! Try some other username.");
            }
            catch (AskTimeoutException)
            {
                Log.RegistryTimeout(logger, socket.Id, name);
            }
        });

        // io.sockets.emit('newmsg', data): to every socket of the main namespace, the sender included.
        socket.On<JToken?>("msg", data => socket.Server.Sockets.Emit("newmsg", data));

        socket.OnDisconnect(_ => usernames.Tell(new UsernameRegistryProtocol.Release(socket.Id)));
    }

    /// <summary>The value as JavaScript's <c>String(x)</c> prints it: strings as they are, other JSON as text.</summary>
    private static string JsString(JToken? token) => token switch
    {
        null => "undefined",
        { Type: JTokenType.String } => (string)token!,
        { Type: JTokenType.Null } => "null",
        _ => token.ToString(Formatting.None),
    };

    private static partial class Log
    {
        [LoggerMessage(EventId = 5101, Level = LogLevel.Information, Message = "setUsername from {SocketId}: {Name}")]
        public static partial void SetUsername(ILogger logger, string socketId, string name);

        [LoggerMessage(EventId = 5102, Level = LogLevel.Warning, Message = "the username registry did not answer in time for {SocketId} ({Name})")]
        public static partial void RegistryTimeout(ILogger logger, string socketId, string name);
    }
}
