namespace SocketIo.Node.Configuration;

/// <summary>Base of every error raised while reading or querying a configuration; catch this to report any of them.</summary>
public abstract class HoconException(string message) : Exception(message);

/// <summary>
/// The text is not valid HOCON (of the subset we read), or a substitution cannot be resolved.
/// The message starts with <c>source:line:column:</c> (1-based) and says what was expected and what
/// was found, e.g. <c>cluster.hocon:12:7: expected '}' but found end of input</c>.
/// </summary>
public sealed class HoconParseException(HoconLocation location, string reason)
    : HoconException($"{location.SourceName}:{location.Line}:{location.Column}: {reason}")
{
    /// <summary>Where the problem is.</summary>
    public HoconLocation Location { get; } = location;

    /// <summary>The message without the location prefix.</summary>
    public string Reason { get; } = reason;
}

/// <summary>
/// A well-formed configuration holds a value the application cannot use: a key is missing, has the
/// wrong type, a bad unit or an out-of-range value. The message names the full dotted path and, when
/// the value exists, where it was written: <c>cluster.hocon:5:12: socketio-actors.http.port: ...</c>.
/// </summary>
public sealed class HoconConfigException(string path, HoconLocation? location, string reason)
    : HoconException(location is { } l ? $"{l}: {path}: {reason}" : $"{path}: {reason}")
{
    /// <summary>The full dotted path of the offending key.</summary>
    public string Path { get; } = path;

    /// <summary>Where the offending value was written; null when the key is missing.</summary>
    public HoconLocation? Location { get; } = location;

    /// <summary>The message without the location and path prefix.</summary>
    public string Reason { get; } = reason;
}
