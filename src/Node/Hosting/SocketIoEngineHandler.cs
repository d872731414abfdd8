using SocketIo.Actors;
using SocketIo.Actors.Connections;
using SocketIo.Transport.EngineIo;

namespace SocketIo.Node.Hosting;

/// <summary>
/// Plugs a <see cref="SocketIoServer"/> into the Engine.IO transport: each Engine.IO session becomes a
/// Socket.IO client connection. This adapter is the only place where the two layers meet.
/// </summary>
public sealed class SocketIoEngineHandler(SocketIoServer server) : IEngineHandler
{
    public IEngineSessionHandler OnOpen(IEngineSession session)
    {
        var connection = new EngineConnection(session);
        return new Inbound(server.Accept(connection));
    }

    private sealed class EngineConnection(IEngineSession session) : IClientConnection
    {
        public string Id => session.Id;
        public int EngineProtocol => session.Protocol;
        public string TransportName => session.Transport;
        public bool IsWritable => session.IsWritable;
        public bool IsOpen => session.IsOpen;

        public ConnectionHandshake Handshake { get; } = new(
            session.Handshake.Headers, session.Handshake.Query, session.Handshake.Address,
            session.Handshake.Url, session.Handshake.Secure, session.Handshake.Time);

        public bool Send(ReadOnlyMemory<byte> text, IReadOnlyList<ReadOnlyMemory<byte>> attachments)
        {
            if (attachments.Count == 0)
                return session.Send(EngineMessage.Text(text));
            // A packet and its attachments go into the queue as one unit so no other packet interleaves.
            var messages = new EngineMessage[attachments.Count + 1];
            messages[0] = EngineMessage.Text(text);
            for (var i = 0; i < attachments.Count; i++)
                messages[i + 1] = EngineMessage.Binary(attachments[i]);
            return session.Send(messages);
        }

        public void PauseReceiving() => session.PauseReceiving();

        public void ResumeReceiving() => session.ResumeReceiving();

        public void Close() => session.Close(EngineCloseReasons.ForcedClose);
    }

    private sealed class Inbound(IClientConnectionHandler handler) : IEngineSessionHandler
    {
        public void OnMessage(EngineMessage message)
        {
            if (message.IsBinary)
                handler.OnBinary(message.Data);
            else
                handler.OnText(message.Data);
        }

        public void OnClose(string reason, string? description) => handler.OnClose(reason);

        public void OnDrain() => handler.OnDrain();
    }
}
