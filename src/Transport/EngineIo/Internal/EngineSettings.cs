using Microsoft.AspNetCore.Http;

namespace SocketIo.Transport.EngineIo.Internal;

/// <summary>Validated snapshot of <see cref="EngineIoOptions"/> taken when a server is built.</summary>
internal sealed class EngineSettings
{
    public EngineSettings(EngineIoOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        RequirePositive(options.PingInterval, nameof(options.PingInterval));
        RequirePositive(options.PingTimeout, nameof(options.PingTimeout));
        RequirePositive(options.UpgradeTimeout, nameof(options.UpgradeTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxHttpBufferSize, 1, nameof(options.MaxHttpBufferSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxOutboundQueue, 1, nameof(options.MaxOutboundQueue));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxOutboundQueueBytes, 1, nameof(options.MaxOutboundQueueBytes));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxConnections, 1, nameof(options.MaxConnections));
        ArgumentOutOfRangeException.ThrowIfNegative(options.StreamHosts, nameof(options.StreamHosts));
        ArgumentNullException.ThrowIfNull(options.Transports, nameof(options.Transports));
        foreach (var name in options.Transports)
        {
            Transports |= name switch
            {
                EngineSession.PollingName => EngineTransports.Polling,
                EngineSession.WebSocketName => EngineTransports.WebSocket,
                _ => throw new ArgumentException($"Unknown transport '{name}'; use \"polling\" and/or \"websocket\".", nameof(options)),
            };
        }

        if (Transports == EngineTransports.None)
        {
            throw new ArgumentException("At least one transport must be enabled.", nameof(options));
        }

        if (string.IsNullOrWhiteSpace(options.Path) || options.Path[0] != '/')
        {
            throw new ArgumentException("Path must start with '/'.", nameof(options));
        }

        if (!string.IsNullOrEmpty(options.SessionIdPrefix)
            && (options.SessionIdPrefix.Length > MaxSessionIdPrefixLength || !options.SessionIdPrefix.All(IsBase64UrlChar)))
        {
            throw new ArgumentException($"SessionIdPrefix must be at most {MaxSessionIdPrefixLength} characters of A-Z, a-z, 0-9, '-' and '_'.", nameof(options));
        }

        Path = options.Path;
        SessionIdPrefix = options.SessionIdPrefix ?? "";
        SessionForwarder = options.SessionForwarder;
        PingInterval = options.PingInterval;
        PingTimeout = options.PingTimeout;
        UpgradeTimeout = options.UpgradeTimeout;
        MaxHttpBufferSize = options.MaxHttpBufferSize;
        AllowUpgrades = options.AllowUpgrades;
        AllowEio3 = options.AllowEio3;
        if (options.Cors is { IsEnabled: true } cors)
        {
            // Copied so that later changes to the options object have no effect.
            Cors = new EngineIoCorsOptions
            {
                Origins = [.. cors.Origins],
                IsOriginAllowed = cors.IsOriginAllowed,
                AllowCredentials = cors.AllowCredentials,
                Methods = cors.Methods,
                AllowedHeaders = cors.AllowedHeaders,
                ExposedHeaders = cors.ExposedHeaders,
                MaxAgeSeconds = cors.MaxAgeSeconds,
            };
        }

        Cookie = options.Cookie;
        AllowRequest = options.AllowRequest;
        MaxOutboundQueue = options.MaxOutboundQueue;
        MaxOutboundQueueBytes = options.MaxOutboundQueueBytes;
        MaxConnections = options.MaxConnections;
        TimeProvider = options.TimeProvider ?? TimeProvider.System;
        Materializer = options.Materializer;
        StreamHosts = options.StreamHosts;
    }

    public const int MaxSessionIdPrefixLength = 32;

    public string Path { get; }
    public string SessionIdPrefix { get; }
    public IEngineSessionForwarder? SessionForwarder { get; }
    public TimeSpan PingInterval { get; }
    public TimeSpan PingTimeout { get; }
    public TimeSpan UpgradeTimeout { get; }
    public long MaxHttpBufferSize { get; }
    public EngineTransports Transports { get; }
    public bool AllowUpgrades { get; }
    public bool AllowEio3 { get; }
    public EngineIoCorsOptions? Cors { get; }
    public EngineIoCookieOptions? Cookie { get; }
    public Func<HttpContext, ValueTask<EngineRequestVerdict>>? AllowRequest { get; }
    public int MaxOutboundQueue { get; }
    public long MaxOutboundQueueBytes { get; }
    public int MaxConnections { get; }
    public TimeProvider TimeProvider { get; }
    public Akka.Streams.IMaterializer? Materializer { get; }
    public int StreamHosts { get; }

    /// <summary>How long a graceful close waits for a polling client to collect its close packet (reference: 30 s).</summary>
    public TimeSpan CloseTimeout { get; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a WebSocket close handshake may take before the socket is aborted.</summary>
    public TimeSpan WebSocketCloseGrace { get; } = TimeSpan.FromSeconds(5);

    private static bool IsBase64UrlChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_';

    private static void RequirePositive(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(name, value, "Must be positive.");
        }
    }
}
