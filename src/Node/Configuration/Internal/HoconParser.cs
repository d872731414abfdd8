using System.Text;

namespace SocketIo.Node.Configuration.Internal;

/// <summary>
/// Recursive-descent parser of the HOCON subset described in <see cref="HoconConfig"/>. It builds the
/// unresolved tree: duplicate keys are already merged, substitutions are left in place for
/// <see cref="HoconResolver"/>. Every error is a <see cref="HoconParseException"/> at the offending
/// character.
/// </summary>
internal sealed class HoconParser
{
    // Objects and arrays nested deeper than this are refused rather than risking the stack.
    private const int MaxDepth = 256;

    private readonly string _text;
    private readonly string _source;
    private readonly List<int> _lineStarts = [0];
    private int _pos;
    private int _depth;

    private HoconParser(string text, string source)
    {
        _text = text;
        _source = source;
        for (var i = 0; i < text.Length; i++)
            if (text[i] == '\n') _lineStarts.Add(i + 1);
    }

    /// <summary>Parses a whole document into its root object (braces around the root are optional).</summary>
    public static HoconObject ParseDocument(string text, string source)
    {
        var parser = new HoconParser(text, source);
        if (text.Length > 0 && text[0] == '\uFEFF') parser._pos = 1;
        return parser.ParseRoot();
    }

    /// <summary>
    /// Parses a path expression such as <c>a.b."c.d"</c> as used by the getters. Throws
    /// <see cref="HoconParseException"/> (source <c>path</c>) when it is not a valid path.
    /// </summary>
    public static IReadOnlyList<string> ParsePath(string path)
    {
        var parser = new HoconParser(path, "path");
        parser.SkipInline();
        var segments = parser.ParsePathExpression("a path");
        parser.SkipInline();
        if (!parser.AtEnd) throw parser.Error(parser._pos, $"unexpected {parser.Describe(parser._pos)} in the path '{path}'");
        return segments;
    }

    /// <summary>Characters an unquoted string may contain (the "//" comment start is checked separately).</summary>
    public static bool IsUnquotedChar(char c) =>
        !IsWhitespace(c) && c != '\n' && c is not ('$' or '"' or '{' or '}' or '[' or ']' or ':' or '=' or ',' or '+'
            or '#' or '`' or '^' or '?' or '!' or '@' or '*' or '&' or '\\');

    /// <summary>HOCON whitespace except the newline, which separates fields and so is never skipped silently.</summary>
    public static bool IsWhitespace(char c) =>
        c != '\n' && (char.IsWhiteSpace(c) || c == '\uFEFF' || c is >= '\u001C' and <= '\u001F');

    private bool AtEnd => _pos >= _text.Length;

    private char Current => _text[_pos];

    private bool At(char c, int offset = 0) => _pos + offset < _text.Length && _text[_pos + offset] == c;

    private bool AtCommentStart => At('#') || (At('/') && At('/', 1));

    private HoconLocation Loc(int pos)
    {
        var line = _lineStarts.BinarySearch(pos);
        if (line < 0) line = ~line - 1;
        return new HoconLocation(_source, line + 1, pos - _lineStarts[line] + 1);
    }

    private HoconParseException Error(int pos, string reason) => new(Loc(pos), reason);

    private string Describe(int pos) => pos >= _text.Length
        ? "end of input"
        : _text[pos] switch
        {
            '\n' => "end of line",
            '\'' => "\"'\"",
            var c when char.IsControl(c) => $"control character U+{(int)c:X4}",
            var c => $"'{c}'",
        };

    private string Position(int pos)
    {
        var loc = Loc(pos);
        return $"{loc.Line}:{loc.Column}";
    }

    private HoconObject ParseRoot()
    {
        SkipAll();
        if (!AtEnd && Current == '[')
            throw Error(_pos, "the root of a configuration must be an object, not an array");
        if (!AtEnd && Current == '{')
        {
            var open = _pos++;
            var root = ParseObjectBody(braced: true, open, prefix: []);
            SkipAll();
            if (!AtEnd) throw Error(_pos, $"expected end of input after the root object but found {Describe(_pos)}");
            return root;
        }
        return ParseObjectBody(braced: false, _pos, prefix: []);
    }

