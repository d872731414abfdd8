using System.Globalization;
using SocketIo.Node.Configuration.Internal;

namespace SocketIo.Node.Configuration;

/// <summary>
/// A resolved, immutable configuration read from the subset of HOCON we support:
/// <list type="bullet">
/// <item>root object with or without braces; objects, arrays; <c>:</c> or <c>=</c> (or none before <c>{</c>);
/// fields and elements separated by commas or newlines, one trailing comma allowed; <c>#</c> and <c>//</c> comments;</item>
/// <item>unquoted, quoted and dotted keys (<c>a.b.c = 1</c>); duplicate keys merge objects recursively, otherwise the later value wins;</item>
/// <item>quoted strings with JSON escapes, <c>"""raw"""</c> strings, unquoted strings, numbers, <c>true</c>/<c>false</c>, <c>null</c>,
/// and value concatenation (<c>a = hello big world</c> is one string);</item>
/// <item>substitutions <c>${path}</c> and <c>${?path}</c>, resolved after parsing, falling back to environment variables,
/// so <c>port = 3000</c> followed by <c>port = ${?NODE_PORT}</c> keeps 3000 unless NODE_PORT is set.</item>
/// </list>
/// <c>include</c>, <c>+=</c> and array or object concatenation are not supported and are reported as errors.
/// Getters take dotted paths (quote a segment containing a dot: <c>a."b.c"</c>). A getter without a default
/// throws <see cref="HoconConfigException"/> when the key is missing or null; a getter with a default returns
/// the default then. Both throw when the value is present with the wrong type.
/// </summary>
public sealed class HoconConfig
{
    private readonly HoconObject _root;
    private readonly string _prefix;

    private HoconConfig(HoconObject root, string sourceName, string prefix)
    {
        _root = root;
        SourceName = sourceName;
        _prefix = prefix;
    }

    /// <summary>A configuration without keys: every getter with a default returns its default.</summary>
    public static HoconConfig Empty { get; } = new(new HoconObject(new HoconLocation("empty", 1, 1)), "empty", "");

    /// <summary>The name errors use for the text this configuration came from (a file name for <see cref="Load"/>).</summary>
    public string SourceName { get; }

    /// <summary>The keys of this configuration's root object, in the order they were first written.</summary>
    public IReadOnlyList<string> Keys => [.. _root.Fields.Keys];

    /// <summary>
    /// Parses and resolves <paramref name="text"/>. <paramref name="environment"/> answers substitutions
    /// not found in the configuration (default: the process environment; an empty answer counts as unset).
    /// Throws <see cref="HoconParseException"/> naming <paramref name="sourceName"/>, line and column.
    /// </summary>
    public static HoconConfig Parse(string text, string sourceName = "config", Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(sourceName);
        var document = HoconParser.ParseDocument(text, sourceName);
        var resolved = new HoconResolver(document, environment ?? Environment.GetEnvironmentVariable).ResolveRoot();
        return new HoconConfig(resolved, sourceName, "");
    }

    /// <summary>
    /// Reads the UTF-8 file at <paramref name="path"/> and parses it as <see cref="Parse"/> does; errors name
    /// the file by its file name. A missing file is a <see cref="FileNotFoundException"/>.
    /// </summary>
    public static HoconConfig Load(string path, Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Parse(File.ReadAllText(path), System.IO.Path.GetFileName(path), environment);
    }

    /// <summary>True when <paramref name="path"/> is set to something other than <c>null</c>.</summary>
    public bool HasPath(string path) => Find(path) is { } node && !IsNull(node);

    /// <summary>Where the value at <paramref name="path"/> was written, or null when it is missing.</summary>
    public HoconLocation? GetLocation(string path) => Find(path)?.Location;

    /// <summary>A string; numbers (as written) and booleans are converted.</summary>
    public string GetString(string path) => AsString(path, Require(path));

    /// <inheritdoc cref="GetString(string)"/>
    public string GetString(string path, string defaultValue) => Optional(path) is { } n ? AsString(path, n) : defaultValue;

    /// <summary>A 32-bit integer, from a number or a numeric string (<c>"3000"</c>, as environment variables are).</summary>
    public int GetInt(string path) => AsInt(path, Require(path));

    /// <inheritdoc cref="GetInt(string)"/>
    public int GetInt(string path, int defaultValue) => Optional(path) is { } n ? AsInt(path, n) : defaultValue;

    /// <summary>A 64-bit integer, from a number or a numeric string.</summary>
    public long GetLong(string path) => AsLong(path, Require(path));

    /// <inheritdoc cref="GetLong(string)"/>
    public long GetLong(string path, long defaultValue) => Optional(path) is { } n ? AsLong(path, n) : defaultValue;

