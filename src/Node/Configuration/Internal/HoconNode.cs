namespace SocketIo.Node.Configuration.Internal;

/// <summary>
/// A node of a parsed document. The parser produces objects, arrays, scalars, substitutions,
/// concatenations and <see cref="HoconField"/>s; resolution leaves only objects, arrays and scalars.
/// </summary>
internal abstract class HoconNode(HoconLocation location)
{
    public HoconLocation Location { get; } = location;

    /// <summary>True for nodes whose value is only known after substitutions are resolved.</summary>
    public bool IsUnresolved => this is HoconField or HoconSubstitution or HoconConcatenation;
}

internal sealed class HoconObject(HoconLocation location) : HoconNode(location)
{
    public OrderedDictionary<string, HoconNode> Fields { get; } = new(StringComparer.Ordinal);
}

internal sealed class HoconArray(HoconLocation location) : HoconNode(location)
{
    public List<HoconNode> Items { get; } = [];
}

internal enum HoconScalarKind { String, Number, Boolean, Null }

/// <summary>A string, number, boolean or null; <see cref="Text"/> keeps a number exactly as written.</summary>
internal sealed class HoconScalar(HoconLocation location, HoconScalarKind kind, string text) : HoconNode(location)
{
    public HoconScalarKind Kind { get; } = kind;
    public string Text { get; } = text;
}

/// <summary><c>${path}</c> or, when <see cref="Optional"/>, <c>${?path}</c>.</summary>
internal sealed class HoconSubstitution(HoconLocation location, IReadOnlyList<string> path, bool optional) : HoconNode(location)
{
    public IReadOnlyList<string> Path { get; } = path;
    public bool Optional { get; } = optional;
    public string Expression => Optional ? $"${{?{HoconPath.Render(Path)}}}" : $"${{{HoconPath.Render(Path)}}}";
}

/// <summary>Simple values on one line that become one string once their substitutions are resolved.</summary>
internal sealed class HoconConcatenation(HoconLocation location, IReadOnlyList<HoconNode> parts) : HoconNode(location)
{
    public IReadOnlyList<HoconNode> Parts { get; } = parts;
}

/// <summary>
/// An object field whose value needs resolving (<see cref="Current"/>), together with the value the
/// same key had before this assignment (<see cref="Previous"/>). The previous value is what an
/// undefined <c>${?X}</c> leaves in place, what a self-reference such as <c>port = ${?port}</c> reads,
/// and what an object value merges over. <see cref="Path"/> is the absolute key, or null inside arrays.
/// </summary>
internal sealed class HoconField(HoconLocation location, HoconNode? previous, HoconNode current, IReadOnlyList<string>? path)
    : HoconNode(location)
{
    public HoconNode? Previous { get; } = previous;
    public HoconNode Current { get; } = current;
    public IReadOnlyList<string>? Path { get; } = path;
}

internal static class HoconPath
{
    /// <summary>Renders a path with the segments that need it quoted, so it parses back to the same path.</summary>
    public static string Render(IReadOnlyList<string> path) => string.Join('.', path.Select(RenderSegment));

    private static string RenderSegment(string s) =>
        s.Length > 0 && s.All(c => c != '.' && HoconParser.IsUnquotedChar(c)) && !s.Contains("//", StringComparison.Ordinal)
            ? s
            : "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    public static IReadOnlyList<string> Append(IReadOnlyList<string>? prefix, string key) =>
        prefix is null ? [key] : [.. prefix, key];

    public static bool StartsWith(IReadOnlyList<string> path, IReadOnlyList<string> prefix)
    {
        if (path.Count < prefix.Count) return false;
        for (var i = 0; i < prefix.Count; i++)
            if (!string.Equals(path[i], prefix[i], StringComparison.Ordinal)) return false;
        return true;
    }

    /// <summary>
    /// The value of assigning <paramref name="newer"/> to a key that held <paramref name="older"/>,
    /// following HOCON's duplicate-key rule: two objects merge key by key, anything else replaces.
    /// When either side needs resolving first, the decision is deferred into a <see cref="HoconField"/>.
    /// </summary>
    public static HoconNode Overlay(HoconNode? older, HoconNode newer, IReadOnlyList<string>? path)
    {
        switch (newer)
        {
            case HoconObject newObject:
                if (older is HoconObject oldObject) return MergeObjects(oldObject, newObject, path);
                // `a = ${x}` then `a { y = 1 }` then `a { z = 2 }`: keep merging into the pending object.
                if (older is HoconField { Current: HoconObject pending } field)
                    return new HoconField(field.Location, field.Previous, MergeObjects(pending, newObject, path), path);
                if (older is { IsUnresolved: true }) return new HoconField(newObject.Location, older, newObject, path);
                return newObject;
            case HoconField newField:
                var previous = newField.Previous is null ? older : Overlay(older, newField.Previous, path);
                return new HoconField(newField.Location, previous, newField.Current, path);
            case HoconSubstitution or HoconConcatenation:
                return new HoconField(newer.Location, older, newer, path);
            default:
                return newer;
        }
    }

    private static HoconObject MergeObjects(HoconObject older, HoconObject newer, IReadOnlyList<string>? path)
    {
        var merged = new HoconObject(older.Location);
        foreach (var (key, value) in older.Fields) merged.Fields[key] = value;
        foreach (var (key, value) in newer.Fields)
            merged.Fields[key] = Overlay(merged.Fields.GetValueOrDefault(key), value, path is null ? null : Append(path, key));
        return merged;
    }
}
