using System.Globalization;
using Akka.Configuration;
using Akka.Configuration.Hocon;
using Microsoft.Extensions.Configuration;

namespace SocketIo.Node.Configuration.Internal;

/// <summary>
/// The overrides of keys under <c>socketio</c> that an ASP.NET Core configuration holds, as a HOCON configuration
/// to put in front of the file (<c>Hocon.WithFallback(file)</c>). A configuration key is split at <c>:</c> and
/// <c>__</c> (what the environment-variable provider maps <c>__</c> to), its first part must be <c>socketio</c>
/// and every other part names a key of <see cref="NodeConfigKeys"/> ignoring case, with <c>_</c> standing for
/// <c>-</c>: <c>SOCKETIO__ENGINE__PING_INTERVAL</c>, <c>SOCKETIO__ENGINE__PING-INTERVAL</c> and
/// <c>socketio:engine:ping-interval</c> all set <c>socketio.engine.ping-interval</c>. A list takes its items
/// comma-separated in one value or one per index (<c>SOCKETIO__ENGINE__TRANSPORTS__0</c>, ASP.NET Core's form).
/// An empty value counts as unset. A name that matches no key, or two names for one key, is a
/// <see cref="NodeConfigException"/>.
/// </summary>
internal sealed class EnvironmentOverrides
{
    private readonly Dictionary<string, string> _names;

    private EnvironmentOverrides(Config hocon, Dictionary<string, string> names)
    {
        Hocon = hocon;
        _names = names;
    }

    public static EnvironmentOverrides None { get; } = new(Config.Empty, new Dictionary<string, string>(StringComparer.Ordinal));

    /// <summary>The overrides as <c>socketio { ... }</c>, every value a string literal; empty when there are none.</summary>
    public Config Hocon { get; }

    /// <summary>The override (as <c>SOCKETIO__HTTP__PORT</c>) that set <paramref name="path"/> (relative to <c>socketio</c>), or null.</summary>
    public string? NameOf(string path) => _names.GetValueOrDefault(path);

    /// <summary>The environment variable that overrides <paramref name="path"/> (relative to <c>socketio</c>): <c>http.port</c> is <c>SOCKETIO__HTTP__PORT</c>.</summary>
    public static string VariableFor(string path) =>
        string.Join("__", new[] { NodeConfig.RootPath }.Concat(path.Split('.')).Select(s => s.ToUpperInvariant().Replace('-', '_')));

    /// <summary>Collects the overrides of <paramref name="configuration"/>; <paramref name="file"/> names the configuration in errors.</summary>
    public static EnvironmentOverrides From(IConfiguration? configuration, string file)
    {
        if (configuration is null) return None;
        var scalars = new Dictionary<string, (string Name, string Value)>(StringComparer.Ordinal);
        var items = new Dictionary<string, SortedDictionary<int, (string Name, string Value)>>(StringComparer.Ordinal);
        foreach (var (key, value) in configuration.AsEnumerable())
        {
            // Sections have no value; an empty variable is how a shell says "unset".
            if (string.IsNullOrEmpty(value)) continue;
            var segments = key.Replace("__", ":", StringComparison.Ordinal).Split(':');
            if (!segments[0].Equals(NodeConfig.RootPath, StringComparison.OrdinalIgnoreCase)) continue;
            var name = string.Join("__", segments);
            var (path, index) = Resolve(segments, name, file);
            if (index is { } i)
            {
                var list = items.TryGetValue(path, out var l) ? l : items[path] = new();
                if (list.TryGetValue(i, out var other)) throw SetTwice(file, path, other.Name, name);
                list[i] = (name, value);
            }
            else
            {
                if (scalars.TryGetValue(path, out var other)) throw SetTwice(file, path, other.Name, name);
                scalars[path] = (name, value);
            }
        }

        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var root = new HoconObject();
        foreach (var (path, (name, value)) in scalars)
        {
            if (items.TryGetValue(path, out var byIndex))
                throw SetTwice(file, path, name, byIndex.Values.First().Name);
            names[path] = name;
            Put(root, path, NodeConfigKeys.IsList(path)
                ? Array(value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                : Literal(value));
        }
        foreach (var (path, byIndex) in items)
        {
            names[path] = string.Join(", ", byIndex.Values.Select(v => v.Name));
            Put(root, path, Array(byIndex.Values.Select(v => v.Value)));
        }
        if (names.Count == 0) return None;
        var rootValue = new HoconValue();
        rootValue.AppendValue(root);
        return new EnvironmentOverrides(new Config(new HoconRoot(rootValue)), names);
    }

    /// <summary>The key (relative to <c>socketio</c>) that <paramref name="segments"/> name, and the list index when the last one is an index.</summary>
    private static (string Path, int? Index) Resolve(string[] segments, string name, string file)
    {
        var path = "";
        for (var i = 1; i < segments.Length; i++)
        {
            var key = segments[i].ToLowerInvariant().Replace('_', '-');
            if (NodeConfigKeys.IsSection(path))
            {
                if (!NodeConfigKeys.KeysOf(path).Contains(key))
                    throw new NodeConfigException(file, NodeConfigKeys.Full(NodeConfigKeys.Child(path, key)), NodeConfigKeys.UnknownKeyReason(path), name);
                path = NodeConfigKeys.Child(path, key);
            }
            else if (NodeConfigKeys.IsList(path) && i == segments.Length - 1
                     && int.TryParse(segments[i], NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                return (path, index);
            else
                throw new NodeConfigException(file, NodeConfigKeys.Full(NodeConfigKeys.Child(path, key)), NodeConfigKeys.UnknownKeyReason(path), name);
        }
        if (NodeConfigKeys.IsSection(path))
            throw new NodeConfigException(file, NodeConfigKeys.Full(path),
                $"is a section, not a value; override one of its keys ({string.Join(", ", NodeConfigKeys.KeysOf(path))}) instead", name);
        return (path, null);
    }

    private static NodeConfigException SetTwice(string file, string path, string first, string second)
    {
        var (a, b) = string.CompareOrdinal(first, second) <= 0 ? (first, second) : (second, first);
        return new NodeConfigException(file, NodeConfigKeys.Full(path), $"is overridden twice, by {a} and by {b}; keep one");
    }

    private static HoconValue Literal(string text)
    {
        var value = new HoconValue();
        value.AppendValue(new HoconLiteral { Value = text });
        return value;
    }

    private static HoconValue Array(IEnumerable<string> texts)
    {
        var array = new HoconArray();
        array.AddRange(texts.Select(Literal));
        var value = new HoconValue();
        value.AppendValue(array);
        return value;
    }

    /// <summary>Sets <c>socketio.</c><paramref name="path"/> in <paramref name="root"/>, creating the objects on the way.</summary>
    private static void Put(HoconObject root, string path, HoconValue value)
    {
        var segments = path.Split('.');
        var current = root;
        foreach (var segment in new[] { NodeConfig.RootPath }.Concat(segments[..^1]))
        {
            var child = current.GetOrCreateKey(segment);
            if (!child.IsObject()) child.NewValue(new HoconObject());
            current = child.GetObject();
        }
        current.Items[segments[^1]] = value;
    }
}
