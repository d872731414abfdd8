using System.Buffers;
using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Unicode;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace SocketIo.Actors.Protocol.Internal;

/// <summary>
/// Newtonsoft <see cref="JsonWriter"/> that writes compact UTF-8 JSON the way JavaScript's
/// <c>JSON.stringify</c> does, straight into a pooled buffer, and turns every binary value
/// (<c>byte[]</c>, <see cref="ReadOnlyMemory{T}"/> of bytes) into a Socket.IO attachment placeholder
/// <c>{"_placeholder":true,"num":N}</c>, numbering them in the order they are written (depth-first,
/// like the reference <c>deconstructPacket</c>). Used both for <c>JToken.WriteTo</c> and for POCOs
/// through <see cref="JsonSerializer"/>, so no intermediate JToken tree is built.
/// </summary>
internal sealed class WireJsonWriter : JsonWriter
{
    // JSON.stringify escapes '"', '\\' and C0 controls; lone surrogates are escaped as \udxxx
    // (well-formed JSON.stringify, ES2019). Everything else, U+2028/2029 included, goes out raw.
    private static readonly SearchValues<char> SpecialChars = SearchValues.Create(BuildSpecialChars());

    private readonly PooledByteBuffer _output;
    private readonly bool _allowBinary;
    private List<ReadOnlyMemory<byte>>? _attachments;

    public WireJsonWriter(PooledByteBuffer output, bool allowBinary)
    {
        _output = output;
        _allowBinary = allowBinary;
        Formatting = Formatting.None;
        CloseOutput = false;
        AutoCompleteOnClose = false;
    }

    public int AttachmentCount => _attachments?.Count ?? 0;

    public List<ReadOnlyMemory<byte>>? Attachments => _attachments;

    public override void Flush()
    {
    }

    public override void WriteStartObject()
    {
        base.WriteStartObject();
        _output.WriteByte((byte)'{');
    }

    public override void WriteStartArray()
    {
        base.WriteStartArray();
        _output.WriteByte((byte)'[');
    }

    public override void WriteStartConstructor(string name) =>
        throw new JsonWriterException("JavaScript constructors cannot be sent in a Socket.IO packet.");

    public override void WritePropertyName(string name)
    {
        base.WritePropertyName(name);
        WriteQuoted(name);
        _output.WriteByte((byte)':');
    }

    public override void WritePropertyName(string name, bool escape) => WritePropertyName(name);

    public override void WriteNull()
    {
        base.WriteNull();
        _output.Write("null"u8);
    }

    public override void WriteUndefined()
    {
        // JSON.stringify writes undefined array items as null.
        base.WriteUndefined();
        _output.Write("null"u8);
    }

    public override void WriteRaw(string? json)
    {
        if (json is not null)
        {
            WriteUtf8(json);
        }
    }

    public override void WriteComment(string? text)
    {
        // JSON has no comments; dropping them keeps the output valid.
    }

    public override void WriteValue(string? value)
    {
        if (value is null)
        {
            WriteNull();
            return;
        }

        base.WriteValue(value);
        WriteQuoted(value);
    }

    public override void WriteValue(bool value)
    {
        base.WriteValue(value);
        _output.Write(value ? "true"u8 : "false"u8);
    }

    public override void WriteValue(int value)
    {
        base.WriteValue(value);
        WriteInteger(value);
    }

    public override void WriteValue(uint value)
    {
        base.WriteValue(value);
        WriteInteger(value);
    }

    public override void WriteValue(long value)
    {
        base.WriteValue(value);
        WriteInteger(value);
    }

    public override void WriteValue(ulong value)
    {
        base.WriteValue(value);
        var span = _output.GetSpan(24);
        value.TryFormat(span, out var written, default, CultureInfo.InvariantCulture);
        _output.Advance(written);
    }

    public override void WriteValue(short value)
    {
        base.WriteValue(value);
        WriteInteger(value);
    }

    public override void WriteValue(ushort value)
    {
        base.WriteValue(value);
        WriteInteger(value);
    }

    public override void WriteValue(byte value)
    {
        base.WriteValue(value);
        WriteInteger(value);
    }

    public override void WriteValue(sbyte value)
    {
        base.WriteValue(value);
        WriteInteger(value);
    }

    public override void WriteValue(double value)
    {
        base.WriteValue(value);
        _output.Advance(JsNumberFormatter.Format(value, _output.GetSpan(JsNumberFormatter.MaxLength)));
    }

    public override void WriteValue(float value)
    {
        base.WriteValue(value);
        _output.Advance(JsNumberFormatter.Format(value, _output.GetSpan(JsNumberFormatter.MaxLength)));
    }

    public override void WriteValue(decimal value)
    {
        base.WriteValue(value);
        _output.Advance(JsNumberFormatter.Format(value, _output.GetSpan(64)));
    }

    public override void WriteValue(char value)
    {
        base.WriteValue(value);
        WriteQuoted(value.ToString());
    }

