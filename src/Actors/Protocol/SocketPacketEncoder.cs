using System.Buffers;
using System.Globalization;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using SocketIo.Actors.Protocol.Internal;

namespace SocketIo.Actors.Protocol;

/// <summary>
/// Encodes Socket.IO packets: the text part <c>&lt;type&gt;[&lt;attachments&gt;-][&lt;namespace&gt;,][&lt;id&gt;][&lt;json&gt;]</c>
/// plus the binary attachments extracted from the data.
/// </summary>
/// <remarks>
/// <para>Binary detection: every <c>byte[]</c>, <see cref="ReadOnlyMemory{T}"/>/<see cref="Memory{T}"/>/<see cref="ArraySegment{T}"/>
/// of bytes and <see cref="JTokenType.Bytes"/> value at any depth becomes <c>{"_placeholder":true,"num":N}</c>,
/// numbered depth-first in writing order, and an EVENT/ACK holding any becomes BINARY_EVENT/BINARY_ACK
/// (<c>51-</c> / <c>61-</c>). Binary data anywhere else is a caller bug and throws <see cref="ArgumentException"/>.</para>
/// <para>JSON is compact, keeps key order and prints like <c>JSON.stringify</c>: numbers in JS form
/// (<c>1.0</c> → <c>1</c>, <c>1e21</c> → <c>1e+21</c>, NaN/Infinity → <c>null</c>), only '"', '\\', C0 controls
/// and lone surrogates escaped. Strings are never re-read as dates. POCO arguments go through a
/// Newtonsoft <see cref="JsonSerializer"/> (dates in ISO 8601); circular references throw as in socket.io.</para>
/// <para>Immutable and thread-safe. The namespace and v4 query are written as given (they must not contain ',').</para>
/// </remarks>
public sealed class SocketPacketEncoder
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly JsonSerializer _serializer;

    /// <param name="settings">Settings for POCO arguments; null for Newtonsoft defaults.</param>
    public SocketPacketEncoder(JsonSerializerSettings? settings = null)
    {
        _serializer = JsonSerializer.Create(settings ?? new JsonSerializerSettings());
        _serializer.Formatting = Formatting.None;
        _serializer.Converters.Add(new BinaryMemoryConverter());
    }

    public static SocketPacketEncoder Default { get; } = new();

    /// <summary>Encodes <paramref name="packet"/> once for any number of receivers.</summary>
    /// <exception cref="ArgumentException">The packet's data does not fit its type.</exception>
    public EncodedPacket Encode(SocketPacket packet)
    {
        ArgumentNullException.ThrowIfNull(packet);
        Validate(packet);
        using var body = new PooledByteBuffer();
        var json = new WireJsonWriter(body, AllowsBinary(packet.Type));
        packet.Data?.WriteTo(json);
        return Finish(packet.Type, packet.Namespace, packet.Query, packet.Id, body, json);
    }

    /// <summary>
    /// Writes the text part of <paramref name="packet"/> to <paramref name="output"/> and appends its
    /// attachments to <paramref name="attachments"/>. Replies the type written (binary when attachments were found).
    /// </summary>
    /// <exception cref="ArgumentException">The packet's data does not fit its type.</exception>
    public SocketPacketType Write(SocketPacket packet, IBufferWriter<byte> output, ICollection<ReadOnlyMemory<byte>> attachments)
    {
        ArgumentNullException.ThrowIfNull(packet);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(attachments);
        Validate(packet);
        using var body = new PooledByteBuffer();
        var json = new WireJsonWriter(body, AllowsBinary(packet.Type));
        packet.Data?.WriteTo(json);
        return WriteTo(packet.Type, packet.Namespace, packet.Query, packet.Id, body, json, output, attachments);
    }

    /// <summary>
    /// Encodes an EVENT <c>[eventName, ...args]</c> straight from the arguments, without building a JArray.
    /// Arguments may be null, JToken, string, numbers, bool, byte[], ReadOnlyMemory/Memory/ArraySegment of
    /// bytes, or anything Newtonsoft serializes (arrays, lists, dictionaries, POCOs), binary at any depth.
    /// </summary>
    /// <exception cref="JsonException">An argument cannot be serialized (e.g. a reference loop).</exception>
    public EncodedPacket EncodeEvent(string @namespace, string eventName, ReadOnlySpan<object?> args, long? ackId = null)
    {
        ArgumentNullException.ThrowIfNull(eventName);
        using var body = new PooledByteBuffer();
        if (TryWriteSimpleArray(body, eventName, args))
            return Finish(SocketPacketType.Event, @namespace, null, ackId, body, null);
        body.Clear();
        var json = WriteArray(body, eventName, args);
        return Finish(SocketPacketType.Event, @namespace, null, ackId, body, json);
    }

    /// <summary>Encodes the ACK <c>[...args]</c> answering event <paramref name="ackId"/>; arguments as in <see cref="EncodeEvent"/>.</summary>
    public EncodedPacket EncodeAck(string @namespace, long ackId, ReadOnlySpan<object?> args)
    {
        using var body = new PooledByteBuffer();
        if (TryWriteSimpleArray(body, null, args))
            return Finish(SocketPacketType.Ack, @namespace, null, ackId, body, null);
        body.Clear();
        var json = WriteArray(body, null, args);
        return Finish(SocketPacketType.Ack, @namespace, null, ackId, body, json);
    }

    /// <summary>
    /// <see cref="EncodeEvent"/> into a caller's buffer: the text part goes to <paramref name="output"/>, attachments
    /// are appended to <paramref name="attachments"/>. Replies the type written.
    /// </summary>
    public SocketPacketType WriteEvent(
        string @namespace,
        string eventName,
        ReadOnlySpan<object?> args,
        long? ackId,
        IBufferWriter<byte> output,
        ICollection<ReadOnlyMemory<byte>> attachments)
    {
        ArgumentNullException.ThrowIfNull(eventName);
        using var body = new PooledByteBuffer();
        var json = WriteArray(body, eventName, args);
        return WriteTo(SocketPacketType.Event, @namespace, null, ackId, body, json, output, attachments);
    }

    /// <summary>
    /// The common case without a <see cref="WireJsonWriter"/>: arguments that are plain JSON (see
    /// <see cref="WireJsonWriter.TryWriteSimpleArgument"/>). False when an argument needs the writer (binary,
    /// POCOs, dates...); the caller clears <paramref name="body"/> and writes the array again the general way.
    /// </summary>
    private static bool TryWriteSimpleArray(PooledByteBuffer body, string? eventName, ReadOnlySpan<object?> args)
    {
        // Top-level binary is common (emit("file", bytes)): go to the writer at once instead of writing twice.
        foreach (var arg in args)
        {
            if (arg is byte[] or ReadOnlyMemory<byte> or Memory<byte> or ArraySegment<byte>) return false;
        }

        body.WriteByte((byte)'[');
        var first = true;
        if (eventName is not null)
        {
            WireJsonWriter.WriteSimpleString(body, eventName);
            first = false;
        }

        foreach (var arg in args)
        {
            if (!first) body.WriteByte((byte)',');
            first = false;
            if (!WireJsonWriter.TryWriteSimpleArgument(body, arg)) return false;
        }

        body.WriteByte((byte)']');
        return true;
    }

    private WireJsonWriter WriteArray(PooledByteBuffer body, string? eventName, ReadOnlySpan<object?> args)
    {
        var json = new WireJsonWriter(body, allowBinary: true);
        json.WriteStartArray();
        if (eventName is not null)
        {
            json.WriteValue(eventName);
        }

        foreach (var arg in args)
        {
            WriteArgument(json, arg);
        }

        json.WriteEndArray();
        return json;
    }

    private void WriteArgument(WireJsonWriter json, object? arg)
    {
        switch (arg)
        {
            case null: json.WriteNull(); break;
            case JToken token: token.WriteTo(json); break;
            case string s: json.WriteValue(s); break;
            case bool b: json.WriteValue(b); break;
            case int n: json.WriteValue(n); break;
            case long n: json.WriteValue(n); break;
            case double n: json.WriteValue(n); break;
            case float n: json.WriteValue(n); break;
            case decimal n: json.WriteValue(n); break;
            case byte[] bytes: json.WriteBinary(bytes); break;
            case ReadOnlyMemory<byte> memory: json.WriteBinary(memory); break;
            case Memory<byte> memory: json.WriteBinary(memory); break;
            case ArraySegment<byte> segment: json.WriteBinary(segment); break;
            default: _serializer.Serialize(json, arg); break;
        }
    }

    private static void Validate(SocketPacket packet)
    {
        var ok = packet.Type switch
        {
            SocketPacketType.Event or SocketPacketType.BinaryEvent =>
                packet.Data is JArray { Count: > 0 } array && array[0].Type == JTokenType.String,
            SocketPacketType.Ack or SocketPacketType.BinaryAck => packet.Data is JArray && packet.Id is not null,
            SocketPacketType.Connect => packet.Data is null or JObject,
            SocketPacketType.Disconnect => packet.Data is null,
            SocketPacketType.ConnectError => packet.Data is null or JObject || packet.Data.Type == JTokenType.String,
            _ => false,
        };
        if (!ok)
        {
            throw new ArgumentException($"Invalid data for a {packet.Type} packet.", nameof(packet));
        }

        if (packet.Id is < 0)
        {
            throw new ArgumentException("Ack ids are non-negative.", nameof(packet));
        }
    }

    private static bool AllowsBinary(SocketPacketType type) =>
        type is SocketPacketType.Event or SocketPacketType.BinaryEvent or SocketPacketType.Ack or SocketPacketType.BinaryAck;

    private static SocketPacketType WireType(SocketPacketType type, int attachments) => type switch
    {
        SocketPacketType.Event or SocketPacketType.BinaryEvent =>
            attachments > 0 ? SocketPacketType.BinaryEvent : SocketPacketType.Event,
        SocketPacketType.Ack or SocketPacketType.BinaryAck =>
            attachments > 0 ? SocketPacketType.BinaryAck : SocketPacketType.Ack,
        _ => type,
    };

    private static EncodedPacket Finish(SocketPacketType type, string @namespace, string? query, long? id, PooledByteBuffer body, WireJsonWriter? json)
    {
        var attachments = json?.AttachmentCount ?? 0;
        var wireType = WireType(type, attachments);
        var headerLength = HeaderLength(wireType, attachments, @namespace, query, id);
        var text = new byte[headerLength + body.Length];
        WriteHeader(text, wireType, attachments, @namespace, query, id);
        body.WrittenSpan.CopyTo(text.AsSpan(headerLength));
        return new EncodedPacket(wireType, text, json?.Attachments);
    }

    private static SocketPacketType WriteTo(
        SocketPacketType type,
        string @namespace,
        string? query,
        long? id,
        PooledByteBuffer body,
        WireJsonWriter json,
        IBufferWriter<byte> output,
        ICollection<ReadOnlyMemory<byte>> attachments)
    {
        var wireType = WireType(type, json.AttachmentCount);
        var headerLength = HeaderLength(wireType, json.AttachmentCount, @namespace, query, id);
        var span = output.GetSpan(headerLength + body.Length);
        WriteHeader(span, wireType, json.AttachmentCount, @namespace, query, id);
        body.WrittenSpan.CopyTo(span[headerLength..]);
        output.Advance(headerLength + body.Length);
        if (json.Attachments is { } found)
        {
            foreach (var attachment in found)
            {
                attachments.Add(attachment);
            }
        }

        return wireType;
    }

    private static bool HasNamespace(string @namespace) => @namespace.Length > 0 && @namespace != SocketPacket.MainNamespace;

    private static int HeaderLength(SocketPacketType type, int attachments, string @namespace, string? query, long? id)
    {
        ArgumentNullException.ThrowIfNull(@namespace);
        var length = 1;
        if (type is SocketPacketType.BinaryEvent or SocketPacketType.BinaryAck)
        {
            length += CountDigits(attachments) + 1;
        }

        if (HasNamespace(@namespace) || query is not null)
        {
            if (@namespace.Contains(',', StringComparison.Ordinal) || (query?.Contains(',', StringComparison.Ordinal) ?? false))
            {
                throw new ArgumentException("A namespace cannot contain ','.", nameof(@namespace));
            }

            try
            {
                length += StrictUtf8.GetByteCount(@namespace) + 1;
                if (query is not null)
                {
                    length += StrictUtf8.GetByteCount(query) + 1;
                }
            }
            catch (EncoderFallbackException e)
            {
                throw new ArgumentException("A namespace must be valid UTF-16 (no lone surrogates).", nameof(@namespace), e);
            }
        }

        if (id is { } value)
        {
            length += CountDigits(value);
        }

        return length;
    }

    private static void WriteHeader(Span<byte> span, SocketPacketType type, int attachments, string @namespace, string? query, long? id)
    {
        span[0] = (byte)('0' + (int)type);
        var pos = 1;
        if (type is SocketPacketType.BinaryEvent or SocketPacketType.BinaryAck)
        {
            attachments.TryFormat(span[pos..], out var written, default, CultureInfo.InvariantCulture);
            pos += written;
            span[pos++] = (byte)'-';
        }

        if (HasNamespace(@namespace) || query is not null)
        {
            pos += StrictUtf8.GetBytes(@namespace, span[pos..]);
            if (query is not null)
            {
                span[pos++] = (byte)'?';
                pos += StrictUtf8.GetBytes(query, span[pos..]);
            }

            span[pos++] = (byte)',';
        }

        if (id is { } value)
        {
            value.TryFormat(span[pos..], out var written, default, CultureInfo.InvariantCulture);
        }
    }

    // Integer arithmetic: Math.Log10 rounds 999,999,999,999,999 up to 15 and miscounts the digits.
    private static int CountDigits(long value)
    {
        var digits = 1;
        while (value >= 10)
        {
            value /= 10;
            digits++;
        }

        return digits;
    }
}
