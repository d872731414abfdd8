using System.Text.RegularExpressions;

namespace SocketIo.Node.Configuration.Internal;

/// <summary>Maps and validates the <c>socketio-actors</c> object onto <see cref="NodeConfig"/>.</summary>
internal static partial class NodeConfigReader
{
    // The longest delay our timers take (Task.Delay and timers cap at int.MaxValue milliseconds).
    private static readonly TimeSpan MaxDelay = TimeSpan.FromMilliseconds(int.MaxValue);

    private static readonly string[] DefaultTransports = ["polling", "websocket"];

    /// <summary>Every key the model reads, by section; anything else under the root is a typo.</summary>
    private static readonly Dictionary<string, string[]> KnownKeys = new(StringComparer.Ordinal)
    {
        [""] = ["node", "http", "engine", "socketio", "cluster"],
        ["node"] = ["name"],
        ["http"] = ["host", "port"],
        ["engine"] = ["path", "ping-interval", "ping-timeout", "upgrade-timeout", "max-http-buffer-size", "transports",
            "allow-upgrades", "allow-eio3", "cors-origin"],
        ["socketio"] = ["connect-timeout", "cleanup-empty-child-namespaces", "max-dynamic-namespaces", "max-attachments",
            "max-json-depth", "attachment-timeout", "max-inbound-backlog"],
        ["cluster"] = ["enabled", "rabbitmq", "cluster-name", "heartbeat-interval", "heartbeat-timeout", "shard-count",
            "request-timeout"],
        ["cluster.rabbitmq"] = ["uri"],
    };

    [GeneratedRegex("^[A-Za-z0-9._-]+$")]
    private static partial Regex NameRegex();

    public static NodeConfig Read(HoconConfig root)
    {
        // Without a socketio-actors object every key takes its default; keys outside it belong to others.
        var c = root.GetConfig(NodeConfig.RootPath, HoconConfig.Empty);
        RejectUnknownKeys(c, "");

        var http = new HttpConfig(
            Host: RequireText(c, "http.host", c.GetString("http.host", "127.0.0.1")),
            Port: InRange(c, "http.port", c.GetInt("http.port", 3000), 0, 65535));

        var nodeName = c.HasPath("node.name") ? Name(c, "node.name", c.GetString("node.name")) : DefaultNodeName(http.Port);

        var engine = new EngineConfig(
            Path: EnginePath(c, c.GetString("engine.path", "/socket.io/")),
            PingInterval: Positive(c, "engine.ping-interval", c.GetDuration("engine.ping-interval", TimeSpan.FromSeconds(25))),
            PingTimeout: Positive(c, "engine.ping-timeout", c.GetDuration("engine.ping-timeout", TimeSpan.FromSeconds(20))),
            UpgradeTimeout: Positive(c, "engine.upgrade-timeout", c.GetDuration("engine.upgrade-timeout", TimeSpan.FromSeconds(10))),
            MaxHttpBufferSize: InRange(c, "engine.max-http-buffer-size", c.GetBytes("engine.max-http-buffer-size", 1_000_000), 1, int.MaxValue),
            Transports: Transports(c, c.GetStringList("engine.transports", DefaultTransports)),
            AllowUpgrades: c.GetBool("engine.allow-upgrades", true),
            AllowEio3: c.GetBool("engine.allow-eio3", true),
            CorsOrigin: c.HasPath("engine.cors-origin") ? CorsOrigin(c, c.GetString("engine.cors-origin")) : null);

        var socketIo = new SocketIoConfig(
            ConnectTimeout: Positive(c, "socketio.connect-timeout", c.GetDuration("socketio.connect-timeout", TimeSpan.FromSeconds(45))),
            CleanupEmptyChildNamespaces: c.GetBool("socketio.cleanup-empty-child-namespaces", false),
            MaxDynamicNamespaces: InRange(c, "socketio.max-dynamic-namespaces", c.GetInt("socketio.max-dynamic-namespaces", 10_000), 0, int.MaxValue),
            MaxAttachments: InRange(c, "socketio.max-attachments", c.GetInt("socketio.max-attachments", 10), 0, int.MaxValue),
            MaxJsonDepth: InRange(c, "socketio.max-json-depth", c.GetInt("socketio.max-json-depth", 32), 1, 10_000),
            AttachmentTimeout: Positive(c, "socketio.attachment-timeout", c.GetDuration("socketio.attachment-timeout", TimeSpan.FromSeconds(30))),
            MaxInboundBacklog: InRange(c, "socketio.max-inbound-backlog", c.GetInt("socketio.max-inbound-backlog", 256), 0, int.MaxValue));

        var enabled = c.GetBool("cluster.enabled", false);
        var uri = c.HasPath("cluster.rabbitmq.uri") ? RabbitMqUri(c, c.GetString("cluster.rabbitmq.uri")) : null;
        if (enabled && uri is null)
            throw Error(c, "cluster.rabbitmq.uri", "is required when cluster.enabled is true (set it or SOCKETIO_RABBITMQ_URI, or disable the cluster)");
        var heartbeatInterval = Positive(c, "cluster.heartbeat-interval", c.GetDuration("cluster.heartbeat-interval", TimeSpan.FromSeconds(1)));
        var heartbeatTimeout = Positive(c, "cluster.heartbeat-timeout", c.GetDuration("cluster.heartbeat-timeout", TimeSpan.FromSeconds(5)));
        if (heartbeatTimeout <= heartbeatInterval)
            throw Error(c, "cluster.heartbeat-timeout", $"must be longer than cluster.heartbeat-interval ({heartbeatInterval.TotalMilliseconds} ms), or every node would soon count as gone");
        var cluster = new ClusterConfig(
            Enabled: enabled,
            RabbitMqUri: uri,
            ClusterName: Name(c, "cluster.cluster-name", c.GetString("cluster.cluster-name", "socketio")),
            HeartbeatInterval: heartbeatInterval,
            HeartbeatTimeout: heartbeatTimeout,
            ShardCount: InRange(c, "cluster.shard-count", c.GetInt("cluster.shard-count", 64), 1, 65_536),
            RequestTimeout: Positive(c, "cluster.request-timeout", c.GetDuration("cluster.request-timeout", TimeSpan.FromSeconds(5))));

        return new NodeConfig(nodeName, http, engine, socketIo, cluster);
    }