    /// <summary>Parses fields up to the closing brace (consumed) or, for the unbraced root, the end of input.</summary>
    private HoconObject ParseObjectBody(bool braced, int openPos, IReadOnlyList<string>? prefix)
    {
        EnterNesting(openPos);
        var obj = new HoconObject(Loc(openPos));
        while (true)
        {
            SkipAll();
            if (AtEnd)
            {
                if (braced)
                    throw Error(_pos, $"expected '}}' but found end of input (the object opened at {Position(openPos)} is not closed)");
                break;
            }
            if (Current == '}')
            {
                if (!braced) throw Error(_pos, "unexpected '}' without a matching '{'");
                _pos++;
                break;
            }
            if (Current == ',') throw Error(_pos, "unexpected ',' where a key was expected");

            var key = ParseField(obj, prefix);

            SkipInlineAndComment();
            if (AtEnd || Current is '\n' or '}') continue;
            if (Current == ',')
            {
                _pos++;
                SkipAll();
                if (!AtEnd && Current == ',') throw Error(_pos, "unexpected ',' (two commas in a row)");
                continue;
            }
            throw Error(_pos, $"expected ',' or a newline after the value of '{key}' but found {Describe(_pos)}");
        }
        _depth--;
        return obj;
    }

    /// <summary>Parses one <c>key = value</c> (or <c>key { ... }</c>) and merges it into <paramref name="obj"/>; returns the key as written.</summary>
    private string ParseField(HoconObject obj, IReadOnlyList<string>? prefix)
    {
        var keyPos = _pos;
        RejectInclude();
        var path = ParsePathExpression("a key");
        var keyText = HoconPath.Render(path);
        var fullPath = prefix is null ? null : (IReadOnlyList<string>)[.. prefix, .. path];
        SkipInline();

        HoconNode value;
        if (!AtEnd && Current == '{')
        {
            var open = _pos++;
            value = ParseObjectBody(braced: true, open, fullPath);
        }
        else if (!AtEnd && Current is ':' or '=')
        {
            _pos++;
            value = ParseValue(fullPath, $"for the key '{keyText}'");
        }
        else if (At('+') && At('=', 1))
        {
            throw Error(_pos, $"'+=' is not supported (key '{keyText}'); write the whole array instead");
        }
        else
        {
            throw Error(_pos, $"expected ':', '=' or '{{' after the key '{keyText}' but found {Describe(_pos)}");
        }

        // `a.b.c = v` is `a { b { c = v } }`, merged into the enclosing object like any duplicate key.
        var location = Loc(keyPos);
        for (var i = path.Count - 1; i >= 1; i--)
        {
            var wrapper = new HoconObject(location);
            var innerPath = prefix is null ? null : (IReadOnlyList<string>)[.. prefix, .. path.Take(i + 1)];
            wrapper.Fields[path[i]] = HoconPath.Overlay(null, value, innerPath);
            value = wrapper;
        }
        var firstPath = prefix is null ? null : HoconPath.Append(prefix, path[0]);
        obj.Fields[path[0]] = HoconPath.Overlay(obj.Fields.GetValueOrDefault(path[0]), value, firstPath);
        return keyText;
    }

    private void RejectInclude()
    {
        const string word = "include";
        if (string.CompareOrdinal(_text, _pos, word, 0, word.Length) != 0) return;
        var next = _pos + word.Length;
        // `include-timeout = 1` or `include.x = 1` are ordinary keys; only the bare word starts an include.
        if (next < _text.Length && (IsUnquotedChar(_text[next]) || _text[next] == '.')) return;
        throw Error(_pos, "'include' is not supported; copy the settings into this file (quote the key as \"include\" to use it as a key)");
    }

    /// <summary>
    /// A path expression: unquoted text split at dots, quoted strings taken literally, whitespace
    /// between parts kept. Stops at the first character that cannot belong to a key.
    /// </summary>
    private List<string> ParsePathExpression(string what)
    {
        var start = _pos;
        var segments = new List<string>();
        var current = new StringBuilder();
        var hasContent = false;
        var pendingSpace = -1;

        while (!AtEnd)
        {
            var c = Current;
            if (IsWhitespace(c))
            {
                if (pendingSpace < 0) pendingSpace = _pos;
                _pos++;
                continue;
            }
            if (c == '"' || c == '.' || (IsUnquotedChar(c) && !(c == '/' && At('/', 1))))
            {
                if (pendingSpace >= 0)
                {
                    current.Append(_text, pendingSpace, _pos - pendingSpace);
                    pendingSpace = -1;
                }
                if (c == '"')
                {
                    current.Append(ParseQuoted());
                    hasContent = true;
                }
                else if (c == '.')
                {
                    if (!hasContent) throw Error(_pos, $"empty element in {what} (quote it as \"\" if it is meant to be empty)");
                    segments.Add(current.ToString());
                    current.Clear();
                    hasContent = false;
                    _pos++;
                }
                else
                {
                    current.Append(c);
                    hasContent = true;
                    _pos++;
                }
                continue;
            }
            break;
        }
        // Whitespace after the last part is not part of the key.
        if (pendingSpace >= 0) _pos = pendingSpace;
        if (!hasContent)
        {
            if (segments.Count == 0) throw Error(start, $"expected {what} but found {Describe(start)}");
            throw Error(_pos, $"{what} may not end with '.'");
        }
        segments.Add(current.ToString());
        return segments;
    }

