using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Newtonsoft.Json.Linq;

namespace SocketIo.Actors.Protocol.Internal;

/// <summary>
/// Reads one JSON value from UTF-8 into a JToken tree with <c>JSON.parse</c> semantics:
/// strict RFC 8259 grammar (no comments, trailing commas, single quotes, NaN, octal or hex that
/// Newtonsoft's reader would let through), no date parsing (strings stay strings), numbers as
/// <c>long</c> when integral and in range, otherwise <c>double</c> (as JS), duplicate keys keep
/// the last value, escaped lone surrogates accepted. Nesting is checked while reading, without
/// recursion (the open container's parent is the way back up), so hostile input cannot exhaust the call stack.
/// Short property names and event names (the first string of a root array) repeat from packet to packet,
/// so they come from a small per-thread cache instead of a new string each time.
/// </summary>
internal static class JsonPayloadReader
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static ProtocolError? TryRead(ReadOnlySpan<byte> json, int maxDepth, out JToken? result)
    {
        result = null;
        var reader = new Utf8JsonReader(json, new JsonReaderOptions
        {
            // Our own check below reports the depth error; the tokenizer's limit only has to be higher.
            MaxDepth = maxDepth + 1,
            CommentHandling = JsonCommentHandling.Disallow,
            AllowTrailingCommas = false,
        });

        JContainer? current = null;
        var depth = 0;
        string? propertyName = null;
        JToken? root = null;
        try
        {
            while (reader.Read())
            {
                JToken token;
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                    case JsonTokenType.StartArray:
                        if (depth >= maxDepth)
                        {
                            return ProtocolError.NestingTooDeep;
                        }

                        JContainer container = reader.TokenType == JsonTokenType.StartObject ? new JObject() : new JArray();
                        Attach(current, propertyName, container, ref root);
                        current = container;
                        depth++;
                        continue;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        // A value inside an object hangs from its JProperty, whose parent is the object.
                        var parent = current!.Parent;
                        current = parent is JProperty property ? property.Parent : parent;
                        depth--;
                        continue;
                    case JsonTokenType.PropertyName:
                        propertyName = ReadString(ref reader, cache: true);
                        continue;
                    case JsonTokenType.String:
                        // The event name: the first element of a root array.
                        token = new JValue(ReadString(ref reader, cache: depth == 1 && current is JArray { Count: 0 }));
                        break;
                    case JsonTokenType.Number:
                        token = ReadNumber(ref reader);
                        break;
                    case JsonTokenType.True:
                        token = new JValue(true);
                        break;
                    case JsonTokenType.False:
                        token = new JValue(false);
                        break;
                    case JsonTokenType.Null:
                        token = JValue.CreateNull();
                        break;
                    default:
                        return ProtocolError.InvalidJson;
                }

                Attach(current, propertyName, token, ref root);
            }
        }
        catch (JsonException)
        {
            return ProtocolError.InvalidJson;
        }
        catch (DecoderFallbackException)
        {
            return ProtocolError.InvalidUtf8;
        }

        if (root is null || depth != 0)
        {
            return ProtocolError.InvalidJson;
        }

        result = root;
        return null;
    }

    private static void Attach(JContainer? current, string? propertyName, JToken token, ref JToken? root)
    {
        if (current is null)
        {
            root = token;
        }
        else if (current is JObject obj)
        {
            // Indexer, not Add: a duplicate key replaces the value in place, as JSON.parse does.
            obj[propertyName!] = token;
        }
        else
        {
            ((JArray)current).Add(token);
        }
    }

    private static JValue ReadNumber(ref Utf8JsonReader reader)
    {
        if (reader.TryGetInt64(out var integer))
        {
            return new JValue(integer);
        }

        // Fractions, exponents and integers beyond long: a double, like JS (1e400 is Infinity there too).
        double.TryParse(reader.ValueSpan, NumberStyles.Float, CultureInfo.InvariantCulture, out var value);
        return new JValue(value);
    }

    private static string ReadString(ref Utf8JsonReader reader, bool cache = false)
    {
        var raw = reader.ValueSpan;
        if (!reader.ValueIsEscaped)
        {
            if (raw.IsEmpty)
            {
                return string.Empty;
            }

            return cache && raw.Length <= ShortStringCache.MaxLength ? ShortStringCache.Get(raw) : StrictUtf8.GetString(raw);
        }

        return Unescape(raw);
    }

    /// <summary>
    /// Recently decoded short strings of this thread, direct-mapped by a hash of their UTF-8 bytes: a hit
    /// returns the same (immutable) string, a miss decodes and replaces the slot. Bounded by construction.
    /// </summary>
    private static class ShortStringCache
    {
        public const int MaxLength = 32;
        private const int Slots = 64;

        [ThreadStatic]
        private static Entry[]? t_entries;

        public static string Get(ReadOnlySpan<byte> utf8)
        {
            var entries = t_entries ??= new Entry[Slots];
            uint hash = 2166136261;
            foreach (var b in utf8)
            {
                hash = (hash ^ b) * 16777619;
            }

            ref var entry = ref entries[hash % Slots];
            if (entry.Utf8 is { } known && utf8.SequenceEqual(known))
            {
                return entry.Text!;
            }

            // Decoded (and validated) before the slot is touched, so invalid UTF-8 still throws here.
            var text = StrictUtf8.GetString(utf8);
            entry = new Entry(utf8.ToArray(), text);
            return text;
        }

        private readonly record struct Entry(byte[]? Utf8, string? Text);
    }

    /// <summary>
    /// Unescapes a string the tokenizer already validated. Done by hand because the BCL rejects
    /// escaped lone surrogates (<c>"\ud800"</c>), which JSON.parse accepts and JSON.stringify emits.
    /// </summary>
    private static string Unescape(ReadOnlySpan<byte> raw)
    {
        var rented = ArrayPool<char>.Shared.Rent(raw.Length);
        try
        {
            var chars = rented.AsSpan();
            var written = 0;
            while (!raw.IsEmpty)
            {
                var backslash = raw.IndexOf((byte)'\\');
                var plain = backslash < 0 ? raw : raw[..backslash];
                if (!plain.IsEmpty)
                {
                    if (Utf8.ToUtf16(plain, chars[written..], out _, out var count, replaceInvalidSequences: false) != OperationStatus.Done)
                    {
                        throw new DecoderFallbackException("invalid utf-8");
                    }

                    written += count;
                }

                if (backslash < 0)
                {
                    break;
                }

                var escape = raw[backslash + 1];
                if (escape == (byte)'u')
                {
                    chars[written++] = (char)int.Parse(
                        Encoding.ASCII.GetString(raw.Slice(backslash + 2, 4)),
                        NumberStyles.AllowHexSpecifier,
                        CultureInfo.InvariantCulture);
                    raw = raw[(backslash + 6)..];
                    continue;
                }

                chars[written++] = escape switch
                {
                    (byte)'b' => '\b',
                    (byte)'f' => '\f',
                    (byte)'n' => '\n',
                    (byte)'r' => '\r',
                    (byte)'t' => '\t',
                    _ => (char)escape, // '"', '\\', '/'
                };
                raw = raw[(backslash + 2)..];
            }

            return new string(chars[..written]);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(rented);
        }
    }
}
