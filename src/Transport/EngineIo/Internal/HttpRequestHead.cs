using System.Buffers;
using System.Text;

namespace SocketIo.Transport.EngineIo.Internal;

/// <summary>
/// The head of one HTTP/1.1 request (request line and header fields) as read straight off a connection by
/// <see cref="DirectWebSocketMiddleware"/>. Only the strict, common form is accepted: a head that is not
/// plain printable ASCII, uses obsolete line folding or carries a body is <see cref="HeadParseResult.Unsupported"/>,
/// and the connection is then left to Kestrel's HTTP parser, which answers it as it would any request.
/// </summary>
internal sealed class HttpRequestHead
{
    public required string Method { get; init; }

    /// <summary>The path part of the request target (no percent-decoding is needed: a target with '%' is unsupported).</summary>
    public required string Path { get; init; }

    /// <summary>The query part including its leading '?', or empty.</summary>
    public required string QueryString { get; init; }

    public required List<KeyValuePair<string, string>> Headers { get; init; }

    /// <summary>The value of the first header named <paramref name="name"/> (case-insensitive), or null.</summary>
    public string? Header(string name)
    {
        foreach (var (key, value) in Headers)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        return null;
    }
}

internal enum HeadParseResult
{
    /// <summary>More bytes are needed; nothing was consumed.</summary>
    Incomplete,

    /// <summary>The head was parsed and sliced off the buffer.</summary>
    Complete,

    /// <summary>Not a head this parser takes (see <see cref="HttpRequestHead"/>); nothing was consumed.</summary>
    Unsupported,
}

/// <summary>Pure parser of <see cref="HttpRequestHead"/>: no I/O, no ASP.NET types.</summary>
internal static class HttpRequestHeadParser
{
    private static ReadOnlySpan<byte> HeadEnd => "\r\n\r\n"u8;

    /// <summary>
    /// Parses a complete request head at the start of <paramref name="buffer"/>, at most
    /// <paramref name="maxHeadBytes"/> long. On <see cref="HeadParseResult.Complete"/> the head (with its blank
    /// line) is sliced off <paramref name="buffer"/>; otherwise the buffer is unchanged.
    /// </summary>
    public static HeadParseResult TryParse(ref ReadOnlySequence<byte> buffer, int maxHeadBytes, out HttpRequestHead? head)
    {
        head = null;
        var reader = new SequenceReader<byte>(buffer);
        if (!reader.TryReadTo(out ReadOnlySequence<byte> headBytes, HeadEnd, advancePastDelimiter: true))
        {
            return buffer.Length > maxHeadBytes ? HeadParseResult.Unsupported : HeadParseResult.Incomplete;
        }

        if (headBytes.Length + HeadEnd.Length > maxHeadBytes)
        {
            return HeadParseResult.Unsupported;
        }

        var text = headBytes.IsSingleSegment ? headBytes.FirstSpan : headBytes.ToArray();
        foreach (var b in text)
        {
            // Printable ASCII, tab, CR and LF only: anything else is for Kestrel to judge.
            if (b is > 0x7E || (b < 0x20 && b is not ((byte)'\t' or (byte)'\r' or (byte)'\n')))
            {
                return HeadParseResult.Unsupported;
            }
        }

        var lines = Encoding.ASCII.GetString(text).Split("\r\n");
        if (!TryParseRequestLine(lines[0], out var method, out var path, out var query))
        {
            return HeadParseResult.Unsupported;
        }

        var headers = new List<KeyValuePair<string, string>>(lines.Length - 1);
        for (var i = 1; i < lines.Length; i++)
        {
            var line = lines[i];
            var colon = line.IndexOf(':');
            // Obsolete line folding (a line starting with white space), bare LFs and empty names are unsupported.
            if (colon <= 0 || line.Contains('\n') || !IsToken(line.AsSpan(0, colon)))
            {
                return HeadParseResult.Unsupported;
            }

            headers.Add(new(line[..colon], line[(colon + 1)..].Trim(' ', '\t')));
        }

        head = new HttpRequestHead { Method = method, Path = path, QueryString = query, Headers = headers };
        // A request with a body is never a WebSocket handshake this middleware takes.
        if (head.Header("Transfer-Encoding") is not null || head.Header("Content-Length") is { } length && length != "0")
        {
            head = null;
            return HeadParseResult.Unsupported;
        }

        buffer = buffer.Slice(reader.Position);
        return HeadParseResult.Complete;
    }

    /// <summary>Reads the method and target of the request line when it can only be <c>GET origin-form HTTP/1.1</c>.</summary>
    public static bool TryParseRequestLine(string line, out string method, out string path, out string query)
    {
        method = path = query = "";
        var firstSpace = line.IndexOf(' ');
        var lastSpace = line.LastIndexOf(' ');
        if (firstSpace <= 0 || lastSpace <= firstSpace + 1 || line.AsSpan(lastSpace + 1) is not "HTTP/1.1")
        {
            return false;
        }

        method = line[..firstSpace];
        var target = line.AsSpan(firstSpace + 1, lastSpace - firstSpace - 1);
        if (target.IsEmpty || target[0] != '/' || target.ContainsAny(" %#") || !IsToken(method))
        {
            return false;
        }

        var questionMark = target.IndexOf('?');
        path = (questionMark < 0 ? target : target[..questionMark]).ToString();
        query = questionMark < 0 ? "" : target[questionMark..].ToString();
        return true;
    }

    private static bool IsToken(ReadOnlySpan<char> value)
    {
        foreach (var c in value)
        {
            if (c <= ' ' || c >= 0x7F || "\"(),/:;<=>?@[\\]{}".Contains(c))
            {
                return false;
            }
        }

        return !value.IsEmpty;
    }
}