    /// <summary>The default node name: this machine's name (reduced to name characters) and the HTTP port, unique per host.</summary>
    private static string DefaultNodeName(int port)
    {
        var machine = new string([.. Environment.MachineName.ToLowerInvariant().Select(ch => char.IsAsciiLetterOrDigit(ch) || ch is '.' or '_' or '-' ? ch : '-')]);
        return $"{(machine.Length == 0 ? "node" : machine)}-{port}";
    }

    private static void RejectUnknownKeys(HoconConfig c, string section)
    {
        var known = KnownKeys[section];
        var config = section.Length == 0 ? c : c.GetConfig(section);
        foreach (var key in config.Keys)
        {
            var path = section.Length == 0 ? key : $"{section}.{key}";
            if (!known.Contains(key))
                throw new HoconConfigException(c.FullPath(path), c.GetLocation(path),
                    $"unknown key; the keys of {(section.Length == 0 ? NodeConfig.RootPath : c.FullPath(section))} are {string.Join(", ", known)}");
            if (KnownKeys.ContainsKey(path) && c.HasPath(path)) RejectUnknownKeys(c, path);
        }
    }

    private static HoconConfigException Error(HoconConfig c, string path, string reason) =>
        new(c.FullPath(path), c.GetLocation(path), reason);

    private static T InRange<T>(HoconConfig c, string path, T value, T min, T max) where T : IComparable<T> =>
        value.CompareTo(min) >= 0 && value.CompareTo(max) <= 0 ? value : throw Error(c, path, $"must be from {min} to {max}, not {value}");

    private static TimeSpan Positive(HoconConfig c, string path, TimeSpan value) =>
        value > TimeSpan.Zero && value <= MaxDelay
            ? value
            : throw Error(c, path, $"must be a positive duration of at most {MaxDelay.TotalDays:0.#} days, not {value.TotalMilliseconds} ms");

    private static string RequireText(HoconConfig c, string path, string value) =>
        !string.IsNullOrWhiteSpace(value) ? value : throw Error(c, path, "must not be empty");

    private static string Name(HoconConfig c, string path, string value) =>
        NameRegex().IsMatch(value) ? value : throw Error(c, path, $"\"{value}\" is not a valid name: use letters, digits, '.', '_' and '-'");

    private static string EnginePath(HoconConfig c, string value) =>
        value.StartsWith('/') && !value.Any(char.IsWhiteSpace)
            ? value
            : throw Error(c, "engine.path", $"\"{value}\" must start with '/' and contain no whitespace");

    private static IReadOnlyList<string> Transports(HoconConfig c, IReadOnlyList<string> value)
    {
        if (value.Count == 0) throw Error(c, "engine.transports", "must name at least one transport (polling, websocket)");
        foreach (var t in value)
            if (t is not ("polling" or "websocket"))
                throw Error(c, "engine.transports", $"unknown transport \"{t}\"; use polling and/or websocket");
        if (value.Distinct(StringComparer.Ordinal).Count() != value.Count)
            throw Error(c, "engine.transports", "names a transport twice");
        return value;
    }

    private static string CorsOrigin(HoconConfig c, string value) =>
        value.Length > 0 && !value.Any(char.IsWhiteSpace)
            ? value
            : throw Error(c, "engine.cors-origin", $"\"{value}\" is not an origin; use * or an origin such as https://example.com");

    private static string RabbitMqUri(HoconConfig c, string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "amqp" or "amqps" && uri.Host.Length > 0
            ? value
            : throw Error(c, "cluster.rabbitmq.uri", $"\"{value}\" is not an amqp:// or amqps:// URI");
}
