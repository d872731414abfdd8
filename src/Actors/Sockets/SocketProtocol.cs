using SocketIo.Actors.Internal;

namespace SocketIo.Actors.Sockets;

/// <summary>Messages of the <see cref="SocketActor"/>.</summary>
public static class SocketProtocol
{
    /// <summary>The socket is connected: run the namespace's connection listeners.</summary>
    internal sealed record Start
    {
        public static readonly Start Instance = new();
        private Start() { }
    }

    /// <summary>A packet from the client for this socket (event, ack or disconnect).</summary>
    internal sealed record Inbound(InboundPacket Packet);

    /// <summary>
    /// Disconnect the socket with <paramref name="Reason"/>; <paramref name="NotifyClient"/> sends a
    /// DISCONNECT packet first (server-initiated disconnects).
    /// </summary>
    public sealed record Disconnect(string Reason, bool NotifyClient);
}