    /// <summary>Parses the value after a separator: an object, an array, or a concatenation of simple values on one line.</summary>
    private HoconNode ParseValue(IReadOnlyList<string>? path, string context)
    {
        SkipInline();
        var start = _pos;
        if (AtEnd || Current is '\n' or ',' or '}' or ']' || AtCommentStart)
            throw Error(_pos, $"expected a value {context} but found {Describe(_pos)}");
        if (Current == '{')
        {
            _pos++;
            return ParseObjectBody(braced: true, start, path);
        }
        if (Current == '[') return ParseArray();

        var parts = new List<HoconNode>();
        while (!AtEnd)
        {
            if (IsWhitespace(Current))
            {
                var wsStart = _pos;
                SkipInline();
                if (!StartsSimpleValue())
                {
                    if (!AtEnd && Current is '{' or '[')
                        throw Error(_pos, $"an object or array cannot be concatenated with other values ({context})");
                    break;
                }
                parts.Add(new HoconScalar(Loc(wsStart), HoconScalarKind.String, _text[wsStart.._pos]));
                continue;
            }
            if (!StartsSimpleValue())
            {
                if (parts.Count > 0 && !AtEnd && Current is '{' or '[')
                    throw Error(_pos, $"an object or array cannot be concatenated with other values ({context})");
                break;
            }
            parts.Add(ParseSimpleValue());
        }

        if (parts.Count == 0) throw Error(start, $"expected a value {context} but found {Describe(start)}");
        if (parts.Count == 1) return parts[0];
        if (parts.Any(p => p is HoconSubstitution)) return new HoconConcatenation(Loc(start), parts);
        // Without substitutions the concatenation is known now: `10 s` and `10s` are both plain strings.
        return new HoconScalar(Loc(start), HoconScalarKind.String, string.Concat(parts.Select(p => ((HoconScalar)p).Text)));
    }

    private bool StartsSimpleValue()
    {
        if (AtEnd) return false;
        var c = Current;
        if (c == '"') return true;
        if (c == '$') return At('{', 1);
        if (c == '/' && At('/', 1)) return false;
        return IsUnquotedChar(c);
    }

    private HoconNode ParseSimpleValue()
    {
        var start = _pos;
        var c = Current;
        if (c == '"')
        {
            var text = At('"', 1) && At('"', 2) ? ParseTripleQuoted() : ParseQuoted();
            return new HoconScalar(Loc(start), HoconScalarKind.String, text);
        }
        if (c == '$') return ParseSubstitution();
        if (c == '-' || char.IsAsciiDigit(c)) return ParseNumber();

        while (!AtEnd && IsUnquotedChar(Current) && !(Current == '/' && At('/', 1))) _pos++;
        var word = _text[start.._pos];
        var kind = word switch
        {
            "true" or "false" => HoconScalarKind.Boolean,
            "null" => HoconScalarKind.Null,
            _ => HoconScalarKind.String,
        };
        return new HoconScalar(Loc(start), kind, word);
    }

    /// <summary>A JSON number; what follows without a space (the <c>s</c> of <c>10s</c>) is parsed as the next part.</summary>
    private HoconScalar ParseNumber()
    {
        var start = _pos;
        if (Current == '-')
        {
            _pos++;
            if (AtEnd || !char.IsAsciiDigit(Current))
                throw Error(start, $"expected a digit after '-' but found {Describe(_pos)} (quote the value if it is a string)");
        }
        while (!AtEnd && char.IsAsciiDigit(Current)) _pos++;
        if (At('.') && _pos + 1 < _text.Length && char.IsAsciiDigit(_text[_pos + 1]))
        {
            _pos++;
            while (!AtEnd && char.IsAsciiDigit(Current)) _pos++;
        }
        if (!AtEnd && Current is 'e' or 'E')
        {
            var exponent = _pos + 1;
            if (exponent < _text.Length && _text[exponent] is '+' or '-') exponent++;
            if (exponent < _text.Length && char.IsAsciiDigit(_text[exponent]))
            {
                _pos = exponent;
                while (!AtEnd && char.IsAsciiDigit(Current)) _pos++;
            }
        }
        return new HoconScalar(Loc(start), HoconScalarKind.Number, _text[start.._pos]);
    }

