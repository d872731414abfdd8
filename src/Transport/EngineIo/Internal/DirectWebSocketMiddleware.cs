using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;

namespace SocketIo.Transport.EngineIo.Internal;

/// <summary>
/// Kestrel connection middleware that serves Engine.IO WebSocket handshakes itself, before Kestrel's HTTP/1.1
/// layer sees the connection. A WebSocket accepted through ASP.NET Core keeps its whole upgraded request alive
/// for the life of the socket (the HTTP/1.1 connection, its header collections, the HttpContext and hosting
/// state: about 5.6 KiB per idle connection, measured); here the socket runs on the raw connection pipe.
/// <para>
/// Only the first request of a connection is looked at, and only a strict, complete
/// <c>GET &lt;engine path&gt; HTTP/1.1</c> WebSocket upgrade (Upgrade, Connection, Sec-WebSocket-Version 13 and
/// a valid key, no body, printable ASCII) is taken; everything else, including TLS and HTTP/2 bytes, a head
/// that is still incomplete after <see cref="HeadTimeout"/> or larger than <see cref="MaxHeadBytes"/>, is handed
/// to Kestrel untouched, so its parser, limits and timeouts apply as before. A taken request runs through
/// <see cref="EngineIoServer.HandleRequestAsync"/> on a synthetic <see cref="HttpContext"/> (the same checks,
/// <c>allowRequest</c>, CORS headers and error answers), without the application's ASP.NET Core middleware.
/// An upgrade naming a session this node does not hold reaches <see cref="IEngineSessionForwarder"/> there as
/// well: the forwarder reads the head from the synthetic request and accepts this feature's socket (the request's
/// headers are dropped once it is accepted), or leaves the answer to the engine.
/// </para>
/// </summary>
internal sealed class DirectWebSocketMiddleware(ConnectionDelegate next, DirectWebSocketRoutes routes, IServiceProvider services)
{
    /// <summary>Kestrel's default <c>MaxRequestHeadersTotalSize</c>; a larger head is Kestrel's to refuse.</summary>
    public const int MaxHeadBytes = 32 * 1024;

    /// <summary>How long the first request line and head may take before the connection is left to Kestrel.</summary>
    public static readonly TimeSpan HeadTimeout = TimeSpan.FromSeconds(10);

    private const int MaxRequestLineBytes = 8 * 1024;

    private enum Verdict
    {
        Incomplete,
        Ours,
        NotOurs,
    }

    public async Task InvokeAsync(ConnectionContext connection)
    {
        if (routes.IsEmpty)
        {
            await next(connection);
            return;
        }

        var input = connection.Transport.Input;
        HttpRequestHead? head = null;
        EngineIoServer? server = null;
        using (var timeout = new CancellationTokenSource(HeadTimeout))
        {
            try
            {
                while (true)
                {
                    var result = await input.ReadAsync(timeout.Token);
                    var buffer = result.Buffer;
                    var verdict = Inspect(ref buffer, out head, out server);
                    if (verdict == Verdict.Ours)
                    {
                        input.AdvanceTo(buffer.Start);
                        break;
                    }

                    if (verdict == Verdict.NotOurs || result.IsCompleted)
                    {
                        // Consumed and examined nothing: Kestrel's first read returns these bytes at once.
                        input.AdvanceTo(result.Buffer.Start);
                        await next(connection);
                        return;
                    }

                    input.AdvanceTo(result.Buffer.Start, result.Buffer.End);
                }
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
                // A slow or silent client (a browser's pre-connect, a slow-loris): Kestrel's own timeouts decide.
                await next(connection);
                return;
            }
        }

        var context = CreateContext(connection, head!, out var webSockets, out var response, out var body);
        // The head is not needed any more, and this frame lives as long as the socket.
        head = null;
        await server!.HandleRequestAsync(context);
        if (webSockets.Socket is { } socket)
        {
            // The close grace period ran out (or the peer vanished): the socket was aborted, so is the connection.
            if (socket.State == WebSocketState.Aborted)
            {
                connection.Abort();
            }

            return;
        }

        await WriteResponseAsync(connection.Transport.Output, response, body);
    }

