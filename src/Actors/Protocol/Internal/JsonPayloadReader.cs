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
/// the last value, escaped lone surrogates accepted. Nesting is checked while reading, with an
/// explicit stack, so hostile input cannot exhaust the call stack.
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

        var stack = new List<JContainer>(8);
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
                        if (stack.Count >= maxDepth)
                        {
                            return ProtocolError.NestingTooDeep;
                        }

                        JContainer container = reader.TokenType == JsonTokenType.StartObject ? new JObject() : new JArray();
                        Attach(stack, propertyName, container, ref root);
                        stack.Add(container);
                        continue;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        stack.RemoveAt(stack.Count - 1);
                        continue;
                    case JsonTokenType.PropertyName:
                        propertyName = ReadString(ref reader);
                        continue;
                    case JsonTokenType.String:
                        token = new JValue(ReadString(ref reader));
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

                Attach(stack, propertyName, token, ref root);
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

        if (root is null || stack.Count != 0)
        {
            return ProtocolError.InvalidJson;
        }

        result = root;
        return null;
    }

    private static void Attach(List<JContainer> stack, string? propertyName, JToken token, ref JToken? root)
    {
        if (stack.Count == 0)
        {
            root = token;
        }
        else if (stack[^1] is JObject obj)
        {
            // Indexer, not Add: a duplicate key replaces the value in place, as JSON.parse does.
            obj[propertyName!] = token;
        }
        else
        {
            ((JArray)stack[^1]).Add(token);
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

    private static string ReadString(ref Utf8JsonReader reader)
    {
        var raw = reader.ValueSpan;
        if (!reader.ValueIsEscaped)
        {
            return raw.IsEmpty ? string.Empty : StrictUtf8.GetString(raw);
        }

        return Unescape(raw);
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