    /// <summary>A boolean: <c>true</c>/<c>false</c>, or the strings <c>true yes on false no off</c>.</summary>
    public bool GetBool(string path) => AsBool(path, Require(path));

    /// <inheritdoc cref="GetBool(string)"/>
    public bool GetBool(string path, bool defaultValue) => Optional(path) is { } n ? AsBool(path, n) : defaultValue;

    /// <summary>A finite floating-point number, from a number or a numeric string.</summary>
    public double GetDouble(string path) => AsDouble(path, Require(path));

    /// <inheritdoc cref="GetDouble(string)"/>
    public double GetDouble(string path, double defaultValue) => Optional(path) is { } n ? AsDouble(path, n) : defaultValue;

    /// <summary>
    /// A duration: a number is milliseconds; a string is a number and a lowercase unit
    /// (<c>ns us ms s m h d</c>, or <c>millis</c>, <c>seconds</c>, <c>minute</c>...), e.g. <c>25s</c>, <c>1.5 hours</c>.
    /// </summary>
    public TimeSpan GetDuration(string path) => AsDuration(path, Require(path));

    /// <inheritdoc cref="GetDuration(string)"/>
    public TimeSpan GetDuration(string path, TimeSpan defaultValue) => Optional(path) is { } n ? AsDuration(path, n) : defaultValue;

    /// <summary>
    /// A size in bytes: a number is bytes; a string is a number and a unit as the HOCON spec defines them:
    /// <c>B</c>; <c>kB MB GB TB</c> are powers of 1000; <c>K k Ki KiB</c>, <c>M m Mi MiB</c>, ... are powers of 1024.
    /// </summary>
    public long GetBytes(string path) => AsBytes(path, Require(path));

    /// <inheritdoc cref="GetBytes(string)"/>
    public long GetBytes(string path, long defaultValue) => Optional(path) is { } n ? AsBytes(path, n) : defaultValue;

    /// <summary>An array of strings (numbers and booleans converted); a single string is not a list.</summary>
    public IReadOnlyList<string> GetStringList(string path) => AsStringList(path, Require(path));

    /// <inheritdoc cref="GetStringList(string)"/>
    public IReadOnlyList<string> GetStringList(string path, IReadOnlyList<string> defaultValue) =>
        Optional(path) is { } n ? AsStringList(path, n) : defaultValue;

    /// <summary>The object at <paramref name="path"/> as a configuration of its own; its errors still name full paths.</summary>
    public HoconConfig GetConfig(string path) => AsConfig(path, Require(path));

    /// <inheritdoc cref="GetConfig(string)"/>
    public HoconConfig GetConfig(string path, HoconConfig defaultValue) => Optional(path) is { } n ? AsConfig(path, n) : defaultValue;

    /// <summary>The full dotted path of <paramref name="path"/>, including the path of this sub-configuration.</summary>
    public string FullPath(string path) => _prefix.Length == 0 ? path : $"{_prefix}.{path}";

    private HoconNode? Find(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        IReadOnlyList<string> segments;
        try
        {
            segments = HoconParser.ParsePath(path);
        }
        catch (HoconParseException e)
        {
            throw new ArgumentException($"'{path}' is not a valid configuration path: {e.Reason}", nameof(path));
        }
        HoconNode node = _root;
        foreach (var segment in segments)
        {
            if (node is not HoconObject obj || !obj.Fields.TryGetValue(segment, out var child)) return null;
            node = child;
        }
        return node;
    }

    private HoconNode Require(string path)
    {
        var node = Find(path) ?? throw new HoconConfigException(FullPath(path), null, $"missing: the key is not set in {SourceName}");
        if (IsNull(node)) throw new HoconConfigException(FullPath(path), node.Location, "is null but a value is required");
        return node;
    }

    private HoconNode? Optional(string path) => Find(path) is { } node && !IsNull(node) ? node : null;

    private static bool IsNull(HoconNode node) => node is HoconScalar { Kind: HoconScalarKind.Null };

    private HoconConfigException WrongType(string path, HoconNode node, string expected) =>
        new(FullPath(path), node.Location, $"expected {expected} but found {Describe(node)}");

    private HoconConfigException Invalid(string path, HoconNode node, string reason) => new(FullPath(path), node.Location, reason);

    private static string Describe(HoconNode node) => node switch
    {
        HoconObject => "an object",
        HoconArray => "an array",
        HoconScalar { Kind: HoconScalarKind.String } s => $"the string \"{s.Text}\"",
        HoconScalar { Kind: HoconScalarKind.Number } s => $"the number {s.Text}",
        HoconScalar { Kind: HoconScalarKind.Boolean } s => $"the boolean {s.Text}",
        _ => "null",
    };