    private Verdict Inspect(ref ReadOnlySequence<byte> buffer, out HttpRequestHead? head, out EngineIoServer? server)
    {
        head = null;
        server = null;
        var lineEnd = buffer.PositionOf((byte)'\n');
        if (lineEnd is null)
        {
            return buffer.Length > MaxRequestLineBytes ? Verdict.NotOurs : Verdict.Incomplete;
        }

        // Decide on the request line alone, so that other requests go to Kestrel without waiting for their head.
        var lineBytes = buffer.Slice(0, lineEnd.Value);
        if (lineBytes.Length > MaxRequestLineBytes)
        {
            return Verdict.NotOurs;
        }

        var line = Encoding.ASCII.GetString(lineBytes.ToArray()).TrimEnd('\r');
        if (!HttpRequestHeadParser.TryParseRequestLine(line, out var method, out var path, out _)
            || method != "GET"
            || routes.Find(path) is not { } found)
        {
            return Verdict.NotOurs;
        }

        switch (HttpRequestHeadParser.TryParse(ref buffer, MaxHeadBytes, out head))
        {
            case HeadParseResult.Incomplete:
                return Verdict.Incomplete;
            case HeadParseResult.Unsupported:
                return Verdict.NotOurs;
        }

        if (!IsWebSocketUpgrade(head!))
        {
            head = null;
            return Verdict.NotOurs;
        }

        server = found;
        return Verdict.Ours;
    }

