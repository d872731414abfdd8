using System.Text;

namespace SocketIo.Node.Configuration.Internal;

/// <summary>
/// Replaces every substitution of a parsed document by its value, after parsing, so a substitution
/// may look forward. <c>${a.b}</c> is looked up from the root of the configuration; when the path is
/// not there (an explicit <c>null</c> counts as there) the environment variable named by the whole
/// path is tried, an empty variable counting as unset. An undefined <c>${?x}</c> leaves the key with
/// the value it had before (or absent), drops an array element, and is the empty string inside a
/// concatenation; an undefined <c>${x}</c> is an error. A substitution of the key being assigned
/// (<c>port = ${?port}</c>) reads the value the key had before this assignment. Cycles are errors.
/// </summary>
internal sealed class HoconResolver(HoconObject root, Func<string, string?> environment)
{
    private readonly Dictionary<HoconNode, HoconNode?> _resolved = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<HoconNode> _active = new(ReferenceEqualityComparer.Instance);

    /// <summary>The value a key had before the assignment being resolved, for self-references.</summary>
    private sealed record SelfReference(IReadOnlyList<string> Path, HoconNode? Previous);

    public HoconObject ResolveRoot() => (HoconObject)Resolve(root, null)!;

    /// <summary>The resolved value of <paramref name="node"/>, or null when it is undefined (an unset optional substitution).</summary>
    private HoconNode? Resolve(HoconNode node, SelfReference? self)
    {
        switch (node)
        {
            case HoconScalar:
                return node;
            case HoconSubstitution substitution:
                return ResolveSubstitution(substitution, self);
            case HoconConcatenation concatenation:
                return ResolveConcatenation(concatenation, self);
        }

        if (_resolved.TryGetValue(node, out var done)) return done;
        if (!_active.Add(node))
            throw new HoconParseException(node.Location, node is HoconField { Path: { } path }
                ? $"circular substitution: the value of '{HoconPath.Render(path)}' depends on itself"
                : "circular substitution: this value depends on itself");
        HoconNode? result;
        switch (node)
        {
            case HoconObject obj:
                var resolvedObject = new HoconObject(obj.Location);
                foreach (var (key, value) in obj.Fields)
                    if (Resolve(value, null) is { } resolvedValue) resolvedObject.Fields[key] = resolvedValue;
                result = resolvedObject;
                break;
            case HoconArray array:
                var resolvedArray = new HoconArray(array.Location);
                foreach (var item in array.Items)
                    if (Resolve(item, null) is { } resolvedItem) resolvedArray.Items.Add(resolvedItem);
                result = resolvedArray;
                break;
            case HoconField field:
                result = ResolveField(field);
                break;
            default:
                throw new InvalidOperationException($"unexpected node {node.GetType().Name}");
        }
        _active.Remove(node);
        _resolved[node] = result;
        return result;
    }

    private HoconNode? ResolveField(HoconField field)
    {
        var self = field.Path is null ? null : new SelfReference(field.Path, field.Previous);
        var current = Resolve(field.Current, self);
        if (current is null) return field.Previous is null ? null : Resolve(field.Previous, null);
        if (current is HoconObject currentObject && field.Previous is not null
            && Resolve(field.Previous, null) is HoconObject previousObject)
            return MergeResolved(previousObject, currentObject);
        return current;
    }

    private static HoconObject MergeResolved(HoconObject older, HoconObject newer)
    {
        var merged = new HoconObject(newer.Location);
        foreach (var (key, value) in older.Fields) merged.Fields[key] = value;
        foreach (var (key, value) in newer.Fields)
            merged.Fields[key] = merged.Fields.GetValueOrDefault(key) is HoconObject o && value is HoconObject n
                ? MergeResolved(o, n)
                : value;
        return merged;
    }

    private HoconNode? ResolveSubstitution(HoconSubstitution substitution, SelfReference? self)
    {
        if (self is not null && HoconPath.StartsWith(substitution.Path, self.Path))
        {
            // `port = ${?port}`: the key's value before this line, never the line itself.
            if (self.Previous is not null
                && Navigate(Resolve(self.Previous, null), substitution.Path, self.Path.Count) is { } previous)
                return previous;
        }
        else if (Lookup(substitution.Path) is { } found)
        {
            return found;
        }

        var name = string.Join('.', substitution.Path);
        var value = environment(name);
        if (!string.IsNullOrEmpty(value))
            return new HoconScalar(substitution.Location with { Origin = $"environment variable {name}" }, HoconScalarKind.String, value);
        if (substitution.Optional) return null;
        throw new HoconParseException(substitution.Location,
            $"could not resolve substitution {substitution.Expression}: '{HoconPath.Render(substitution.Path)}' is neither set in the configuration nor an environment variable (write ${{?...}} if it is optional)");
    }

    /// <summary>Finds <paramref name="path"/> from the root, resolving only what lies on the way.</summary>
    private HoconNode? Lookup(IReadOnlyList<string> path)
    {
        HoconNode? node = root;
        foreach (var segment in path)
        {
            if (node is { IsUnresolved: true }) node = Resolve(node, null);
            if (node is not HoconObject obj || !obj.Fields.TryGetValue(segment, out var child)) return null;
            node = child;
        }
        return node is null ? null : Resolve(node, null);
    }

    private HoconNode? Navigate(HoconNode? node, IReadOnlyList<string> path, int from)
    {
        for (var i = from; i < path.Count && node is not null; i++)
            node = node is HoconObject obj ? obj.Fields.GetValueOrDefault(path[i]) : null;
        return node is null ? null : Resolve(node, null);
    }

    private HoconNode? ResolveConcatenation(HoconConcatenation concatenation, SelfReference? self)
    {
        var text = new StringBuilder();
        var anyDefined = false;
        foreach (var part in concatenation.Parts)
        {
            switch (part)
            {
                case HoconSubstitution substitution:
                    var value = ResolveSubstitution(substitution, self);
                    if (value is null) continue;
                    anyDefined = true;
                    if (value is not HoconScalar resolvedScalar)
                        throw new HoconParseException(substitution.Location,
                            $"{substitution.Expression} is {(value is HoconObject ? "an object" : "an array")} and cannot be concatenated with other values");
                    // A null joins a concatenation as the empty string, not as "null".
                    if (resolvedScalar.Kind != HoconScalarKind.Null) text.Append(resolvedScalar.Text);
                    break;
                case HoconScalar literal:
                    if (!string.IsNullOrWhiteSpace(literal.Text)) anyDefined = true;
                    text.Append(literal.Text);
                    break;
            }
        }
        // `${?A} ${?B}` with neither set is undefined rather than a string of spaces.
        return anyDefined ? new HoconScalar(concatenation.Location, HoconScalarKind.String, text.ToString()) : null;
    }
}
