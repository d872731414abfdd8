using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net.WebSockets;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SocketIo.Transport.EngineIo.Internal;
using SocketIo.Transport.EngineIo.Internal.Streams;

namespace SocketIo.Transport.EngineIo;

/// <summary>
/// An Engine.IO v4 (and v3) server: options, the session table and the handler of the layer above.
/// <see cref="HandleRequestAsync"/> serves every request of its path (polling GET/POST, WebSocket
/// handshakes and upgrades, CORS preflight). Several servers with different options may serve different
/// paths of one application. WebSocket requests are recognised through <c>HttpContext.WebSockets</c>,
/// so the application must call <c>app.UseWebSockets()</c>; without it a WebSocket attempt is answered
/// 400 <c>Bad request</c> (code 3).
/// </summary>
public sealed class EngineIoServer : IAsyncDisposable
{
    private static readonly string[] NoUpgrades = [];
    private static readonly string[] WebSocketUpgrade = [EngineSession.WebSocketName];

    private readonly IEngineHandler _handler;
    private readonly ConcurrentDictionary<string, EngineSession> _sessions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, EngineSession> _owingNoop = new(StringComparer.Ordinal);
    private readonly StreamSessionHosts _hosts;
    private readonly Akka.Actor.ActorSystem? _ownSystem;
    private int _disposed;

    // Sessions plus handshakes in progress; bounded by MaxConnections. A handshake reserves a slot before it
    // accepts anything, its session takes the slot over when registered and frees it in Remove.
    private int _slots;

    /// <summary>Builds a server; <paramref name="options"/> are validated and copied (later changes are ignored).</summary>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public EngineIoServer(IEngineHandler handler, EngineIoOptions? options = null, ILoggerFactory? loggerFactory = null, IMeterFactory? meterFactory = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        _handler = handler;
        Options = options ?? new EngineIoOptions();
        Settings = new EngineSettings(Options);
        Logger = (ILogger?)loggerFactory?.CreateLogger("SocketIo.Transport.EngineIo") ?? NullLogger.Instance;
        Metrics = new EngineMetrics(meterFactory);
        Settings.SessionForwarder?.Attach(this);
        var materializer = Settings.Materializer;
        if (materializer is null)
        {
            // No materializer given (a server used on its own, outside a host with an actor system): the session
            // graphs run in an actor system of the server's own, terminated once its sessions are gone.
            _ownSystem = Akka.Actor.ActorSystem.Create("engineio", OwnSystemConfig);
            materializer = Akka.Streams.ActorMaterializer.Create(_ownSystem);
        }

