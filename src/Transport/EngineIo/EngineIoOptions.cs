using Microsoft.AspNetCore.Http;

namespace SocketIo.Transport.EngineIo;

/// <summary>
/// Options of one <see cref="EngineIoServer"/>; defaults follow the reference server (engine.io 6.x).
/// The server takes a snapshot when it is built: later changes have no effect.
/// </summary>
public sealed class EngineIoOptions
{
    /// <summary>Request path served (used by <c>MapEngineIo(EngineIoServer)</c>). Default <c>/socket.io/</c>.</summary>
    public string Path { get; set; } = "/socket.io/";

    /// <summary>How often the server pings a protocol-4 client (and the interval a protocol-3 client pings at). Default 25 s.</summary>
    public TimeSpan PingInterval { get; set; } = TimeSpan.FromSeconds(25);

    /// <summary>How long to wait for a pong (v4), added to <see cref="PingInterval"/> for v3 clients. Default 20 s.</summary>
    public TimeSpan PingTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How long a WebSocket probe may take to complete the upgrade before it is closed. Default 10 s.</summary>
    public TimeSpan UpgradeTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Largest POST body or WebSocket message in bytes; also advertised as <c>maxPayload</c>. Default 1,000,000.</summary>
    public long MaxHttpBufferSize { get; set; } = 1_000_000;

    /// <summary>
    /// Accepted transports by name, as the reference: <c>polling</c> and/or <c>websocket</c>. Default both.
    /// Any other name is refused when the server is built.
    /// </summary>
    public IReadOnlyList<string> Transports { get; set; } = ["polling", "websocket"];

    /// <summary>Whether polling sessions may upgrade to WebSocket. Default true.</summary>
    public bool AllowUpgrades { get; set; } = true;

    /// <summary>Whether Engine.IO protocol 3 clients (socket.io-client 2.x) are accepted; when false they get error 5. Default true.</summary>
    public bool AllowEio3 { get; set; } = true;

    /// <summary>
    /// CORS handling (headers and OPTIONS preflight). Off until an origin or an origin predicate is set
    /// (as the reference's default <c>cors: false</c>).
    /// </summary>
    public EngineIoCorsOptions Cors { get; set; } = new();

    /// <summary>Session cookie written on the polling handshake (for sticky sessions); null (default) writes none.</summary>
    public EngineIoCookieOptions? Cookie { get; set; }

    /// <summary>
    /// Decides whether a handshake request (no sid) may open a session. A refusal answers
    /// 403 <c>{"code":4,"message":...}</c> (WebSocket handshakes: 400 with the message as text).
    /// </summary>
    public Func<HttpContext, ValueTask<EngineRequestVerdict>>? AllowRequest { get; set; }

    /// <summary>Message packets queued per session before <see cref="IEngineSession.Send(EngineMessage)"/> returns false. Default 10,000.</summary>
    public int MaxOutboundQueue { get; set; } = 10_000;

    /// <summary>
    /// Bytes of message data queued per session before <see cref="IEngineSession.Send(EngineMessage)"/> returns false
    /// (with <see cref="MaxOutboundQueue"/>, what bounds the memory a client that stops reading can hold on the
    /// server). A single message larger than the bound is still accepted into an empty queue. Default 16 MiB.
    /// </summary>
    public long MaxOutboundQueueBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>
    /// Most sessions this server holds at once, handshakes in progress included. A handshake beyond it is refused
    /// with HTTP 503 and <c>{"code":4,"message":"Too many connections"}</c> (a WebSocket handshake: 503 with the
    /// message as text), so that a load balancer or the client's reconnection can try again later or elsewhere.
    /// Default 100,000.
    /// </summary>
    public int MaxConnections { get; set; } = 100_000;

    /// <summary>
    /// A short tag put in front of every session id this server generates (the random part stays 20 unguessable
    /// characters), so that any node of a cluster can tell from a sid which node owns the session. Only the
    /// characters of base64url (<c>A-Z a-z 0-9 - _</c>), at most 32; null or empty (default) adds nothing.
    /// </summary>
    public string? SessionIdPrefix { get; set; }

    /// <summary>
    /// Serves requests for sessions this server does not hold (a cluster without sticky sessions): asked before a
    /// request naming an unknown sid is refused. Null (default): such requests get 400 <c>Session ID unknown</c>.
    /// The server calls <see cref="IEngineSessionForwarder.Attach"/> with itself when it is built.
    /// </summary>
    public IEngineSessionForwarder? SessionForwarder { get; set; }

