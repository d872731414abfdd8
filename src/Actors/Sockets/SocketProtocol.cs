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

    /// <summary>
    /// The first message of a socket actor that is a sharded entity (<see cref="Adapters.ISocketActorHost"/>): it
    /// answers its namespace actor with its own reference (<c>NamespaceProtocol.SocketActorStarted</c>), after which
    /// the namespace actor admits the socket.
    /// </summary>
    public sealed record Announce
    {
        public static readonly Announce Instance = new();
        private Announce() { }
    }

    /// <summary>A packet from the client for this socket (event, ack or disconnect).</summary>
    internal sealed record Inbound(InboundPacket Packet);

    /// <summary>
    /// The socket's connection reported that its outbound queue has drained (<see cref="Connections.IClientConnectionHandler.OnDrain"/>):
    /// run the socket's drain listeners (<see cref="Socket.OnDrain"/>). Told by the connection's client, on this node only.
    /// </summary>
    internal sealed record Drained
    {
        public static readonly Drained Instance = new();
        private Drained() { }
    }

    /// <summary>
    /// Disconnect the socket with <paramref name="Reason"/>; <paramref name="NotifyClient"/> sends a
    /// DISCONNECT packet first (server-initiated disconnects).
    /// </summary>
    public sealed record Disconnect(string Reason, bool NotifyClient);

    /// <summary>Closes the socket's whole connection, disconnecting every namespace of it (<c>socket.disconnect(true)</c>).</summary>
    public sealed record CloseConnection
    {
        public static readonly CloseConnection Instance = new();
        private CloseConnection() { }
    }
}