    /// <summary>The checks of ASP.NET Core's WebSocket middleware: a request it would not accept is not taken here either.</summary>
    private static bool IsWebSocketUpgrade(HttpRequestHead head)
    {
        if (!string.Equals(head.Header("Upgrade"), "websocket", StringComparison.OrdinalIgnoreCase)
            || head.Header("Sec-WebSocket-Version") != "13"
            || head.Header("Sec-WebSocket-Key") is not { Length: 24 } key
            || !Convert.TryFromBase64String(key, stackalloc byte[18], out var keyBytes) || keyBytes != 16)
        {
            return false;
        }

        foreach (var (name, value) in head.Headers)
        {
            if (!string.Equals(name, "Connection", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            foreach (var token in value.Split(','))
            {
                if (token.Trim().Equals("upgrade", StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>The synthetic request the engine serves: the parsed head, the connection's addresses and our WebSocket feature.</summary>
    private DefaultHttpContext CreateContext(ConnectionContext connection, HttpRequestHead head, out DirectWebSocketFeature webSockets, out HttpResponseFeature response, out MemoryStream body)
    {
        var tls = connection.Features.Get<ITlsConnectionFeature>();
        var requestHeaders = new HeaderDictionary();
        foreach (var (name, value) in head.Headers)
        {
            requestHeaders.Append(name, value);
        }

        var features = new FeatureCollection();
        var request = new HttpRequestFeature
        {
            Method = head.Method,
            // After UseHttps the connection carries its TLS feature: the handshake then reads as secure, as over Kestrel's HTTP layer.
            Scheme = tls is null ? "http" : "https",
            Protocol = "HTTP/1.1",
            PathBase = "",
            Path = head.Path,
            QueryString = head.QueryString,
            RawTarget = head.Path + head.QueryString,
            Headers = requestHeaders,
        };
        features.Set<IHttpRequestFeature>(request);
        response = new HttpResponseFeature();
        features.Set<IHttpResponseFeature>(response);
        body = new MemoryStream();
        features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(body));
        features.Set<IHttpConnectionFeature>(new HttpConnectionFeature
        {
            ConnectionId = connection.ConnectionId,
            RemoteIpAddress = (connection.RemoteEndPoint as IPEndPoint)?.Address,
            RemotePort = (connection.RemoteEndPoint as IPEndPoint)?.Port ?? 0,
            LocalIpAddress = (connection.LocalEndPoint as IPEndPoint)?.Address,
            LocalPort = (connection.LocalEndPoint as IPEndPoint)?.Port ?? 0,
        });
        features.Set<IHttpRequestLifetimeFeature>(new HttpRequestLifetimeFeature { RequestAborted = connection.ConnectionClosed });
        features.Set<IServiceProvidersFeature>(new ServiceProvidersFeature { RequestServices = services });
        if (tls is not null)
        {
            features.Set(tls);
        }

        // Once the socket is accepted the engine has copied what it keeps of the request (its handshake), so the
        // header and query collections are dropped: the synthetic context stays referenced by the request's async
        // frames for the life of the socket. The query string itself stays, for the engine's failure log.
        webSockets = new DirectWebSocketFeature(connection, head.Header("Sec-WebSocket-Key")!, response, () =>
        {
            request.Headers = new HeaderDictionary();
            features.Set<IQueryFeature>(null);
            features.Set<IRequestCookiesFeature>(null);
        });
        features.Set<IHttpWebSocketFeature>(webSockets);
        return new DefaultHttpContext(features);
    }

    /// <summary>Writes a refusal (the engine's error answer) and lets the connection close: no keep-alive after a failed upgrade.</summary>
    private static async Task WriteResponseAsync(PipeWriter output, HttpResponseFeature response, MemoryStream body)
    {
        response.Headers.ContentLength = body.Length;
        response.Headers.Connection = "close";
        await output.WriteAsync(FormatHead(response.StatusCode, response.Headers));
        await output.WriteAsync(body.GetBuffer().AsMemory(0, (int)body.Length));
    }

    /// <summary>The status line, <paramref name="firstHeaders"/> (already formatted), the headers, then the blank line.</summary>
    private static byte[] FormatHead(int status, IHeaderDictionary headers, string firstHeaders = "")
    {
        var text = new StringBuilder(256);
        text.Append("HTTP/1.1 ").Append(status).Append(' ').Append(ReasonPhrases.GetReasonPhrase(status)).Append("\r\n").Append(firstHeaders);
        foreach (var (name, values) in headers)
        {
            foreach (var value in values)
            {
                text.Append(name).Append(": ").Append(value).Append("\r\n");
            }
        }

        text.Append("\r\n");
        return Encoding.ASCII.GetBytes(text.ToString());
    }

    /// <summary>Answers the upgrade with 101 on the raw connection and runs a <see cref="WebSocket"/> over its pipe.</summary>
    private sealed class DirectWebSocketFeature(ConnectionContext connection, string key, HttpResponseFeature response, Action releaseRequest) : IHttpWebSocketFeature
    {
        private Action? _releaseRequest = releaseRequest;

        private static ReadOnlySpan<byte> AcceptGuid => "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"u8;

        public WebSocket? Socket { get; private set; }

        public bool IsWebSocketRequest => true;

        public async Task<WebSocket> AcceptAsync(WebSocketAcceptContext context)
        {
            if (Socket is not null)
            {
                throw new InvalidOperationException("The WebSocket was already accepted.");
            }

            Span<byte> input = stackalloc byte[24 + 36];
            Encoding.ASCII.GetBytes(key, input);
            AcceptGuid.CopyTo(input[24..]);
            var accept = Convert.ToBase64String(SHA1.HashData(input));
            // Headers the engine set before accepting (CORS, a cookie) go out with the 101, as Kestrel sends them.
            var head = FormatHead(
                StatusCodes.Status101SwitchingProtocols,
                response.Headers,
                $"Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Accept: {accept}\r\n");
            // Over plain TCP the 101 goes out in a send of its own, before the engine can queue its open packet:
            // through the pipe both would leave in one segment, and a client that reads the response and its first
            // frame in one read may raise 'open' and 'message' in the same tick (the ws package does: the official
            // v3 suite, awaiting 'open' before it listens for 'message', then never sees the handshake). The pipe
            // is still empty here, nothing having been written on this connection, so the bytes stay in order.
            if (connection.Features.Get<ITlsConnectionFeature>() is null
                && connection.Features.Get<IConnectionSocketFeature>()?.Socket is { } tcp)
            {
                await tcp.SendAsync(head, SocketFlags.None);
            }
            else
            {
                await connection.Transport.Output.WriteAsync(head);
            }

            Socket = WebSocket.CreateFromStream(new DuplexPipeStream(connection.Transport), new WebSocketCreationOptions
            {
                IsServer = true,
                SubProtocol = context.SubProtocol,
                KeepAliveInterval = context.KeepAliveInterval ?? TimeSpan.FromMinutes(2),
            });
            Interlocked.Exchange(ref _releaseRequest, null)?.Invoke();
            return Socket;
        }
    }
}
