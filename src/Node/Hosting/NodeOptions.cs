using System.Globalization;

namespace SocketIo.Node.Hosting;

/// <summary>
/// Command-line options of the host program. Parsing is strict: an unknown flag or a bad value is an
/// error with a message, never silently ignored.
/// </summary>
public sealed class NodeOptions
{
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>TCP port; 0 picks a free port (the chosen one is printed on the ready line).</summary>
    public int Port { get; set; } = 3000;

    /// <summary>Which application the host serves: <c>demo</c> (default), <c>conformance</c> or <c>bench</c>.</summary>
    public string App { get; set; } = "demo";

    public string Path { get; set; } = "/socket.io/";
    public TimeSpan? PingInterval { get; set; }
    public TimeSpan? PingTimeout { get; set; }
    public TimeSpan? UpgradeTimeout { get; set; }
    public long? MaxHttpBufferSize { get; set; }
    public string[]? Transports { get; set; }
    public bool? AllowUpgrades { get; set; }
    public bool? AllowEio3 { get; set; }
    public string? CorsOrigin { get; set; }
    public string LogLevel { get; set; } = "Information";

    /// <summary>Serve the socket.io browser client at <c>{path}socket.io.js</c> and <c>/socket.io-2.3.1.js</c> (socket.io's <c>serveClient</c>).</summary>
    public bool ServeClient { get; set; } = true;

    /// <summary>
    /// Serve Engine.IO WebSocket handshakes on Kestrel's connection layer (<c>UseEngineIoDirectWebSockets</c>): an idle
    /// WebSocket keeps no upgraded HTTP request alive. <c>--no-direct-websockets</c> uses ASP.NET Core's WebSocket middleware.
    /// </summary>
    public bool DirectWebSockets { get; set; } = true;

    /// <summary>
    /// <c>--stream-hosts N</c>: how many shared host graphs the Engine.IO session graphs are fused into (0: an interpreter actor
    /// per session). Null: the engine's default (<see cref="SocketIo.Transport.EngineIo.EngineIoOptions.StreamHosts"/>).
    /// </summary>
    public int? StreamTransportHosts { get; set; }
    public bool ShowHelp { get; set; }

    /// <summary>
    /// <c>--config PATH</c>: a HOCON file (see cluster.hocon) read as <see cref="Configuration.NodeConfig"/>. Its
    /// values replace the defaults of the flags above (flags given on the command line still win), and its
    /// <c>cluster</c> section decides whether the node joins a cluster. Null: no file, the node runs alone.
    /// </summary>
    public string? ConfigPath { get; set; }

    /// <summary>The flags given on the command line (so a configuration file does not override them).</summary>
    public HashSet<string> Given { get; } = new(StringComparer.Ordinal);

    public static readonly string[] Apps = ["demo", "conformance", "bench"];

    public const string Usage = """
        SocketIo.Node: a Socket.IO v4 server on Kestrel.

        Usage: dotnet run --project src/Node -- [options]

          --host ADDRESS             address to bind (default 127.0.0.1)
          --port N                   TCP port, 0 for any free port (default 3000)
          --app NAME                 application to serve: demo (default), conformance, or bench (the bench contract alone)
          --path PATH                Engine.IO endpoint path (default /socket.io/)
          --ping-interval MS         heartbeat interval in milliseconds (default 25000)
          --ping-timeout MS          heartbeat timeout in milliseconds (default 20000)
          --upgrade-timeout MS       polling to WebSocket upgrade timeout in ms (default 10000)
          --max-http-buffer-size N   largest accepted message or POST body, bytes (default 1000000)
          --transports LIST          comma-separated: polling,websocket (default both)
          --no-upgrades              do not offer the polling to WebSocket upgrade
          --no-eio3                  refuse Engine.IO v3 clients (socket.io-client 2.x)
          --cors-origin ORIGIN       allowed CORS origin (* for any); off by default
          --no-serve-client          do not serve the browser client (PATH/socket.io.js, /socket.io-2.3.1.js)
          --no-direct-websockets     accept WebSockets through ASP.NET Core instead of on Kestrel's connection
                                     layer (more memory per connection; runs the app's middleware on the handshake)
          --stream-hosts N           fuse the Engine.IO session graphs into N shared host graphs (default:
                                     2 per CPU; 0: an interpreter actor per session)
          --log-level LEVEL          Trace, Debug, Information, Warning, Error (default Information)
          --config PATH              read settings from a HOCON file such as cluster.hocon (environment
                                     overrides apply; flags given here win); with cluster.enabled = true
                                     the node joins the Akka cluster (its seed nodes)
          -h, --help                 print this help

        The ready line "listening on http://HOST:PORT" is printed once the server accepts connections.
        """;

