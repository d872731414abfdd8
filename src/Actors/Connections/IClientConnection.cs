namespace SocketIo.Actors.Connections;

/// <summary>
/// One client connection (an Engine.IO session) as the Socket.IO layer sees it. The host adapts its
/// transport to this port; the Socket.IO layer never references the transport assembly.
/// Every member is safe to call from any thread.
/// </summary>
public interface IClientConnection
{
    /// <summary>The transport session id (Engine.IO sid).</summary>
    string Id { get; }

    /// <summary>Engine.IO revision of the client: 4 (Socket.IO protocol v5) or 3 (socket.io-client 2.x, protocol v4).</summary>
    int EngineProtocol { get; }

    /// <summary>Current transport name, <c>polling</c> or <c>websocket</c>.</summary>
    string TransportName { get; }

    /// <summary>The request that opened the connection.</summary>
    ConnectionHandshake Handshake { get; }

    /// <summary>True when a packet written now goes out at once; volatile packets are dropped otherwise.</summary>
    bool IsWritable { get; }

    /// <summary>True until the connection is closed.</summary>
    bool IsOpen { get; }

    /// <summary>
    /// Queues one Socket.IO packet: its UTF-8 text part and then its binary attachments, atomically and
    /// in order. Returns false when the connection is closed or its outbound queue is full.
    /// </summary>
    bool Send(ReadOnlyMemory<byte> text, IReadOnlyList<ReadOnlyMemory<byte>> attachments);

    /// <summary>
    /// Inbound flow control: asks the transport to stop reading this client's input, because the connection's
    /// socket actors hold <see cref="SocketIoOptions.MaxInboundBacklog"/> unhandled packets. Nothing the client sent
    /// is dropped: it waits on the client's side (TCP flow control, or a withheld polling POST answer). Messages
    /// already read may still be delivered after this returns. Outbound packets and heartbeats go on, and the
    /// transport does not close the connection for a missing pong while paused. Idempotent and cheap; does nothing
    /// once the connection is closed (closing releases the pause).
    /// </summary>
    void PauseReceiving();

    /// <summary>Ends a <see cref="PauseReceiving"/>: the transport reads the client's input again. Idempotent and cheap; does nothing when not paused.</summary>
    void ResumeReceiving();

    /// <summary>Closes the connection from the server side; what is already queued is still flushed.</summary>
    void Close();
}

/// <summary>
/// Inbound side of one connection. The transport calls these one at a time per connection, in wire order.
/// </summary>
public interface IClientConnectionHandler
{
    /// <summary>A text message: the UTF-8 Socket.IO packet string. The memory belongs to the handler.</summary>
    void OnText(ReadOnlyMemory<byte> utf8);

    /// <summary>A binary message: an attachment of the packet being reassembled. The memory belongs to the handler.</summary>
    void OnBinary(ReadOnlyMemory<byte> data);

    /// <summary>The connection closed with a transport close reason (<c>transport close</c>, <c>ping timeout</c>, ...).</summary>
    void OnClose(string reason);

    /// <summary>
    /// The outbound queue has emptied after it filled up: called once each time a <see cref="IClientConnection.Send"/>
    /// found the queue at or above half of either of the transport's bounds (messages or bytes) or refused a packet,
    /// and everything queued has since been handed to the transport. In order with the other calls, never
    /// concurrently with them; not after <see cref="OnClose"/>. What a writer that backs off waits for before it
    /// sends again (Node's stream <c>drain</c>). The default does nothing.
    /// </summary>
    void OnDrain()
    {
    }
}

/// <summary>The handshake request of a connection: headers, query, remote address, URL, TLS and time.</summary>
public sealed record ConnectionHandshake(
    IReadOnlyDictionary<string, string> Headers,
    IReadOnlyDictionary<string, string> Query,
    string Address,
    string Url,
    bool Secure,
    DateTimeOffset Time);
