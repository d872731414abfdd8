using Newtonsoft.Json.Linq;
using SocketIo.Actors;
using Akka.Actor;
using SocketIo.Node.Apps.Internal;

namespace SocketIo.Node.Apps;

/// <summary>
/// Seed 002, "7. A demo chat application" of the Socket.IO-Lucee tutorial (adapted there from tutorialspoint's
/// chat), on namespace <c>/</c>, so the seed's page (src/Node/wwwroot/seeds/002-chat.html) works unchanged:
/// <c>setUsername(name)</c> answers <c>userExists("NAME username is taken! Try some other username.")</c> or
/// <c>userSet(name)</c>, the name itself, which the page keeps as <c>user</c> and sends back in every
/// <c>msg({ message, user })</c>; <c>msg(data)</c> goes to every socket as <c>newmsg(data)</c>, payload
/// untouched; a socket's name is freed when it disconnects. Each CFML original is quoted above its translation.
/// </summary>
/// <remarks>
/// The seed keeps the names in an array and says so: "this not thread safe - just a rough demo" (two sockets
/// asking for one name at once can both pass <c>ArrayFindNoCase</c> and both get it). Here each name is a
/// <see cref="UsernameRegistryActor"/> entity (region "chat-username", id the lower-cased name): claims of one
/// name, from any sockets on any nodes of a cluster, are handled one at a time by that entity, so exactly one
/// wins; names compare case-insensitively, as with <c>ArrayFindNoCase</c>. One more deviation: a socket holds
/// one name at a time. The seed appends a second name and overwrites <c>userMaps[id]</c>, so the first name
/// stays taken forever; here claiming another name frees the old one. (The seed's page cannot ask twice: it
/// replaces its form on <c>userSet</c>.)
/// </remarks>
public static partial class Seed002Chat
{
    /// <summary>How long <c>setUsername</c> waits for the registry before giving up (logged; no answer sent).</summary>
    public static readonly TimeSpan ClaimTimeout = TimeSpan.FromSeconds(5);

    /// <param name="io">The server; the chat runs on its main namespace.</param>
    /// <param name="demo">The node's regions; <see cref="ClusterDemo.LocalUsernames"/> is the seed's <c>userMaps</c> for this node's sockets.</param>
    /// <param name="logger">Demo logger.</param>
    public static void Register(SocketIoServer io, ClusterDemo demo, ILogger logger)
    {
        // var users = application.users = [];
        // var userMaps = application.userMaps = {};
        // (users: the "chat-username" entities, demo.Usernames; userMaps: demo.LocalUsernames)

        // io.on( "connect", function( socket ){
        io.OnConnection(socket =>
        {
            // socket.on('setUsername', function( username ) {
            // An async listener: the socket handles its next packet once the registry has answered, so a "msg"
            // sent right after "setUsername" is handled after it, as in the seed, and one socket's claims never overlap.
            socket.On<JToken?>("setUsername", async username =>
            {
                var name = JsValues.ToText(username);
                Log.SetUsername(logger, socket.Id, name);
                // if( ArrayFindNoCase( users, username ) ) {
                //   socket.emit('userExists', username & ' username is taken! Try some other username.');
                // } else {
                // ArrayFindNoCase is, here, first the name this socket holds already (it is in the seed's array too),
                // then the registry's answer to a Claim, which takes the name at once when it is free (ArrayAppend below).
                if (demo.LocalUsernames.TryGetValue(socket.Id, out var held) && UsernameRegistryProtocol.EntityId(held) == UsernameRegistryProtocol.EntityId(name))
                {
                    socket.Emit("userExists", name + " username is taken! Try some other username.");
                    return;
                }
                object reply;
                try
                {
                    reply = await demo.Usernames.Ask<object>(new UsernameRegistryProtocol.Claim(name, socket.Id, demo.NodeId), ClaimTimeout);
                }
                catch (AskTimeoutException)
                {
                    Log.RegistryTimeout(logger, socket.Id, name);
                    return;
                }
                if (reply is not UsernameRegistryProtocol.Claimed)
                {
                    socket.Emit("userExists", name + " username is taken! Try some other username.");
                    return;
                }
                //   ArrayAppend( users, username );
                //   userMaps[ socket.getId() ] = username;
                // (ArrayAppend was the Claim; the name this socket held before is freed, see the remarks)
                demo.LocalUsernames[socket.Id] = name;
                if (held is not null)
                    demo.Usernames.Tell(new UsernameRegistryProtocol.Release(held, socket.Id));
                // Disconnected while the claim was in flight: the disconnect handler may have run already.
                if (socket.Disconnected)
                    ReleaseHeldName(socket.Id, demo);
                //   socket.emit('userSet', username );
                // }
                socket.Emit("userSet", username);
            });

            // socket.on('msg', function(msg) {
            //   io.sockets.emit('newmsg', msg);
            // });
            // io.sockets is the main namespace; in a cluster its emit reaches the sockets of every node, the sender included.
            socket.On<JToken?>("msg", msg => io.Sockets.Emit("newmsg", msg));

            // socket.on('disconnect', function() {
            //   if ( Len( userMaps[ socket.getId() ] ?: "" ) ) {
            //     ArrayDelete( users, userMaps[ socket.getId() ] );
            //   }
            // } );
            socket.OnDisconnect(_ => ReleaseHeldName(socket.Id, demo));
        });
    }

    private static void ReleaseHeldName(string socketId, ClusterDemo demo)
    {
        if (demo.LocalUsernames.TryRemove(socketId, out var name))
            demo.Usernames.Tell(new UsernameRegistryProtocol.Release(name, socketId));
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 5101, Level = LogLevel.Information, Message = "setUsername from {SocketId}: {Name}")]
        public static partial void SetUsername(ILogger logger, string socketId, string name);

        [LoggerMessage(EventId = 5102, Level = LogLevel.Warning, Message = "the username registry did not answer in time for {SocketId} ({Name})")]
        public static partial void RegistryTimeout(ILogger logger, string socketId, string name);
    }
}