    /// <summary>Parses <paramref name="args"/>; throws <see cref="ArgumentException"/> with a readable message on bad input.</summary>
    public static NodeOptions Parse(IReadOnlyList<string> args)
    {
        var o = new NodeOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var flag = args[i];
            string Value()
            {
                if (i + 1 >= args.Count) throw new ArgumentException($"{flag} needs a value");
                return args[++i];
            }
            o.Given.Add(flag);
            switch (flag)
            {
                case "-h" or "--help": o.ShowHelp = true; break;
                case "--host": o.Host = Value(); break;
                case "--port": o.Port = ParseInt(flag, Value(), 0, 65535); break;
                case "--app":
                    o.App = Value();
                    if (!Apps.Contains(o.App)) throw new ArgumentException($"--app must be one of: {string.Join(", ", Apps)}");
                    break;
                case "--path": o.Path = Value(); break;
                case "--ping-interval": o.PingInterval = TimeSpan.FromMilliseconds(ParseInt(flag, Value(), 1, int.MaxValue)); break;
                case "--ping-timeout": o.PingTimeout = TimeSpan.FromMilliseconds(ParseInt(flag, Value(), 1, int.MaxValue)); break;
                case "--upgrade-timeout": o.UpgradeTimeout = TimeSpan.FromMilliseconds(ParseInt(flag, Value(), 1, int.MaxValue)); break;
                case "--max-http-buffer-size": o.MaxHttpBufferSize = ParseInt(flag, Value(), 1, int.MaxValue); break;
                case "--transports":
                    o.Transports = Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                    if (o.Transports.Length == 0 || o.Transports.Any(t => t is not ("polling" or "websocket")))
                        throw new ArgumentException("--transports takes polling, websocket or both");
                    break;
                case "--no-upgrades": o.AllowUpgrades = false; break;
                case "--no-eio3": o.AllowEio3 = false; break;
                case "--cors-origin": o.CorsOrigin = Value(); break;
                case "--no-serve-client": o.ServeClient = false; break;
                case "--no-direct-websockets": o.DirectWebSockets = false; break;
                case "--stream-hosts": o.StreamTransportHosts = ParseInt(flag, Value(), 0, 1024); break;
                case "--log-level": o.LogLevel = Value(); break;
                case "--config": o.ConfigPath = Value(); break;
                default: throw new ArgumentException($"unknown option '{flag}' (see --help)");
            }
        }
        return o;
    }

    /// <summary>Takes host, port and the engine settings from <paramref name="config"/> for every flag not given on the command line.</summary>
    public void ApplyConfig(Configuration.NodeConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (!Given.Contains("--host")) Host = config.Http.Host;
        if (!Given.Contains("--port")) Port = config.Http.Port;
        if (!Given.Contains("--path")) Path = config.Engine.Path;
        if (!Given.Contains("--ping-interval")) PingInterval = config.Engine.PingInterval;
        if (!Given.Contains("--ping-timeout")) PingTimeout = config.Engine.PingTimeout;
        if (!Given.Contains("--upgrade-timeout")) UpgradeTimeout = config.Engine.UpgradeTimeout;
        if (!Given.Contains("--max-http-buffer-size")) MaxHttpBufferSize = config.Engine.MaxHttpBufferSize;
        if (!Given.Contains("--transports")) Transports = [.. config.Engine.Transports];
        if (!Given.Contains("--no-upgrades")) AllowUpgrades = config.Engine.AllowUpgrades;
        if (!Given.Contains("--no-eio3")) AllowEio3 = config.Engine.AllowEio3;
        if (!Given.Contains("--cors-origin") && config.Engine.CorsOrigin is { } origin) CorsOrigin = origin;
    }

    private static int ParseInt(string flag, string value, int min, int max)
    {
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < min || n > max)
            throw new ArgumentException($"{flag} takes an integer from {min} to {max}, not '{value}'");
        return n;
    }
}