    private string AsString(string path, HoconNode node) =>
        node is HoconScalar { Kind: not HoconScalarKind.Null } s ? s.Text : throw WrongType(path, node, "a string");

    private long AsInteger(string path, HoconNode node, long min, long max, string what)
    {
        if (node is not HoconScalar { Kind: HoconScalarKind.Number or HoconScalarKind.String } s
            || !decimal.TryParse(s.Text.Trim(), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent,
                CultureInfo.InvariantCulture, out var value)
            || value != decimal.Truncate(value))
            throw WrongType(path, node, what);
        if (value < min || value > max) throw Invalid(path, node, $"{s.Text} is out of range for {what} ({min} to {max})");
        return (long)value;
    }

    private int AsInt(string path, HoconNode node) => (int)AsInteger(path, node, int.MinValue, int.MaxValue, "a 32-bit integer");

    private long AsLong(string path, HoconNode node) => AsInteger(path, node, long.MinValue, long.MaxValue, "a 64-bit integer");

    private double AsDouble(string path, HoconNode node) =>
        node is HoconScalar { Kind: HoconScalarKind.Number or HoconScalarKind.String } s
        && double.TryParse(s.Text.Trim(), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent,
            CultureInfo.InvariantCulture, out var value)
        && double.IsFinite(value)
            ? value
            : throw WrongType(path, node, "a number");

    private bool AsBool(string path, HoconNode node) => node switch
    {
        HoconScalar { Kind: HoconScalarKind.Boolean or HoconScalarKind.String, Text: "true" or "yes" or "on" } => true,
        HoconScalar { Kind: HoconScalarKind.Boolean or HoconScalarKind.String, Text: "false" or "no" or "off" } => false,
        _ => throw WrongType(path, node, "a boolean (true, false, yes, no, on, off)"),
    };

    private TimeSpan AsDuration(string path, HoconNode node)
    {
        if (node is not HoconScalar { Kind: HoconScalarKind.Number or HoconScalarKind.String } s)
            throw WrongType(path, node, "a duration such as 10s or 500ms");
        return HoconUnits.TryParseDuration(s.Text, s.Kind == HoconScalarKind.Number, out var value, out var unit) switch
        {
            HoconUnits.Outcome.Ok => value,
            HoconUnits.Outcome.UnknownUnit => throw Invalid(path, node, $"unknown duration unit '{unit}' in \"{s.Text}\"; use {HoconUnits.DurationUnitsHint}"),
            HoconUnits.Outcome.OutOfRange => throw Invalid(path, node, $"the duration \"{s.Text}\" is out of range"),
            _ => throw WrongType(path, node, "a duration such as 10s or 500ms"),
        };
    }

    private long AsBytes(string path, HoconNode node)
    {
        if (node is not HoconScalar { Kind: HoconScalarKind.Number or HoconScalarKind.String } s)
            throw WrongType(path, node, "a size in bytes such as 512K or 1MB");
        return HoconUnits.TryParseBytes(s.Text, s.Kind == HoconScalarKind.Number, out var value, out var unit) switch
        {
            HoconUnits.Outcome.Ok => value,
            HoconUnits.Outcome.UnknownUnit => throw Invalid(path, node, $"unknown size unit '{unit}' in \"{s.Text}\"; use {HoconUnits.SizeUnitsHint}"),
            HoconUnits.Outcome.OutOfRange => throw Invalid(path, node, $"the size \"{s.Text}\" is out of range"),
            HoconUnits.Outcome.NotWhole => throw Invalid(path, node, $"the size \"{s.Text}\" is not a whole number of bytes"),
            _ => throw WrongType(path, node, "a size in bytes such as 512K or 1MB"),
        };
    }

    private IReadOnlyList<string> AsStringList(string path, HoconNode node)
    {
        if (node is not HoconArray array) throw WrongType(path, node, "an array of strings");
        var list = new string[array.Items.Count];
        for (var i = 0; i < list.Length; i++)
        {
            var item = array.Items[i];
            list[i] = item is HoconScalar { Kind: not HoconScalarKind.Null } s
                ? s.Text
                : throw new HoconConfigException($"{FullPath(path)}[{i}]", item.Location, $"expected a string but found {Describe(item)}");
        }
        return list;
    }

    private HoconConfig AsConfig(string path, HoconNode node) =>
        node is HoconObject obj ? new HoconConfig(obj, SourceName, FullPath(path)) : throw WrongType(path, node, "an object");
}
