using SocketIo.Node.Hosting;
using SocketIo.Transport.EngineIo;

namespace SocketIo.Node.Apps;

/// <summary>
/// <c>--app demo</c> (the default). Until the Socket.IO layer lands this serves an Engine.IO echo at
/// the configured path, with every engine option taken from the command line.
/// </summary>
public static class DemoApp
{
    public static void Map(WebApplication app, NodeOptions options)
    {
        app.MapEngineIo(options.Path, new EngineEchoHandler(), o => EngineOptionsFromFlags.Apply(o, options));
    }
}
