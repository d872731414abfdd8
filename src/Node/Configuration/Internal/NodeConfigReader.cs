using System.Globalization;
using System.Text.RegularExpressions;
using Akka.Configuration;
using Akka.Configuration.Hocon;
using Microsoft.Extensions.Configuration;
using SocketIo.Actors;

namespace SocketIo.Node.Configuration.Internal;

/// <summary>
/// Parses a configuration file with Akka's HOCON parser, puts the environment overrides in front of it, and maps
/// and validates its <c>socketio</c> object onto <see cref="NodeConfig"/>. Every failure is a
/// <see cref="NodeConfigException"/> naming the file and the key.
/// </summary>
internal sealed partial class NodeConfigReader
{
    // The longest delay our timers take (Task.Delay and timers cap at int.MaxValue milliseconds).
    private static readonly TimeSpan MaxDelay = TimeSpan.FromMilliseconds(int.MaxValue);

    private static readonly string[] DefaultTransports = ["polling", "websocket"];

    private const string DurationExample = "a duration such as 10s or 500ms (ns, ms, s, m, h, d; a bare number is milliseconds)";
    private const string SizeExample = "a whole size such as 512KiB or 1MB (B, kB, MB, GB are powers of 1000; K, KiB, M, MiB, G, GiB powers of 1024)";

    private readonly Config _config;
    private readonly string _file;
    private readonly EnvironmentOverrides _overrides;

    private NodeConfigReader(Config config, string file, EnvironmentOverrides overrides)
    {
        _config = config;
        _file = file;
        _overrides = overrides;
    }

    [GeneratedRegex("^[A-Za-z0-9._-]+$")]
    private static partial Regex NameRegex();

    [GeneratedRegex(@"^Unknown token at position (\d+)")]
    private static partial Regex UnknownTokenRegex();

    /// <summary>
    /// Parses <paramref name="text"/> (the file <paramref name="file"/>), checks its sections, applies the overrides of
    /// <paramref name="overrides"/> and reads the result. Returns the merged configuration with the model read from it.
    /// </summary>
    public static (Config Hocon, NodeConfig Node) Parse(string text, string file, IConfiguration? overrides)
    {
        var parsed = ParseHocon(text.TrimStart('\uFEFF'), file);
        RejectUnsupportedSubstitutions(parsed.Root, "", file, new HashSet<HoconObject>(ReferenceEqualityComparer.Instance));
        foreach (var key in parsed.Root.GetObject().Items.Keys)
            if (!NodeConfigKeys.Roots.Contains(key))
                throw new NodeConfigException(file, key, $"unknown key; the sections of the file are {string.Join(" and ", NodeConfigKeys.Roots)}"
                    + (key == "socketio-actors" ? " (socketio-actors is now socketio)" : ""));
        var env = EnvironmentOverrides.From(overrides, file);
        var merged = env.Hocon.WithFallback(parsed);
        return (merged, new NodeConfigReader(merged, file, env).Read());
    }

    /// <summary>Reads the <c>socketio</c> object of an already parsed configuration, without overrides.</summary>
    public static NodeConfig Read(Config config, string file)
    {
        if (config.GetValue(NodeConfig.RootPath) is { } root)
            RejectUnsupportedSubstitutions(root, NodeConfig.RootPath, file, new HashSet<HoconObject>(ReferenceEqualityComparer.Instance));
        return new NodeConfigReader(config, file, EnvironmentOverrides.None).Read();
    }

