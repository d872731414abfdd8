using SocketIo.Node.Hosting;
using SocketIo.Transport.EngineIo;

namespace SocketIo.Node.Apps;

/// <summary>
/// <c>--app conformance</c>: the settings under which protocol test suites exercise a server.
/// <c>/engine.io/</c> is a bare Engine.IO v4/v3 echo server with pingInterval 300 ms, pingTimeout 200 ms
/// and maxPayload 1,000,000; any other <c>EIO</c> value is refused with HTTP 400.
/// </summary>
public static class ConformanceApp
{
    public static readonly TimeSpan PingInterval = TimeSpan.FromMilliseconds(300);
    public static readonly TimeSpan PingTimeout = TimeSpan.FromMilliseconds(200);
    public const int MaxPayload = 1_000_000;

    public static void Map(WebApplication app, NodeOptions options)
    {
        app.MapEngineIo("/engine.io/", new EngineEchoHandler(), o =>
        {
            o.PingInterval = PingInterval;
            o.PingTimeout = PingTimeout;
            o.MaxHttpBufferSize = MaxPayload;
            o.AllowEio3 = true;
            EngineOptionsFromFlags.ApplyTransportFlags(o, options);
        });
    }
}