    /// <summary>A JSON string: the escapes <c>\" \\ \/ \b \f \n \r \t \uXXXX</c>; no raw control characters.</summary>
    private string ParseQuoted()
    {
        var open = _pos++;
        var sb = new StringBuilder();
        while (true)
        {
            if (AtEnd || Current == '\n' || (Current == '\r' && At('\n', 1)))
                throw Error(_pos, $"expected '\"' to close the string opened at {Position(open)} but found {(AtEnd ? "end of input" : "end of line")}");
            var c = Current;
            if (c == '"')
            {
                _pos++;
                return sb.ToString();
            }
            if (c == '\\')
            {
                var escape = _pos;
                _pos++;
                if (AtEnd) throw Error(escape, "expected an escape sequence after '\\' but found end of input");
                var e = Current;
                _pos++;
                switch (e)
                {
                    case '"': sb.Append('"'); break;
                    case '\\': sb.Append('\\'); break;
                    case '/': sb.Append('/'); break;
                    case 'b': sb.Append('\b'); break;
                    case 'f': sb.Append('\f'); break;
                    case 'n': sb.Append('\n'); break;
                    case 'r': sb.Append('\r'); break;
                    case 't': sb.Append('\t'); break;
                    case 'u':
                        if (_pos + 4 > _text.Length || !ushort.TryParse(_text.AsSpan(_pos, 4), System.Globalization.NumberStyles.AllowHexSpecifier, null, out var code))
                            throw Error(escape, "invalid escape sequence: '\\u' must be followed by four hex digits");
                        sb.Append((char)code);
                        _pos += 4;
                        break;
                    default:
                        throw Error(escape, $"invalid escape sequence '\\{(e == '\n' ? "\\n" : e.ToString())}' (valid: \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)");
                }
                continue;
            }
            if (char.IsControl(c) && c != '\u007F')
                throw Error(_pos, $"control character U+{(int)c:X4} in a quoted string; write it as an escape");
            sb.Append(c);
            _pos++;
        }
    }

    /// <summary><c>"""raw text"""</c>: no escapes, may span lines; extra quotes before the closing three belong to the text.</summary>
    private string ParseTripleQuoted()
    {
        var open = _pos;
        var contentStart = _pos + 3;
        var close = _text.IndexOf("\"\"\"", contentStart, StringComparison.Ordinal);
        if (close < 0)
        {
            _pos = _text.Length;
            throw Error(_pos, $"expected '\"\"\"' to close the string opened at {Position(open)} but found end of input");
        }
        while (close + 3 < _text.Length && _text[close + 3] == '"') close++;
        _pos = close + 3;
        return _text[contentStart..close];
    }

    private HoconSubstitution ParseSubstitution()
    {
        var start = _pos;
        _pos += 2;
        var optional = At('?');
        if (optional) _pos++;
        SkipInline();
        var path = ParsePathExpression("a path in the substitution");
        SkipInline();
        if (AtEnd || Current != '}')
            throw Error(_pos, $"expected '}}' to close the substitution opened at {Position(start)} but found {Describe(_pos)}");
        _pos++;
        return new HoconSubstitution(Loc(start), path, optional);
    }

    private HoconArray ParseArray()
    {
        var open = _pos++;
        EnterNesting(open);
        var array = new HoconArray(Loc(open));
        while (true)
        {
            SkipAll();
            if (AtEnd) throw Error(_pos, $"expected ']' but found end of input (the array opened at {Position(open)} is not closed)");
            if (Current == ']')
            {
                _pos++;
                break;
            }
            if (Current == ',') throw Error(_pos, "unexpected ',' where an array element was expected");
            array.Items.Add(ParseValue(null, "in the array"));
            SkipInlineAndComment();
            if (AtEnd || Current is '\n' or ']') continue;
            if (Current == ',')
            {
                _pos++;
                SkipAll();
                if (!AtEnd && Current == ',') throw Error(_pos, "unexpected ',' (two commas in a row)");
                continue;
            }
            throw Error(_pos, $"expected ',' or ']' in the array opened at {Position(open)} but found {Describe(_pos)}");
        }
        _depth--;
        return array;
    }

    private void EnterNesting(int pos)
    {
        if (++_depth > MaxDepth) throw Error(pos, $"objects and arrays are nested more than {MaxDepth} deep");
    }

    private void SkipInline()
    {
        while (!AtEnd && IsWhitespace(Current)) _pos++;
    }

    private void SkipInlineAndComment()
    {
        SkipInline();
        if (AtCommentStart)
            while (!AtEnd && Current != '\n') _pos++;
    }

    /// <summary>Skips whitespace, newlines and comments.</summary>
    private void SkipAll()
    {
        while (true)
        {
            SkipInlineAndComment();
            if (AtEnd || Current != '\n') return;
            _pos++;
        }
    }
}