    public override void WriteValue(DateTime value)
    {
        base.WriteValue(value);
        value = DateTimeZoneHandling switch
        {
            DateTimeZoneHandling.Utc => value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : DateTime.SpecifyKind(value, DateTimeKind.Utc),
            DateTimeZoneHandling.Local => value.Kind == DateTimeKind.Utc ? value.ToLocalTime() : DateTime.SpecifyKind(value, DateTimeKind.Local),
            DateTimeZoneHandling.Unspecified => DateTime.SpecifyKind(value, DateTimeKind.Unspecified),
            _ => value,
        };
        WriteQuoted(string.IsNullOrEmpty(DateFormatString)
            ? value.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss.FFFFFFFK", CultureInfo.InvariantCulture)
            : value.ToString(DateFormatString, Culture));
    }

    public override void WriteValue(DateTimeOffset value)
    {
        base.WriteValue(value);
        WriteQuoted(string.IsNullOrEmpty(DateFormatString)
            ? value.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss.FFFFFFFzzz", CultureInfo.InvariantCulture)
            : value.ToString(DateFormatString, Culture));
    }

    public override void WriteValue(Guid value)
    {
        base.WriteValue(value);
        WriteQuoted(value.ToString("D", CultureInfo.InvariantCulture));
    }

    public override void WriteValue(TimeSpan value)
    {
        base.WriteValue(value);
        WriteQuoted(value.ToString(null, CultureInfo.InvariantCulture));
    }

    public override void WriteValue(Uri? value)
    {
        if (value is null)
        {
            WriteNull();
            return;
        }

        base.WriteValue(value);
        WriteQuoted(value.OriginalString);
    }

    public override void WriteValue(byte[]? value)
    {
        if (value is null)
        {
            WriteNull();
            return;
        }

        WriteBinary(value);
    }

    public override void WriteValue(object? value)
    {
        switch (value)
        {
            case BigInteger big:
                SetWriteState(JsonToken.Integer, big);
                WriteUtf8(big.ToString(CultureInfo.InvariantCulture));
                break;
            case ReadOnlyMemory<byte> memory:
                WriteBinary(memory);
                break;
            case Memory<byte> memory:
                WriteBinary(memory);
                break;
            case ArraySegment<byte> segment:
                WriteBinary(segment);
                break;
            default:
                base.WriteValue(value);
                break;
        }
    }

    /// <summary>Writes a placeholder for <paramref name="data"/> and records it as the next attachment.</summary>
    public void WriteBinary(ReadOnlyMemory<byte> data)
    {
        if (!_allowBinary)
        {
            throw new ArgumentException("Binary data can only be sent in EVENT and ACK packets.");
        }

        _attachments ??= new List<ReadOnlyMemory<byte>>(2);
        var num = _attachments.Count;
        _attachments.Add(data);
        WriteStartObject();
        WritePropertyName("_placeholder");
        WriteValue(true);
        WritePropertyName("num");
        WriteValue(num);
        WriteEndObject();
    }

    /// <summary>Deepest nesting the allocation-free path writes; deeper trees take the <see cref="JsonWriter"/> path.</summary>
    private const int MaxSimpleDepth = 64;

    /// <summary>
    /// Writes <paramref name="token"/> straight to <paramref name="output"/>, byte for byte as <c>token.WriteTo</c>
    /// on a <see cref="WireJsonWriter"/> would, without a writer object or its state stack. Handles the trees the
    /// decoder builds (objects, arrays, strings, 64-bit integers, doubles, booleans, null); replies false as soon
    /// as it meets anything else (binary, dates, big integers, raw JSON...): the caller then discards the output
    /// and takes the writer path, which knows every case.
    /// </summary>
    public static bool TryWriteSimple(PooledByteBuffer output, JToken token, int depth = 0)
    {
        switch (token)
        {
            case JValue value:
                return TryWriteSimpleValue(output, value);
            case JArray array:
                if (depth >= MaxSimpleDepth) return false;
                output.WriteByte((byte)'[');
                for (var item = array.First; item is not null; item = item.Next)
                {
                    if (!ReferenceEquals(item, array.First)) output.WriteByte((byte)',');
                    if (!TryWriteSimple(output, item, depth + 1)) return false;
                }

                output.WriteByte((byte)']');
                return true;
            case JObject obj:
                if (depth >= MaxSimpleDepth) return false;
                output.WriteByte((byte)'{');
                for (var item = obj.First; item is not null; item = item.Next)
                {
                    if (!ReferenceEquals(item, obj.First)) output.WriteByte((byte)',');
                    var property = (JProperty)item;
                    WriteQuoted(output, property.Name);
                    output.WriteByte((byte)':');
                    if (!TryWriteSimple(output, property.Value, depth + 1)) return false;
                }

                output.WriteByte((byte)'}');
                return true;
            default:
                return false;
        }
    }