    private static Config ParseHocon(string text, string file)
    {
        try
        {
            return ConfigurationFactory.ParseString(text, include => throw new NodeConfigException(file, null,
                $"include {include} is not supported: the configuration is one file; copy the included settings into it"));
        }
        catch (NodeConfigException)
        {
            throw;
        }
        catch (Exception e)
        {
            // Akka's parser fails with FormatException, ConfigurationException and even plain Exception: any of them means the text.
            // Akka's parser reports a position only for an unexpected token, as an offset into the text.
            if (UnknownTokenRegex().Match(e.Message) is { Success: true } m && int.TryParse(m.Groups[1].ValueSpan, out var offset) && offset <= text.Length)
            {
                var lineStart = offset == 0 ? 0 : text.LastIndexOf('\n', offset - 1) + 1;
                var found = offset == text.Length ? "end of input" : text[offset] is '\r' or '\n' ? "end of line" : $"'{text[offset]}'";
                throw new NodeConfigException(file, null, $"malformed HOCON: unexpected {found}",
                    line: text.AsSpan(0, offset).Count('\n') + 1, column: offset - lineStart + 1);
            }
            var reason = string.Join(" ", e.Message.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
            throw new NodeConfigException(file, null, $"malformed HOCON: {reason}");
        }
    }

    /// <summary>
    /// Akka 1.5's parser does not support optional substitutions (<c>${?NAME}</c>): it resolves one to the root
    /// object and silently moves the keys after it elsewhere. Such a value, or any object that contains itself,
    /// is refused here before anything is read from the tree.
    /// </summary>
    private static void RejectUnsupportedSubstitutions(HoconValue value, string path, string file, HashSet<HoconObject> enclosing)
    {
        if (value.Values.OfType<HoconSubstitution>().Any(s => string.IsNullOrEmpty(s.Path) || s.Path.StartsWith('?'))
            || value.GetObject() is { } self && enclosing.Contains(self))
        {
            var instead = path.StartsWith(NodeConfig.RootPath + ".", StringComparison.Ordinal)
                ? $"write the value here and override it with {EnvironmentOverrides.VariableFor(path[(NodeConfig.RootPath.Length + 1)..])} instead"
                : "write the value here instead";
            throw new NodeConfigException(file, path,
                $"uses ${{?...}}, which Akka's HOCON parser does not support (it drops the keys after it); {instead}");
        }
        if (value.GetObject() is { } obj)
        {
            enclosing.Add(obj);
            foreach (var (key, child) in obj.Items)
                RejectUnsupportedSubstitutions(child, path.Length == 0 ? key : $"{path}.{key}", file, enclosing);
            enclosing.Remove(obj);
        }
        else if (value.Values.All(e => e.IsArray()))
        {
            var i = 0;
            foreach (var item in value.GetArray())
                RejectUnsupportedSubstitutions(item, $"{path}[{i++}]", file, enclosing);
        }
    }

    private NodeConfig Read()
    {
        if (_config.GetValue(NodeConfig.RootPath) is { } root) RejectUnknownKeys("", root);

        var http = new HttpConfig(
            Host: RequireText("http.host", Text("http.host", "127.0.0.1")),
            Port: (int)Integer("http.port", 3000, 0, 65535));

        var nodeName = Find("node.name") is not null ? Name("node.name", Text("node.name", "")) : DefaultNodeName(http.Port);

        var engine = new EngineConfig(
            Path: EnginePath(Text("engine.path", "/socket.io/")),
            PingInterval: Positive("engine.ping-interval", Duration("engine.ping-interval", TimeSpan.FromSeconds(25))),
            PingTimeout: Positive("engine.ping-timeout", Duration("engine.ping-timeout", TimeSpan.FromSeconds(20))),
            UpgradeTimeout: Positive("engine.upgrade-timeout", Duration("engine.upgrade-timeout", TimeSpan.FromSeconds(10))),
            MaxHttpBufferSize: Size("engine.max-http-buffer-size", 1_000_000, 1, int.MaxValue),
            Transports: Transports(StringList("engine.transports", DefaultTransports)),
            AllowUpgrades: Boolean("engine.allow-upgrades", true),
            AllowEio3: Boolean("engine.allow-eio3", true),
            CorsOrigin: Find("engine.cors-origin") is not null ? CorsOrigin(Text("engine.cors-origin", "")) : null);

        var socketIo = new SocketIoConfig(
            ConnectTimeout: Positive("socketio.connect-timeout", Duration("socketio.connect-timeout", TimeSpan.FromSeconds(45))),
            CleanupEmptyChildNamespaces: Boolean("socketio.cleanup-empty-child-namespaces", false),
            MaxDynamicNamespaces: (int)Integer("socketio.max-dynamic-namespaces", 10_000, 0, int.MaxValue),
            MaxAttachments: (int)Integer("socketio.max-attachments", 10, 0, int.MaxValue),
            MaxJsonDepth: (int)Integer("socketio.max-json-depth", 32, 1, 10_000),
            AttachmentTimeout: Positive("socketio.attachment-timeout", Duration("socketio.attachment-timeout", TimeSpan.FromSeconds(30))),
            MaxInboundBacklog: (int)Integer("socketio.max-inbound-backlog", 256, 0, int.MaxValue),
            OutboundOverflow: OutboundOverflow(Text("socketio.outbound-overflow", "disconnect")));

        var clusterName = Name("cluster.cluster-name", Text("cluster.cluster-name", "socketio"));
        var cluster = new ClusterConfig(
            Enabled: Boolean("cluster.enabled", false),
            ClusterName: clusterName,
            Hostname: RequireText("cluster.hostname", Text("cluster.hostname", "127.0.0.1")),
            Port: (int)Integer("cluster.port", 4000, 0, 65_535),
            SeedNodes: [.. StringList("cluster.seed-nodes", []).Select(seed => SeedNode("cluster.seed-nodes", clusterName, seed))],
            Role: Name("cluster.role", Text("cluster.role", "socketio")),
            JoinTimeout: Positive("cluster.join-timeout", Duration("cluster.join-timeout", TimeSpan.FromSeconds(60))),
            ShardCount: (int)Integer("cluster.shard-count", 64, 1, 65_536),
            RequestTimeout: Positive("cluster.request-timeout", Duration("cluster.request-timeout", TimeSpan.FromSeconds(5))));

        return new NodeConfig(nodeName, http, engine, socketIo, cluster);
    }

    /// <summary>The default node name: this machine's name (reduced to name characters) and the HTTP port, unique per host.</summary>
    private static string DefaultNodeName(int port)
    {
        var machine = new string([.. Environment.MachineName.ToLowerInvariant().Select(ch => char.IsAsciiLetterOrDigit(ch) || ch is '.' or '_' or '-' ? ch : '-')]);
        return $"{(machine.Length == 0 ? "node" : machine)}-{port}";
    }

    private void RejectUnknownKeys(string section, HoconValue value)
    {
        if (IsNull(value)) return;
        if (!value.IsObject()) throw WrongType(section, "an object", value);
        foreach (var (key, child) in value.GetObject().Items)
        {
            var path = NodeConfigKeys.Child(section, key);
            if (!NodeConfigKeys.KeysOf(section).Contains(key)) throw Error(path, NodeConfigKeys.UnknownKeyReason(section));
            if (NodeConfigKeys.IsSection(path)) RejectUnknownKeys(path, child);
        }
    }

    // Values: Akka's literals are all text (a number or boolean is not typed), so each getter converts with
    // Akka's own conversion and turns its exception into an error naming the key.

    /// <summary>The value at <paramref name="path"/> (relative to <c>socketio</c>); null when it is missing or null.</summary>
    private HoconValue? Find(string path) =>
        _config.GetValue(NodeConfigKeys.Full(path)) is { } value && !IsNull(value) ? value : null;

    private static bool IsNull(HoconValue value) => value.IsString() && value.GetString() is null;

    /// <summary>The text of a scalar value, or an error naming <paramref name="expected"/>.</summary>
    private string Scalar(string path, HoconValue value, string expected) =>
        value.IsString() ? value.GetString()! : throw WrongType(path, expected, value);

    private string Text(string path, string fallback) => Find(path) is { } v ? Scalar(path, v, "a string") : fallback;

    private long Integer(string path, long fallback, long min, long max)
    {
        if (Find(path) is not { } v) return fallback;
        var text = Scalar(path, v, "an integer");
        long value;
        try
        {
            value = v.GetLong();
        }
        catch (FormatException)
        {
            throw WrongType(path, "an integer", v);
        }
        catch (OverflowException)
        {
            throw Error(path, $"must be from {min} to {max}, not {text}");
        }
        return value >= min && value <= max ? value : throw Error(path, $"must be from {min} to {max}, not {value}");
    }

    private bool Boolean(string path, bool fallback)
    {
        if (Find(path) is not { } v) return fallback;
        const string expected = "a boolean (true, false, on, off)";
        Scalar(path, v, expected);
        try
        {
            return v.GetBoolean();
        }
        catch (NotSupportedException)
        {
            throw WrongType(path, expected, v);
        }
    }

    private TimeSpan Duration(string path, TimeSpan fallback)
    {
        if (Find(path) is not { } v) return fallback;
        var text = Scalar(path, v, DurationExample);
        try
        {
            return v.GetTimeSpan(allowInfinite: false);
        }
        catch (FormatException)
        {
            throw WrongType(path, DurationExample, v);
        }
        catch (OverflowException)
        {
            throw Error(path, $"the duration \"{text}\" is out of range");
        }
    }

    private long Size(string path, long fallback, long min, long max)
    {
        if (Find(path) is not { } v) return fallback;
        var text = Scalar(path, v, SizeExample);
        long? value;
        try
        {
            value = v.GetByteSize();
        }
        catch (FormatException)
        {
            throw WrongType(path, SizeExample, v);
        }
        catch (OverflowException)
        {
            throw Error(path, $"must be from {min} to {max} bytes, not {text}");
        }
        if (value is not { } bytes) throw WrongType(path, SizeExample, v);
        if (bytes >= min && bytes <= max) return bytes;
        // Akka multiplies the number by the unit unchecked: a negative result from a positive text is an overflow.
        var written = bytes.ToString(CultureInfo.InvariantCulture) == text.Trim() || bytes < 0 && !text.TrimStart().StartsWith('-')
            ? text.Trim()
            : $"{text.Trim()} ({bytes} bytes)";
        throw Error(path, $"must be from {min} to {max} bytes, not {written}");
    }

    private IReadOnlyList<string> StringList(string path, IReadOnlyList<string> fallback)
    {
        if (Find(path) is not { } v) return fallback;
        if (v.Values.Count == 0 || !v.Values.All(e => e.IsArray())) throw WrongType(path, "a list such as [polling, websocket]", v);
        var items = v.GetArray();
        var list = new string[items.Count];
        for (var i = 0; i < list.Length; i++)
            list[i] = items[i].IsString() && items[i].GetString() is { } s ? s : throw WrongType($"{path}[{i}]", "a string", items[i]);
        return list;
    }

    private NodeConfigException Error(string path, string reason) =>
        new(_file, NodeConfigKeys.Full(path), reason, _overrides.NameOf(path));

    private NodeConfigException WrongType(string path, string expected, HoconValue value) =>
        Error(path, $"expected {expected} but found {Describe(value)}");

    private static string Describe(HoconValue value) =>
        value.Values.Count == 0 ? "no value"
        : value.IsObject() ? "an object"
        : value.Values.All(e => e.IsArray()) ? "a list"
        : value.IsString() ? value.GetString() is { } s ? $"\"{s}\"" : "null"
        : "a value mixing text, lists and objects";

    private TimeSpan Positive(string path, TimeSpan value) =>
        value > TimeSpan.Zero && value <= MaxDelay
            ? value
            : throw Error(path, $"must be a positive duration of at most {MaxDelay.TotalDays:0.#} days, not {value.TotalMilliseconds} ms");

    private string RequireText(string path, string value) =>
        !string.IsNullOrWhiteSpace(value) ? value : throw Error(path, "must not be empty");

    private string Name(string path, string value) =>
        NameRegex().IsMatch(value) ? value : throw Error(path, $"\"{value}\" is not a valid name: use letters, digits, '.', '_' and '-'");

    private string EnginePath(string value) =>
        value.StartsWith('/') && !value.Any(char.IsWhiteSpace)
            ? value
            : throw Error("engine.path", $"\"{value}\" must start with '/' and contain no whitespace");

    private IReadOnlyList<string> Transports(IReadOnlyList<string> value)
    {
        if (value.Count == 0) throw Error("engine.transports", "must name at least one transport (polling, websocket)");
        foreach (var t in value)
            if (t is not ("polling" or "websocket"))
                throw Error("engine.transports", $"unknown transport \"{t}\"; use polling and/or websocket");
        if (value.Distinct(StringComparer.Ordinal).Count() != value.Count)
            throw Error("engine.transports", "names a transport twice");
        return value;
    }

    private OutboundOverflowPolicy OutboundOverflow(string value) => value switch
    {
        "disconnect" => OutboundOverflowPolicy.Disconnect,
        "drop-volatile" => OutboundOverflowPolicy.DropVolatile,
        _ => throw Error("socketio.outbound-overflow", $"unknown policy \"{value}\"; use disconnect or drop-volatile"),
    };

    private string CorsOrigin(string value) =>
        value.Length > 0 && !value.Any(char.IsWhiteSpace)
            ? value
            : throw Error("engine.cors-origin", $"\"{value}\" is not an origin; use * or an origin such as https://example.com");

    /// <summary>A seed node as <c>host:port</c> or a full Akka address; the result is always the full address.</summary>
    private string SeedNode(string path, string clusterName, string value)
    {
        if (value.StartsWith("akka.tcp://", StringComparison.Ordinal))
            return Akka.Actor.Address.TryParse(value, out _) ? value : throw Error(path, $"\"{value}\" is not an Akka address such as akka.tcp://{clusterName}@127.0.0.1:4001");
        var colon = value.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(value.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65_535)
            throw Error(path, $"\"{value}\" is neither host:port (127.0.0.1:4001) nor an Akka address (akka.tcp://{clusterName}@127.0.0.1:4001)");
        return $"akka.tcp://{clusterName}@{value[..colon]}:{port}";
    }
}
