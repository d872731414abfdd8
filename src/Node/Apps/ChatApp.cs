using Akka.Actor;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using SocketIo.Actors;

namespace SocketIo.Node.Apps;

/// <summary>
/// The chat of the tutorialspoint socket.io tutorial ("Chat Application"), on namespace <c>/</c>, with the
/// tutorial's events and payloads so its page works unchanged:
/// <c>setUsername(name)</c> answers <c>userExists("NAME username is taken! Try some other username.")</c> or
/// <c>userSet({ username })</c>; <c>msg(data)</c> is sent to everyone as <c>newmsg(data)</c>
/// (<c>io.sockets.emit</c>, which in a cluster reaches the sockets of every node). Unlike the tutorial's
/// shared array, each name is a <see cref="UsernameRegistryActor"/> entity (region "chat-username", id the
/// lower-cased name): concurrent claims, from any nodes, cannot both win, names compare case-insensitively,
/// a socket holds one name at a time (claiming another frees the old one), and a name is freed when its
/// socket disconnects.
/// </summary>
public static partial class ChatApp
{
    /// <summary>How long <c>setUsername</c> waits for the registry before giving up (logged; no answer sent).</summary>
    public static readonly TimeSpan ClaimTimeout = TimeSpan.FromSeconds(5);

    /// <param name="socket">A socket of <c>/</c>.</param>
    /// <param name="demo">The node's regions; <see cref="ClusterDemo.LocalUsernames"/> records the names this node's sockets hold.</param>
    /// <param name="logger">Demo logger.</param>
    public static void Register(Socket socket, ClusterDemo demo, ILogger logger)
    {
        // An async listener: the socket handles its next packet once the registry has answered, so a
        // "msg" sent right after "setUsername" is handled after it, as in the tutorial, and one socket's
        // claims never overlap.
        socket.On<JToken?>("setUsername", async data =>
        {
            var name = JsString(data);
            Log.SetUsername(logger, socket.Id, name);
            try
            {
                var reply = await demo.Usernames.Ask<object>(new UsernameRegistryProtocol.Claim(name, socket.Id, demo.NodeId), ClaimTimeout);
                if (reply is UsernameRegistryProtocol.Claimed)
                {
                    var previous = demo.LocalUsernames.TryGetValue(socket.Id, out var held) ? held : null;
                    demo.LocalUsernames[socket.Id] = name;
                    if (previous is not null && UsernameRegistryProtocol.EntityId(previous) != UsernameRegistryProtocol.EntityId(name))
                        demo.Usernames.Tell(new UsernameRegistryProtocol.Release(previous, socket.Id));
                    // Disconnected while the claim was in flight: the disconnect handler may have run already.
                    if (socket.Disconnected)
                        ReleaseHeldName(socket.Id, demo);
                    socket.Emit("userSet", new JObject { ["username"] = data?.DeepClone() ?? JValue.CreateNull() });
                }
                else
                {
                    socket.Emit("userExists", name + " username is taken! Try some other username.");
                }
            }
            catch (AskTimeoutException)
            {
                Log.RegistryTimeout(logger, socket.Id, name);
            }
        });

        // io.sockets.emit('newmsg', data): to every socket of the main namespace on every node, the sender included.
        socket.On<JToken?>("msg", data => socket.Server.Sockets.Emit("newmsg", data));

        socket.OnDisconnect(_ => ReleaseHeldName(socket.Id, demo));
    }

    private static void ReleaseHeldName(string socketId, ClusterDemo demo)
    {
        if (demo.LocalUsernames.TryRemove(socketId, out var name))
            demo.Usernames.Tell(new UsernameRegistryProtocol.Release(name, socketId));
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
