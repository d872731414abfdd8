using Microsoft.AspNetCore.Http;

namespace SocketIo.Transport.EngineIo;

/// <summary>
/// The port through which the Engine.IO transport stage hands sessions to the layer above
/// (the Socket.IO server, or the conformance echo). Engine.IO code knows nothing about Socket.IO.
/// </summary>
public interface IEngineHandler
{
    /// <summary>
    /// Called once per session right after the handshake: the open packet is already queued, so messages
    /// sent from here follow it (over polling they ride in the handshake response). No inbound message is
    /// delivered before this returns. Returns the receiver of that session's inbound messages. Throwing
    /// closes the session with <c>transport error</c> (the handshake is answered 400 <c>Bad request</c>, or
    /// the WebSocket closed); no <c>OnClose</c> follows since no receiver exists.
    /// </summary>
    IEngineSessionHandler OnOpen(IEngineSession session);
}

/// <summary>
/// Serves requests for sessions that live elsewhere (another node of a cluster): the port through which a
/// host forwards a polling request, or relays a WebSocket upgrade, to the node that owns the session. The
/// owner serves it with its own <see cref="EngineIoServer.HandleRequestAsync"/> and keeps the session.
/// </summary>
public interface IEngineSessionForwarder
{
    /// <summary>
    /// Called once by every server built with this forwarder (its options' <see cref="EngineIoOptions.SessionForwarder"/>),
    /// so that requests forwarded to this node for <see cref="EngineIoOptions.Path"/> can be served by it.
    /// </summary>
    void Attach(EngineIoServer server);

    /// <summary>
    /// A request names session <paramref name="sid"/>, which <paramref name="server"/> does not hold. Returns true
    /// when the request was served elsewhere (its answer, or the relayed WebSocket, is complete); false when no
    /// other node owns the session, and the server then answers 400 <c>Session ID unknown</c> as usual. Must not
    /// write to the response before it knows it returns true. <paramref name="cancellationToken"/> is the request's
    /// <c>RequestAborted</c>.
    /// </summary>
    ValueTask<bool> TryForwardAsync(EngineIoServer server, HttpContext context, string sid, CancellationToken cancellationToken);
}

/// <summary>Inbound side of one session. Calls for one session never overlap and keep wire order.</summary>
public interface IEngineSessionHandler
{
    /// <summary>
    /// A message packet arrived. <paramref name="message"/> owns its memory (the handler may keep it).
    /// Text messages carry UTF-8 bytes without the leading Engine.IO type character.
    /// </summary>
    void OnMessage(EngineMessage message);

    /// <summary>The session closed; <paramref name="reason"/> is one of <see cref="EngineCloseReasons"/>. Called exactly once.</summary>
    void OnClose(string reason, string? description);

    /// <summary>
    /// The outbound queue has emptied after it filled up: called once each time a <see cref="IEngineSession.Send(EngineMessage)"/>
    /// found the queue at or above half of either bound (<see cref="EngineIoOptions.MaxOutboundQueue"/> messages,
    /// <see cref="EngineIoOptions.MaxOutboundQueueBytes"/> bytes) or refused a message, and everything queued has since
    /// been handed to the transport. In order with the other calls, never concurrently with them; not after
    /// <see cref="OnClose"/>. What a writer that backs off waits for before it sends again (Node's stream "drain").
    /// </summary>
    void OnDrain()
    {
    }
}

/// <summary>Outbound side of one session: the transport stage's bounded queue.</summary>
public interface IEngineSession
{
    /// <summary>Unguessable session id.</summary>
    string Id { get; }

    /// <summary>Engine.IO protocol revision spoken by this client: 4, or 3 for socket.io-client 2.x.</summary>
    int Protocol { get; }

    /// <summary>Current transport name: <c>polling</c> or <c>websocket</c>.</summary>
    string Transport { get; }

    /// <summary>What the client sent on its handshake request.</summary>
    EngineHandshake Handshake { get; }

    /// <summary>
    /// True when a packet sent now would be flushed at once (a GET is waiting, or the WebSocket is
    /// not busy). Volatile packets are dropped when this is false.
    /// </summary>
    bool IsWritable { get; }

    /// <summary>True until the session is closed.</summary>
    bool IsOpen { get; }

    /// <summary>
    /// Queues one message packet. Returns false (and queues nothing) when the session is closed
    /// or its outbound queue is full; the caller decides what a refused packet means.
    /// </summary>
    bool Send(EngineMessage message);

    /// <summary>
    /// Queues several message packets atomically and in order (a Socket.IO packet and its binary
    /// attachments): all or none are queued.
    /// </summary>
    bool Send(ReadOnlySpan<EngineMessage> messages);

    /// <summary>
    /// Inbound flow control: stops reading the client's input until <see cref="ResumeReceiving"/>, for a layer
    /// above whose handlers have fallen behind. Nothing the client sent is dropped; it waits on the client's
    /// side of the connection instead. Over WebSocket the next message is not read, so the client is slowed by
    /// TCP flow control. Over polling the packets of the POST body already read are still delivered, but that
    /// POST's <c>ok</c> is withheld until the resume, so the client (which sends one POST at a time) sends no
    /// more. Packets already read may still reach <see cref="IEngineSessionHandler.OnMessage"/> after this returns.
    /// Outbound packets and the server's pings continue. While paused, a missing pong (v4) or client ping (v3)
    /// does not close the session, since the answer may be unread behind the pause: the deadline restarts, a full
    /// ping timeout, on resume, and v4 pings keep going out meanwhile so the client's own timer stays satisfied.
    /// Idempotent, thread-safe and cheap (no allocation until a reader has to wait); does nothing once the session
    /// is closing or closed, and closing a paused session releases every waiting read and POST.
    /// </summary>
    void PauseReceiving();

    /// <summary>
    /// Ends a <see cref="PauseReceiving"/>: reading resumes, a withheld POST answer is sent, and the heartbeat
    /// deadline restarts from now. Idempotent, thread-safe and cheap; does nothing when not paused or once closed.
    /// </summary>
    void ResumeReceiving();

    /// <summary>Closes the session from the server side (reason <c>forced close</c> by default), flushing what is queued.</summary>
    void Close(string reason = EngineCloseReasons.ForcedClose);
}

/// <summary>One Engine.IO message packet: UTF-8 text or binary.</summary>
public readonly record struct EngineMessage(ReadOnlyMemory<byte> Data, bool IsBinary)
{
    public static EngineMessage Text(ReadOnlyMemory<byte> utf8) => new(utf8, false);
    public static EngineMessage Text(string text) => new(System.Text.Encoding.UTF8.GetBytes(text), false);
    public static EngineMessage Binary(ReadOnlyMemory<byte> data) => new(data, true);
}

/// <summary>The handshake request as the layer above sees it; no ASP.NET types leak past this point except the raw context for <c>allowRequest</c>.</summary>
public sealed record EngineHandshake(
    IReadOnlyDictionary<string, string> Headers,
    IReadOnlyDictionary<string, string> Query,
    string Address,
    string Url,
    bool Secure,
    DateTimeOffset Time);

/// <summary>Close reasons, exactly as the reference server names them.</summary>
public static class EngineCloseReasons
{
    public const string TransportClose = "transport close";
    public const string TransportError = "transport error";
    public const string PingTimeout = "ping timeout";
    public const string ForcedClose = "forced close";
    public const string ParseError = "parse error";
    public const string ServerShuttingDown = "server shutting down";
}
