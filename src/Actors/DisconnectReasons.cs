namespace SocketIo.Actors;

/// <summary>The reasons a socket's <c>disconnect</c> and <c>disconnecting</c> listeners receive, named as socket.io names them.</summary>
public static class DisconnectReasons
{
    /// <summary>The client disconnected this namespace (<c>socket.disconnect()</c> on the client).</summary>
    public const string ClientNamespaceDisconnect = "client namespace disconnect";

    /// <summary>The server disconnected this socket with <c>Socket.Disconnect()</c> or <c>DisconnectSockets()</c>.</summary>
    public const string ServerNamespaceDisconnect = "server namespace disconnect";

    /// <summary>The client closed the connection, or it was lost.</summary>
    public const string TransportClose = "transport close";

    /// <summary>The connection failed (e.g. a network error, or an upgrade that went wrong).</summary>
    public const string TransportError = "transport error";

    /// <summary>The client stopped answering heartbeats.</summary>
    public const string PingTimeout = "ping timeout";

    /// <summary>The client sent a packet that cannot be decoded; only its own connection is closed.</summary>
    public const string ParseError = "parse error";

    /// <summary>The transport was closed by the server.</summary>
    public const string ForcedClose = "forced close";

    /// <summary>The server closed the whole connection (<c>Disconnect(close: true)</c>, an invalid packet state, or no namespace joined within <c>ConnectTimeout</c>).</summary>
    public const string ForcedServerClose = "forced server close";

    /// <summary>The server is stopping.</summary>
    public const string ServerShuttingDown = "server shutting down";

    /// <summary>
    /// Not a socket.io reason: the socket's outbound queue was full when a non-volatile packet had to be
    /// queued (the client stopped reading). See <c>EngineIoOptions.MaxOutboundQueue</c>.
    /// </summary>
    public const string OutboundQueueFull = "outbound queue full";
}