        _hosts = new StreamSessionHosts(materializer, Settings.StreamHosts);
        if (_ownSystem is null && materializer is Akka.Streams.ActorMaterializer actorMaterializer)
        {
            // The session graphs run in the application's actor system: when it shuts down (CoordinatedShutdown, run on
            // SIGTERM or when a node leaves its cluster), the sessions close while their graphs can still write their
            // close frames and packets, as when the host stops: in service-stop, after the Socket.IO layer disconnected
            // its sockets (service-requests-done), before the node leaves its cluster (so its clients reconnect elsewhere
            // at once).
            Akka.Actor.CoordinatedShutdown.Get(actorMaterializer.System).AddTask(
                Akka.Actor.CoordinatedShutdown.PhaseServiceStop, "engineio-close-sessions", CloseSessionsForShutdownAsync);
        }
    }

    /// <summary>Session graphs materialized and not yet stopped.</summary>
    private int _runningGraphs;

    internal void GraphStarted() => Interlocked.Increment(ref _runningGraphs);

    internal void GraphStopped() => Interlocked.Decrement(ref _runningGraphs);

    /// <summary>Closes every session, then waits (at most 5 s) until their graphs have written what they had and stopped.</summary>
    private async Task<Akka.Done> CloseSessionsForShutdownAsync()
    {
        await DisposeAsync().ConfigureAwait(false);
        await WaitUntilAsync(() => Volatile.Read(ref _runningGraphs) == 0, TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        return Akka.Done.Instance;
    }

    private const string OwnSystemConfig = "akka.loglevel = WARNING\nakka.stdout-loglevel = WARNING\nakka.log-dead-letters = off";

    /// <summary>The options this server was built with.</summary>
    public EngineIoOptions Options { get; }

    /// <summary>Number of open sessions.</summary>
    public int ClientsCount => _sessions.Count;

    internal EngineSettings Settings { get; }

    internal ILogger Logger { get; }

    internal EngineMetrics Metrics { get; }

    internal bool UpgradesAllowed => Settings.AllowUpgrades && (Settings.Transports & EngineTransports.WebSocket) != 0;

    /// <summary>The open session with this id, if any.</summary>
    public IEngineSession? GetSession(string sid) => _sessions.TryGetValue(sid, out var session) ? session : null;

    /// <summary>
    /// Serves one Engine.IO request. Refusals are answered with the reference's error codes
    /// (0 Transport unknown, 1 Session ID unknown, 2 Bad handshake method, 3 Bad request, 4 Forbidden,
    /// 5 Unsupported protocol version); nothing a client sends makes this method throw.
    /// </summary>
    public async Task HandleRequestAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            await HandleCoreAsync(context);
        }
        catch (Exception exception) when (IsClientGone(exception, context))
        {
            // The client went away mid-request; its session (if any) is closed by the transport paths.
            EngineLog.TransportFailed(Logger, exception, EngineHttp.Query(context.Request, "sid") ?? "(handshake)");
        }
    }

    private async Task HandleCoreAsync(HttpContext context)
    {
        var request = context.Request;
        // After disposal only the sessions still closing are served (a polling client fetching its close
        // packet); everything else, handshakes included, is refused.
        if (Volatile.Read(ref _disposed) != 0 && !(request.Query["sid"] is [{ } closingSid] && _sessions.ContainsKey(closingSid)))
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }

        // CORS comes first, as the reference's cors middleware: error answers carry the headers too.
        if (Settings.Cors is { } cors && EngineHttp.ApplyCors(context, cors))
        {
            return;
        }

        var isWebSocket = context.WebSockets.IsWebSocketRequest;
        var transportName = EngineHttp.Query(request, "transport");
        var transport = transportName switch
        {
            EngineSession.PollingName => EngineTransports.Polling,
            EngineSession.WebSocketName => EngineTransports.WebSocket,
            _ => EngineTransports.None,
        };
        if (transport == EngineTransports.None || (Settings.Transports & transport) == 0)
        {
            await RefuseAsync(context, EngineErrors.UnknownTransport, null, isWebSocket);
            return;
        }

        if (EngineHttp.HasInvalidHeaderChar(request.Headers.Origin))
        {
            await RefuseAsync(context, EngineErrors.BadRequest, null, isWebSocket);
            return;
        }

        var sid = EngineHttp.Query(request, "sid");
        if (!string.IsNullOrEmpty(sid))
        {
            if (!_sessions.TryGetValue(sid, out var session))
            {
                // Removing it hands the noop of a session the client has just closed to one GET only.
                if (!isWebSocket && transport == EngineTransports.Polling && HttpMethods.IsGet(request.Method)
                    && _owingNoop.TryRemove(sid, out var closed))
                {
                    await closed.AnswerOwedNoopAsync(context);
                    return;
                }

                // Another node may own it (a cluster behind a load balancer without sticky sessions).
                if (Settings.SessionForwarder is { } forwarder
                    && await forwarder.TryForwardAsync(this, context, sid, context.RequestAborted))
                {
                    return;
                }

                await RefuseAsync(context, EngineErrors.UnknownSid, null, isWebSocket);
                return;
            }

            if (isWebSocket)
            {
                if (transport != EngineTransports.WebSocket)
                {
                    await RefuseAsync(context, EngineErrors.BadRequest, null, isWebSocket);
                    return;
                }

                await UpgradeAsync(context, session);
                return;
            }

            // A plain HTTP request naming the websocket transport is never valid (only the upgrade is).
            if (session.Transport != transportName || transport == EngineTransports.WebSocket)
            {
                await RefuseAsync(context, EngineErrors.BadRequest, null, isWebSocket);
                return;
            }

            if (HttpMethods.IsGet(request.Method))
            {
                await session.HandlePollAsync(context);
            }
            else if (HttpMethods.IsPost(request.Method))
            {
                await session.HandlePostAsync(context);
            }
            else
            {
                context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            }

            return;
        }

        if (!HttpMethods.IsGet(request.Method))
        {
            await RefuseAsync(context, EngineErrors.BadHandshakeMethod, null, isWebSocket);
            return;
        }

        if (isWebSocket != (transport == EngineTransports.WebSocket))
        {
            await RefuseAsync(context, EngineErrors.BadRequest, null, isWebSocket);
            return;
        }

        // JSONP polling (protocol 3, "j" parameter) is not supported: refuse it clearly rather than answer in the wrong format.
        if (!string.IsNullOrEmpty(EngineHttp.Query(request, "j")))
        {
            await RefuseAsync(context, EngineErrors.BadRequest, null, isWebSocket);
            return;
        }

        if (Settings.AllowRequest is { } allowRequest)
        {
            EngineRequestVerdict verdict;
            try
            {
                verdict = await allowRequest(context);
            }
            catch (Exception exception)
            {
                EngineLog.HandlerFailed(Logger, exception, "(handshake)");
                verdict = EngineRequestVerdict.Deny();
            }

            if (!verdict.Allowed)
            {
                await RefuseAsync(context, EngineErrors.Forbidden, verdict.Message, isWebSocket);
                return;
            }
        }

        // EIO=4 is protocol 4; EIO=3 or no EIO is protocol 3 (the reference's default). Other values are refused.
        var eio = EngineHttp.Query(request, "EIO");
        var protocol = eio == "4" ? 4 : string.IsNullOrEmpty(eio) || eio == "3" ? 3 : 0;
        if (protocol == 0 || (protocol == 3 && !Settings.AllowEio3))
        {
            await RefuseAsync(context, EngineErrors.UnsupportedProtocolVersion, null, isWebSocket);
            return;
        }

        if (Interlocked.Increment(ref _slots) > Settings.MaxConnections)
        {
            Interlocked.Decrement(ref _slots);
            Metrics.RequestErrors.Add(1, new KeyValuePair<string, object?>("code", EngineErrors.Forbidden));
            EngineLog.TooManyConnections(Logger, Settings.MaxConnections, request.Path.Value ?? "");
            context.Response.Headers.RetryAfter = "1";
            await EngineHttp.WriteErrorAsync(context, EngineErrors.Forbidden, EngineErrors.TooManyConnectionsMessage, isWebSocket, StatusCodes.Status503ServiceUnavailable);
            return;
        }

        var slot = new SlotReservation();
        try
        {
            await HandshakeAsync(context, protocol, transport, slot);
        }
        finally
        {
            if (!slot.Taken)
            {
                Interlocked.Decrement(ref _slots);
            }
        }
    }

    /// <summary>Closes every session with <c>server shutting down</c> and refuses later requests (503).</summary>
    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return ValueTask.CompletedTask;
        }

        EngineLog.ShuttingDown(Logger, Settings.Path, _sessions.Count);
        foreach (var session in _sessions.Values)
        {
            session.Shutdown();
        }

        foreach (var session in _owingNoop.Values)
        {
            session.Shutdown();
        }

        _hosts.Dispose();
        if (_ownSystem is { } system)
        {
            // The closing sessions still flush (a polling client may fetch its close packet): bounded, in the background.
            _ = Task.Run(async () =>
            {
                await WaitForSessionsAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
                await system.Terminate().ConfigureAwait(false);
            });
        }

        Metrics.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Completes when every session has closed, or after <paramref name="timeout"/>. After
    /// <see cref="DisposeAsync"/>, hosts wait on it (bounded) before they stop listening, so polling
    /// clients can fetch their close packet.
    /// </summary>
    public Task WaitForSessionsAsync(TimeSpan timeout) => WaitUntilAsync(() => _sessions.IsEmpty, timeout);

    /// <summary>Polls <paramref name="done"/> every 10 ms until it holds or <paramref name="timeout"/> has passed.</summary>
    private static async Task WaitUntilAsync(Func<bool> done, TimeSpan timeout)
    {
        var deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        while (!done() && Environment.TickCount64 < deadline)
        {
            await Task.Delay(10).ConfigureAwait(false);
        }
    }

    internal IReadOnlyList<string> UpgradesFor(string transport) =>
        transport == EngineSession.PollingName && UpgradesAllowed ? WebSocketUpgrade : NoUpgrades;

    /// <summary>A session closed by its client over polling owes a noop to the next GET naming it (EngineSession.CloseNoLock).</summary>
    internal void OweNoop(EngineSession session) => _owingNoop[session.Id] = session;

    internal void ForgetOwedNoop(EngineSession session) =>
        _owingNoop.TryRemove(new KeyValuePair<string, EngineSession>(session.Id, session));

    internal void Remove(EngineSession session)
    {
        if (_sessions.TryRemove(new KeyValuePair<string, EngineSession>(session.Id, session)))
        {
            Interlocked.Decrement(ref _slots);
        }
    }

    /// <summary>Sessions plus handshakes in progress (diagnostics and tests).</summary>
    internal int ReservedSlots => Volatile.Read(ref _slots);

    internal Task WriteErrorAsync(HttpContext context, int code, string? message, bool isWebSocket) =>
        EngineHttp.WriteErrorAsync(context, code, message, isWebSocket);

    /// <summary>A new unguessable session id: <see cref="EngineIoOptions.SessionIdPrefix"/>, then 15 random bytes as 20 base64url characters.</summary>
    internal string GenerateId()
    {
        Span<byte> bytes = stackalloc byte[15];
        RandomNumberGenerator.Fill(bytes);
        var random = Base64Url.EncodeToString(bytes);
        return Settings.SessionIdPrefix.Length == 0 ? random : Settings.SessionIdPrefix + random;
    }

    private static bool IsClientGone(Exception exception, HttpContext context) =>
        exception is IOException or WebSocketException or Microsoft.AspNetCore.Connections.ConnectionResetException
        || (exception is OperationCanceledException && context.RequestAborted.IsCancellationRequested);

    private Task RefuseAsync(HttpContext context, int code, string? message, bool isWebSocket)
    {
        var request = context.Request;
        Metrics.RequestErrors.Add(1, new KeyValuePair<string, object?>("code", code));
        EngineLog.RequestRefused(Logger, code, message ?? EngineErrors.Message(code), request.Method, request.Path.Value ?? "", request.QueryString.Value ?? "");
        return EngineHttp.WriteErrorAsync(context, code, message, isWebSocket);
    }

    /// <summary>
    /// No per-message compression (as before), and no WebSocket-level keep-alive: Engine.IO's own heartbeat
    /// already detects dead peers, as with the reference's <c>ws</c> server, and a keep-alive timer per socket
    /// (ManagedWebSocket's default, every 2 minutes) would cost memory on every idle connection.
    /// </summary>
    private static readonly WebSocketAcceptContext AcceptContext = new()
    {
        DangerousEnableCompression = false,
        KeepAliveInterval = TimeSpan.Zero,
    };

    private async Task HandshakeAsync(HttpContext context, int protocol, EngineTransports transport, SlotReservation slot)
    {
        var sid = GenerateId();
        var handshake = BuildHandshake(context);
        // As the reference (!req._query.b64): any non-empty b64 value asks for base64 binary in v3 payloads.
        var supportsBinary = string.IsNullOrEmpty(EngineHttp.Query(context.Request, "b64"));
        if (transport == EngineTransports.WebSocket)
        {
            using var socket = await context.WebSockets.AcceptWebSocketAsync(AcceptContext);
            await RunWebSocketSessionAsync(socket, sid, protocol, handshake, slot);
            return;
        }

        var session = new EngineSession(this, null, sid, protocol, handshake, supportsBinary);
        if (Settings.Cookie is { } cookie)
        {
            context.Response.Cookies.Append(cookie.Name, sid, new CookieOptions
            {
                Path = cookie.Path,
                Domain = cookie.Domain,
                HttpOnly = cookie.HttpOnly,
                SameSite = cookie.SameSite,
                Secure = cookie.Secure,
                MaxAge = cookie.MaxAge,
            });
        }

        if (!RegisterAndStart(session, slot))
        {
            context.Response.Headers.Remove("Set-Cookie");
            await RefuseAsync(context, EngineErrors.BadRequest, null, isWebSocket: false);
            return;
        }

        await session.HandlePollAsync(context);
    }

    private async Task UpgradeAsync(HttpContext context, EngineSession session)
    {
        using var socket = await context.WebSockets.AcceptWebSocketAsync(AcceptContext);
        await session.UpgradeAsync(socket);
    }

    /// <summary>A session opened over WebSocket: runs until its graph has stopped and its close frame is out.</summary>
    private async Task RunWebSocketSessionAsync(WebSocket socket, string sid, int protocol, EngineHandshake handshake, SlotReservation slot)
    {
        var session = new EngineSession(this, socket, sid, protocol, handshake, supportsBinary: true);
        if (!RegisterAndStart(session, slot))
        {
            await socket.CloseOutputAsync(WebSocketCloseStatus.InternalServerError, null, CancellationToken.None);
            return;
        }

        await session.WebSocketEndedAsync();
    }

    /// <summary>
    /// Registers a new session and starts its graph (false when the handler refused it); a session that started while
    /// the server was shutting down is shut down at once, like those it already had.
    /// </summary>
    private bool RegisterAndStart(EngineSession session, SlotReservation slot)
    {
        _sessions[session.Id] = session;
        slot.Taken = true;
        Metrics.SessionsOpen.Add(1);
        Metrics.Handshakes.Add(1,
            new KeyValuePair<string, object?>("transport", session.Transport),
            new KeyValuePair<string, object?>("protocol", session.Protocol));
        EngineLog.SessionOpened(Logger, session.Id, session.Transport, session.Protocol);
        if (!session.Start(_handler, _hosts))
        {
            return false;
        }

        if (Volatile.Read(ref _disposed) != 0)
        {
            session.Shutdown();
        }

        return true;
    }

    /// <summary>A handshake's connection slot; <see cref="Taken"/> once a registered session owns it.</summary>
    private sealed class SlotReservation
    {
        public bool Taken { get; set; }
    }

    private const int MaxCachedHeaderNames = 256;

    private static readonly ConcurrentDictionary<string, string> LowerCaseHeaderNames = new(StringComparer.Ordinal);

    /// <summary>
    /// The lower-case form of a header name, shared between handshakes: every session keeps its handshake
    /// headers, and the same few names (host, upgrade, sec-websocket-key, ...) would otherwise be a new string
    /// per connection. The cache is bounded so that clients sending made-up header names cannot grow it.
    /// </summary>
    private static string LowerCaseHeaderName(string name)
    {
        if (LowerCaseHeaderNames.TryGetValue(name, out var lower))
        {
            return lower;
        }

        lower = name.ToLowerInvariant();
        if (LowerCaseHeaderNames.Count < MaxCachedHeaderNames)
        {
            LowerCaseHeaderNames.TryAdd(name, lower);
        }

        return lower;
    }

    private EngineHandshake BuildHandshake(HttpContext context)
    {
        var request = context.Request;
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in request.Headers)
        {
            headers[LowerCaseHeaderName(header.Key)] = header.Value.ToString();
        }

        var query = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var parameter in request.Query)
        {
            query[parameter.Key] = parameter.Value.Count == 0 ? "" : parameter.Value[parameter.Value.Count - 1] ?? "";
        }

        return new EngineHandshake(
            headers,
            query,
            context.Connection.RemoteIpAddress?.ToString() ?? "",
            $"{request.PathBase}{request.Path}{request.QueryString}",
            request.IsHttps,
            Settings.TimeProvider.GetUtcNow());
    }
}
