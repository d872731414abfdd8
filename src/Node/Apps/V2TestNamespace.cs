using Newtonsoft.Json.Linq;
using SocketIo.Actors;

namespace SocketIo.Node.Apps;

/// <summary>
/// Test-only namespace <c>/v2-test</c> of the demo app, used by tests/js/v2-*.test.js to drive every flow of
/// socket.io-client 2.x (Socket.IO protocol v4) against the server. Not part of any demo page.
/// <list type="bullet">
/// <item><c>message</c> (the client's <c>socket.send</c>) is echoed with <c>socket.send</c>, same arguments.</item>
/// <item><c>echo</c> acks with its arguments when the client asks for an ack, else emits <c>echo</c> back; binary stays binary.</item>
/// <item><c>ask(event, ...args)</c>: the server emits <c>event(...args)</c> with an ack and emits <c>answer</c> with the client's ack arguments (or <c>answer("timeout")</c>).</item>
/// <item><c>handshake</c> acks with <c>{ auth, query, transport, id }</c>: for a v2 client the namespace's query string arrives as <c>auth</c>.</item>
/// <item><c>observe</c> joins room <c>observers</c>, which then gets <c>disconnected(id, reason)</c> for every other socket that leaves.</item>
/// <item><c>disconnect-me</c> disconnects the socket from the namespace; <c>close-me</c> closes the whole connection.</item>
/// </list>
/// </summary>
public static class V2TestNamespace
{
    public const string Name = "/v2-test";

    private const string Observers = "observers";

    public static void Register(SocketIoServer io)
    {
        var nsp = io.Of(Name);
        nsp.OnConnection(socket =>
        {
            socket.On("message", args => socket.Send([.. args]));
            socket.On("echo", (args, ack) =>
            {
                if (ack is not null)
                    ack([.. args]);
                else
                    socket.Emit("echo", [.. args]);
            });
            socket.On("ask", args =>
            {
                var eventName = args.Count > 0 && args[0].Type == JTokenType.String ? (string)args[0]! : "question";
                _ = Ask(socket, eventName, [.. args.Skip(1)]);
            });
            socket.On("handshake", (JArray _, Ack? ack) => ack?.Invoke(new JObject
            {
                ["id"] = socket.Id,
                ["auth"] = socket.Handshake.Auth.DeepClone(),
                ["query"] = JObject.FromObject(socket.Handshake.Query),
                ["transport"] = socket.TransportName,
            }));
            socket.On("observe", (JArray _, Ack? ack) =>
            {
                socket.Join(Observers);
                ack?.Invoke();
            });
            socket.On("disconnect-me", _ => socket.Disconnect());
            socket.On("close-me", _ => socket.Disconnect(close: true));
            socket.OnDisconnect(reason => nsp.To(Observers).Emit("disconnected", socket.Id, reason));
        });
    }

    /// <summary>Server-to-client ack; runs beside the socket actor so the socket keeps handling packets while it waits.</summary>
    private static async Task Ask(Socket socket, string eventName, object?[] args)
    {
        try
        {
            var reply = await socket.Timeout(TimeSpan.FromSeconds(5)).EmitWithAck(eventName, args).ConfigureAwait(false);
            socket.Emit("answer", [.. reply]);
        }
        catch (AckTimeoutException)
        {
            socket.Emit("answer", "timeout");
        }
        catch (SocketDisconnectedException)
        {
        }
    }
}
