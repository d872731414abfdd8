using Newtonsoft.Json.Linq;
using SocketIo.Actors;

namespace SocketIo.Node.Apps;

/// <summary>
/// The examples of socket.io's "Emitting events" page, in C#, on namespace <c>/emitting</c>.
/// Each snippet's JavaScript original is quoted above its translation.
/// </summary>
public static class EmittingEventsSamples
{
    public const string NamespaceName = "/emitting";

    public static void Register(SocketIoServer io, ILogger logger)
    {
        io.Of(NamespaceName).OnConnection(socket =>
        {
            // socket.emit("hello", "world");
            socket.Emit("hello", "world");

            // socket.emit("hello", 1, "2", { 3: '4', 5: Buffer.from([6]) });
            socket.Emit("hello:many", 1, "2", new JObject { ["3"] = "4", ["5"] = new byte[] { 6 } });

            // socket.on("hello", (arg) => { console.log(arg); });
            socket.On<string>("hello", arg => logger.LogInformation("hello from {Id}: {Arg}", socket.Id, arg));

            // socket.on("update item", (arg1, arg2, callback) => { callback({ status: "ok" }); });
            socket.On<string, JObject>("update item", (arg1, arg2, callback) =>
            {
                logger.LogInformation("update item {Id} {Item}", arg1, arg2);
                callback?.Invoke(new JObject { ["status"] = "ok" });
            });

            // socket.volatile.emit("hello", "might or might not be received");
            socket.Volatile.Emit("volatile", "might or might not be received");

            // const response = await socket.timeout(10000).emitWithAck("hello", "world");
            // An awaiting listener holds the socket's mailbox; this one must not, so the wait runs beside it.
            _ = AskHello(socket);
        });
    }

    private static async Task AskHello(Socket socket)
    {
        try
        {
            var response = await socket.Timeout(TimeSpan.FromSeconds(10)).EmitWithAck("hello:ack", "world");
            socket.Emit("hello:ack:result", response[0]?["status"]);
        }
        catch (AckTimeoutException)
        {
            socket.Emit("hello:ack:result", "timeout");
        }
        catch (SocketDisconnectedException)
        {
        }
    }
}