    /// <summary>A plain argument (null, string, bool, int, long, double or JToken) the allocation-free way; false otherwise.</summary>
    public static bool TryWriteSimpleArgument(PooledByteBuffer output, object? arg)
    {
        switch (arg)
        {
            case null: output.Write("null"u8); return true;
            case JToken token: return TryWriteSimple(output, token);
            case string s: WriteQuoted(output, s); return true;
            case bool b: output.Write(b ? "true"u8 : "false"u8); return true;
            case int n: WriteInteger(output, n); return true;
            case long n: WriteInteger(output, n); return true;
            case double d: output.Advance(JsNumberFormatter.Format(d, output.GetSpan(JsNumberFormatter.MaxLength))); return true;
            default: return false;
        }
    }

    public static void WriteSimpleString(PooledByteBuffer output, string value) => WriteQuoted(output, value);

    private static bool TryWriteSimpleValue(PooledByteBuffer output, JValue value)
    {
        switch (value.Type)
        {
            case JTokenType.String when value.Value is string s:
                WriteQuoted(output, s);
                return true;
            case JTokenType.Integer when value.Value is long n:
                WriteInteger(output, n);
                return true;
            case JTokenType.Integer when value.Value is int n:
                WriteInteger(output, n);
                return true;
            case JTokenType.Float when value.Value is double d:
                output.Advance(JsNumberFormatter.Format(d, output.GetSpan(JsNumberFormatter.MaxLength)));
                return true;
            case JTokenType.Boolean when value.Value is bool b:
                output.Write(b ? "true"u8 : "false"u8);
                return true;
            case JTokenType.Null or JTokenType.Undefined:
                output.Write("null"u8);
                return true;
            default:
                return false;
        }
    }

    protected override void WriteEnd(JsonToken token)
    {
        _output.WriteByte(token switch
        {
            JsonToken.EndObject => (byte)'}',
            JsonToken.EndArray => (byte)']',
            _ => throw new JsonWriterException("JavaScript constructors cannot be sent in a Socket.IO packet."),
        });
    }

    protected override void WriteValueDelimiter() => _output.WriteByte((byte)',');

    private void WriteInteger(long value) => WriteInteger(_output, value);

    private static void WriteInteger(PooledByteBuffer output, long value)
    {
        var span = output.GetSpan(20);
        value.TryFormat(span, out var written, default, CultureInfo.InvariantCulture);
        output.Advance(written);
    }

    private void WriteUtf8(string text)
    {
        var span = _output.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        _output.Advance(Encoding.UTF8.GetBytes(text, span));
    }

    private void WriteQuoted(string value) => WriteQuoted(_output, value);

    private static void WriteQuoted(PooledByteBuffer output, string value)
    {
        output.WriteByte((byte)'"');
        var rest = value.AsSpan();
        while (!rest.IsEmpty)
        {
            var special = rest.IndexOfAny(SpecialChars);
            if (special < 0)
            {
                WriteRun(output, rest);
                break;
            }

            var c = rest[special];
            if (char.IsHighSurrogate(c) && special + 1 < rest.Length && char.IsLowSurrogate(rest[special + 1]))
            {
                // A proper pair is ordinary text: emit it with the run it belongs to.
                WriteRun(output, rest[..(special + 2)]);
                rest = rest[(special + 2)..];
                continue;
            }

            WriteRun(output, rest[..special]);
            WriteEscape(output, c);
            rest = rest[(special + 1)..];
        }

        output.WriteByte((byte)'"');
    }

    private static void WriteRun(PooledByteBuffer _output, ReadOnlySpan<char> run)
    {
        if (run.IsEmpty)
        {
            return;
        }

        // Runs never hold lone surrogates, so the transcoding cannot fail.
        var span = _output.GetSpan(run.Length * 3);
        Utf8.FromUtf16(run, span, out _, out var written, replaceInvalidSequences: false);
        _output.Advance(written);
    }

    private static void WriteEscape(PooledByteBuffer _output, char c)
    {
        var span = _output.GetSpan(6);
        span[0] = (byte)'\\';
        switch (c)
        {
            case '"': span[1] = (byte)'"'; _output.Advance(2); return;
            case '\\': span[1] = (byte)'\\'; _output.Advance(2); return;
            case '\b': span[1] = (byte)'b'; _output.Advance(2); return;
            case '\f': span[1] = (byte)'f'; _output.Advance(2); return;
            case '\n': span[1] = (byte)'n'; _output.Advance(2); return;
            case '\r': span[1] = (byte)'r'; _output.Advance(2); return;
            case '\t': span[1] = (byte)'t'; _output.Advance(2); return;
        }

        // Other controls and lone surrogates: \uxxxx with lowercase hex, as JSON.stringify.
        span[1] = (byte)'u';
        ((int)c).TryFormat(span[2..], out _, "x4", CultureInfo.InvariantCulture);
        _output.Advance(6);
    }

    private static string BuildSpecialChars()
    {
        var chars = new StringBuilder();
        for (var c = '\0'; c < ' '; c++)
        {
            chars.Append(c);
        }

        chars.Append('"').Append('\\');
        for (int c = 0xD800; c <= 0xDFFF; c++)
        {
            chars.Append((char)c);
        }

        return chars.ToString();
    }
}
