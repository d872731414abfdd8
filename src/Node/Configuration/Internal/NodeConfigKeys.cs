namespace SocketIo.Node.Configuration.Internal;

/// <summary>
/// The keys <see cref="NodeConfig"/> reads under <c>socketio</c>, by section: the file's keys and the environment
/// overrides are both checked against them, so a misspelt key fails at start-up instead of being ignored.
/// </summary>
internal static class NodeConfigKeys
{
    /// <summary>The sections of the file; any other root key is an error.</summary>
    public static readonly string[] Roots = ["akka", NodeConfig.RootPath];

    /// <summary>Keys of each section, relative to <c>socketio</c> (<c>""</c> is <c>socketio</c> itself).</summary>
    private static readonly Dictionary<string, string[]> Sections = new(StringComparer.Ordinal)
    {
        [""] = ["node", "http", "engine", "socketio", "cluster"],
        ["node"] = ["name"],
        ["http"] = ["host", "port"],
        ["engine"] = ["path", "ping-interval", "ping-timeout", "upgrade-timeout", "max-http-buffer-size", "transports",
            "allow-upgrades", "allow-eio3", "cors-origin"],
        ["socketio"] = ["connect-timeout", "cleanup-empty-child-namespaces", "max-dynamic-namespaces", "max-attachments",
            "max-json-depth", "attachment-timeout", "max-inbound-backlog", "outbound-overflow"],
        ["cluster"] = ["enabled", "cluster-name", "hostname", "port", "seed-nodes", "role", "join-timeout", "shard-count",
            "request-timeout"],
    };

    /// <summary>Keys whose value is a list of strings.</summary>
    private static readonly HashSet<string> Lists = new(StringComparer.Ordinal) { "engine.transports", "cluster.seed-nodes" };

    public static bool IsSection(string path) => Sections.ContainsKey(path);

    public static bool IsList(string path) => Lists.Contains(path);

    /// <summary>The keys of <paramref name="section"/>; empty for a key that is not a section.</summary>
    public static IReadOnlyList<string> KeysOf(string section) => Sections.GetValueOrDefault(section) ?? [];

    /// <summary><c>socketio</c> followed by <paramref name="path"/>: the key as errors name it.</summary>
    public static string Full(string path) => path.Length == 0 ? NodeConfig.RootPath : $"{NodeConfig.RootPath}.{path}";

    /// <summary>Joins a section and one of its keys.</summary>
    public static string Child(string section, string key) => section.Length == 0 ? key : $"{section}.{key}";

    /// <summary>The reason an unknown key under <paramref name="section"/> is refused, listing the valid keys.</summary>
    public static string UnknownKeyReason(string section) =>
        IsSection(section)
            ? $"unknown key; the keys of {Full(section)} are {string.Join(", ", KeysOf(section))}"
            : $"unknown key; {Full(section)} is a value, not a section";
}
