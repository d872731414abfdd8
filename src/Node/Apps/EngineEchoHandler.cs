using SocketIo.Transport.EngineIo;

namespace SocketIo.Node.Apps;

/// <summary>
/// Bare Engine.IO application: every message, text or binary, goes straight back on the session it
/// came from. This is what Engine.IO protocol test suites expect of the server under test.
/// </summary>
public sealed class EngineEchoHandler : IEngineHandler
{
    public IEngineSessionHandler OnOpen(IEngineSession session) => new Session(session);

    private sealed class Session(IEngineSession session) : IEngineSessionHandler
    {
        public void OnMessage(EngineMessage message) => session.Send(message);

        public void OnClose(string reason, string? description)
        {
        }
    }
}
