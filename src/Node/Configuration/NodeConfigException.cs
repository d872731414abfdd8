namespace SocketIo.Node.Configuration;

/// <summary>
/// The configuration cannot be used: the file is not HOCON Akka's parser reads, or a key under <c>socketio</c> is
/// unknown, has the wrong type or unit, or is out of range. The message names the file, the full key when there
/// is one, the override it came from when an environment override set it, and the line and column when Akka's
/// parser reported a position:
/// <c>cluster.hocon: socketio.http.port (from SOCKETIO__HTTP__PORT): expected an integer but found "http"</c>,
/// <c>cluster.hocon:3:9: malformed HOCON: unexpected '@'</c>.
/// </summary>
public sealed class NodeConfigException : Exception
{
    public NodeConfigException(string file, string? key, string reason, string? overrideName = null, int? line = null, int? column = null)
        : base(Format(file, key, reason, overrideName, line, column))
    {
        File = file;
        Key = key;
        Reason = reason;
        Override = overrideName;
        Line = line;
        Column = column;
    }

    /// <summary>The file (as the path was given) or the source name the configuration was parsed under.</summary>
    public string File { get; }

    /// <summary>The full dotted key, such as <c>socketio.http.port</c>; null for an error of the file as a whole.</summary>
    public string? Key { get; }

    /// <summary>The message without the file, key and override.</summary>
    public string Reason { get; }

    /// <summary>The environment override that set the value, as <c>SOCKETIO__HTTP__PORT</c>; null when the value is the file's.</summary>
    public string? Override { get; }

    /// <summary>1-based line of the error, when Akka's parser reported a position; values carry none.</summary>
    public int? Line { get; }

    /// <summary>1-based column of the error, with <see cref="Line"/>.</summary>
    public int? Column { get; }

    private static string Format(string file, string? key, string reason, string? overrideName, int? line, int? column)
    {
        var where = line is { } l ? $"{file}:{l}:{column ?? 1}" : file;
        var what = key is null ? "" : overrideName is null ? $" {key}:" : $" {key} (from {overrideName}):";
        return $"{where}:{what} {reason}";
    }
}