    /// <summary>
    /// The materializer every session graph runs on (each Engine.IO session is one fused Akka.Streams graph: framing,
    /// heartbeats and flow control as stream stages). Pass the actor system's one materializer, as the Node host's
    /// <c>AddSocketIo</c> does; null (default): the server starts an actor system of its own for them, terminated when
    /// the server is disposed and its sessions are gone.
    /// </summary>
    public Akka.Streams.IMaterializer? Materializer { get; set; }

    /// <summary>
    /// How many long-running host graphs the session graphs are fused into (each
    /// session stays a graph of its own but shares its host's interpreter actor, so an idle session costs no actor);
    /// 0 gives every session an interpreter actor of its own. Default: 2 per processor.
    /// </summary>
    public int StreamHosts { get; set; } = 2 * Environment.ProcessorCount;

    /// <summary>Clock for heartbeats, upgrade and close timeouts.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}

/// <summary>The answer of <see cref="EngineIoOptions.AllowRequest"/>.</summary>
public readonly record struct EngineRequestVerdict(bool Allowed, string? Message)
{
    public static EngineRequestVerdict Allow => new(true, null);

    /// <summary>Refuses the handshake; <paramref name="message"/> replaces "Forbidden" in the error body when given.</summary>
    public static EngineRequestVerdict Deny(string? message = null) => new(false, message);
}

/// <summary>
/// CORS settings, following the npm <c>cors</c> module used by the reference server: the origin is
/// reflected when allowed, OPTIONS preflights are answered 204 with the allowed methods and headers.
/// </summary>
public sealed class EngineIoCorsOptions
{
    /// <summary>Allowed origins. <c>*</c> answers <c>Access-Control-Allow-Origin: *</c>; otherwise a listed origin is reflected.</summary>
    public IList<string> Origins { get; set; } = new List<string>();

    /// <summary>True when an origin or a predicate is configured; otherwise no CORS header is written.</summary>
    public bool IsEnabled => Origins.Count > 0 || IsOriginAllowed is not null;

    /// <summary>Predicate deciding whether an origin is allowed (reflected); takes precedence over <see cref="Origins"/>.</summary>
    public Func<string, bool>? IsOriginAllowed { get; set; }

    /// <summary>Adds <c>Access-Control-Allow-Credentials: true</c>.</summary>
    public bool AllowCredentials { get; set; }

    /// <summary>Value of <c>Access-Control-Allow-Methods</c> on preflight. Default as the cors module.</summary>
    public string Methods { get; set; } = "GET,HEAD,PUT,PATCH,POST,DELETE";

    /// <summary>Value of <c>Access-Control-Allow-Headers</c>; null reflects <c>Access-Control-Request-Headers</c>.</summary>
    public string? AllowedHeaders { get; set; }

    /// <summary>Value of <c>Access-Control-Expose-Headers</c>, if any.</summary>
    public string? ExposedHeaders { get; set; }

    /// <summary>Value of <c>Access-Control-Max-Age</c> in seconds on preflight, if any.</summary>
    public int? MaxAgeSeconds { get; set; }
}

/// <summary>Session cookie settings; defaults as the reference (<c>io</c>, path <c>/</c>, HttpOnly, SameSite=Lax).</summary>
public sealed class EngineIoCookieOptions
{
    public string Name { get; set; } = "io";
    public string? Path { get; set; } = "/";
    public string? Domain { get; set; }
    public bool HttpOnly { get; set; } = true;
    public SameSiteMode SameSite { get; set; } = SameSiteMode.Lax;
    public bool Secure { get; set; }
    public TimeSpan? MaxAge { get; set; }
}

/// <summary>Engine.IO HTTP error codes and their messages, exactly as the reference server sends them.</summary>
public static class EngineErrors
{
    public const int UnknownTransport = 0;
    public const int UnknownSid = 1;
    public const int BadHandshakeMethod = 2;
    public const int BadRequest = 3;
    public const int Forbidden = 4;
    public const int UnsupportedProtocolVersion = 5;

    /// <summary>The message of the code-4 refusal sent (with HTTP 503) when <see cref="EngineIoOptions.MaxConnections"/> is reached.</summary>
    public const string TooManyConnectionsMessage = "Too many connections";

    public static string Message(int code) => code switch
    {
        UnknownTransport => "Transport unknown",
        UnknownSid => "Session ID unknown",
        BadHandshakeMethod => "Bad handshake method",
        BadRequest => "Bad request",
        Forbidden => "Forbidden",
        UnsupportedProtocolVersion => "Unsupported protocol version",
        _ => "Bad request",
    };
}
