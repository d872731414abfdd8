using SocketIo.Actors;
using SocketIo.Node.Hosting;
using SocketIo.Transport.EngineIo;

namespace SocketIo.Node.Apps;

/// <summary>
/// <c>--app conformance</c>: the settings under which protocol test suites exercise a server, with
/// pingInterval 300 ms, pingTimeout 200 ms and maxPayload 1,000,000 on both endpoints.
/// <list type="bullet">
/// <item><c>/engine.io/</c>: a bare Engine.IO v4/v3 server that echoes every message; any other <c>EIO</c> is refused with 400.</item>
/// <item>Both endpoints accept Engine.IO v3 (a missing <c>EIO</c> reads as v3) unless <c>--no-eio3</c> is given:
/// the official v4 and Socket.IO v5 suites run against a server started with it, the v3 suite without.</item>
/// <item><c>/socket.io/</c>: a Socket.IO v5 server, connectTimeout 1000 ms, namespaces <c>/</c> and <c>/custom</c>
/// (any other is refused with "Invalid namespace"). Every connection gets <c>auth</c> with its CONNECT auth
/// object; on <c>/</c>, <c>message</c> is answered with <c>message-back</c> and <c>message-with-ack</c> is
/// acknowledged, both with the same arguments.</item>
/// </list>
/// </summary>
public static class ConformanceApp
{
    public static readonly TimeSpan PingInterval = TimeSpan.FromMilliseconds(300);
    public static readonly TimeSpan PingTimeout = TimeSpan.FromMilliseconds(200);
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromMilliseconds(1000);
    public const int MaxPayload = 1_000_000;

    public static void Map(WebApplication app, NodeOptions options)
    {
        void Engine(EngineIoOptions o)
        {
            o.PingInterval = PingInterval;
            o.PingTimeout = PingTimeout;
            o.MaxHttpBufferSize = MaxPayload;
            // Engine.IO v3 is on unless --no-eio3: the v3 suite needs it, and the v4 and Socket.IO v5 suites
            // expect a request without EIO (read as v3) to be refused, as by the reference with allowEIO3 off.
            o.AllowEio3 = options.AllowEio3 ?? true;
            EngineOptionsFromFlags.ApplyTransportFlags(o, options);
        }

        app.MapEngineIo("/engine.io/", new EngineEchoHandler(), Engine);

        var io = new SocketIoServer(new SocketIoOptions { ConnectTimeout = ConnectTimeout }, app.Services.GetRequiredService<ILoggerFactory>());
        void OnConnection(Socket socket) => socket.Emit("auth", socket.Handshake.Auth);
        io.OnConnection(socket =>
        {
            OnConnection(socket);
            socket.On("message", args => socket.Emit("message-back", [.. args]));
            socket.On("message-with-ack", (args, ack) => ack?.Invoke([.. args]));
        });
        io.Of("/custom").OnConnection(OnConnection);
        app.MapSocketIo(io, "/socket.io/", Engine);
    }
}
