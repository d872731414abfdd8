using System.Buffers;
using System.Buffers.Text;

namespace SocketIo.Transport.EngineIo.Protocol;

/// <summary>
/// Engine.IO protocol 3 polling payloads.
/// <list type="bullet">
/// <item>String payload: <c>&lt;length&gt;:&lt;packet&gt;</c> repeated, the length counting UTF-16 code units
/// (JavaScript string length) of the packet's text form; binary messages as <c>b4</c> + base64.</item>
/// <item>Binary payload (XHR2, <c>application/octet-stream</c>): per packet a marker byte (0 string, 1 binary),
/// the decimal digits of the byte length as byte values 0-9, 0xFF, then the packet (UTF-8 text form, or the
/// type byte 4 followed by the binary data).</item>
/// </list>
/// </summary>
public static class PayloadCodecV3
{
    private const int MaxLengthDigits = 10;
    private const byte BinaryLengthTerminator = 0xFF;

    /// <summary>
    /// Decodes the next packet and consumes it from <paramref name="payload"/>. Returns false at the end
    /// (error None) or on malformed input. <paramref name="isBinaryPayload"/> selects the XHR2 binary format.
    /// </summary>
    public static bool TryParse(ref ReadOnlySequence<byte> payload, bool isBinaryPayload, ref PayloadParserState state, out EnginePacket packet, out EngineParseError error)
    {
        packet = default;
        error = EngineParseError.None;
        if (state.Ended)
        {
            return false;
        }

        if (!state.Started)
        {
            state.Started = true;
            if (payload.IsEmpty)
            {
                state.Ended = true;
                error = EngineParseError.Empty;
                return false;
            }
        }

        var ok = isBinaryPayload
            ? TryParseBinaryEntry(ref payload, out packet, out error)
            : TryParseStringEntry(ref payload, out packet, out error);
        if (!ok)
        {
            state.Ended = true;
        }

        return ok;
    }

    /// <summary>Decodes a whole payload; packets before a malformed entry stay in <paramref name="packets"/>.</summary>
    public static bool TryParseAll(ReadOnlySequence<byte> payload, bool isBinaryPayload, ICollection<EnginePacket> packets, out EngineParseError error)
    {
        var state = default(PayloadParserState);
        while (TryParse(ref payload, isBinaryPayload, ref state, out var packet, out error))
        {
            packets.Add(packet);
        }

        return error == EngineParseError.None;
    }

    /// <summary>True when <see cref="Write"/> produces the binary (octet-stream) format: the client supports binary and a packet is binary.</summary>
    public static bool RequiresBinaryPayload(ReadOnlySpan<EnginePacket> packets, bool supportsBinary)
    {
        if (!supportsBinary)
        {
            return false;
        }

        foreach (var packet in packets)
        {
            if (packet.IsBinary)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Writes <paramref name="packets"/> as one payload: the binary format when
    /// <see cref="RequiresBinaryPayload"/> is true, otherwise the string format (<c>0:</c> for no packets).
    /// </summary>
    public static void Write(ReadOnlySpan<EnginePacket> packets, bool supportsBinary, IBufferWriter<byte> writer)
    {
        if (RequiresBinaryPayload(packets, supportsBinary))
        {
            foreach (var packet in packets)
            {
                WriteBinaryEntry(packet, writer);
            }

            return;
        }

        if (packets.IsEmpty)
        {
            WriteAscii("0:", writer);
            return;
        }

        foreach (var packet in packets)
        {
            WriteDecimal(EnginePacketCodec.GetTextUtf16Length(packet, 3), writer);
            writer.GetSpan(1)[0] = (byte)':';
            writer.Advance(1);
            EnginePacketCodec.WriteText(packet, 3, writer);
        }
    }

    private static bool TryParseStringEntry(ref ReadOnlySequence<byte> payload, out EnginePacket packet, out EngineParseError error)
    {
        packet = default;
        while (true)
        {
            if (payload.IsEmpty)
            {
                error = EngineParseError.None;
                return false;
            }

            var reader = new SequenceReader<byte>(payload);
            long length = 0;
            var digits = 0;
            while (true)
            {
                if (!reader.TryRead(out var b))
                {
                    error = EngineParseError.InvalidLength;
                    return false;
                }

                if (b == (byte)':')
                {
                    break;
                }

                if (b < (byte)'0' || b > (byte)'9' || ++digits > MaxLengthDigits)
                {
                    error = EngineParseError.InvalidLength;
                    return false;
                }

                length = length * 10 + (b - '0');
            }

            if (digits == 0)
            {
                error = EngineParseError.InvalidLength;
                return false;
            }

            // Walk UTF-8 scalars until `length` UTF-16 units are covered.
            var start = reader.Position;
            long units = 0;
            long bytes = 0;
            while (units < length)
            {
                if (!reader.TryRead(out var lead))
                {
                    error = EngineParseError.LengthMismatch;
                    return false;
                }

                int size;
                int width;
                if (lead < 0x80) { size = 1; width = 1; }
                else if (lead is >= 0xC2 and <= 0xDF) { size = 2; width = 1; }
                else if (lead is >= 0xE0 and <= 0xEF) { size = 3; width = 1; }
                else if (lead is >= 0xF0 and <= 0xF4) { size = 4; width = 2; }
                else
                {
                    error = EngineParseError.InvalidUtf8;
                    return false;
                }

                if (reader.Remaining < size - 1)
                {
                    error = EngineParseError.LengthMismatch;
                    return false;
                }

                reader.Advance(size - 1);

                units += width;
                bytes += size;
            }

            if (units != length)
            {
                // The declared length ends inside a surrogate pair.
                error = EngineParseError.LengthMismatch;
                return false;
            }

            var element = payload.Slice(start, bytes);
            payload = payload.Slice(reader.Position);
            if (length == 0)
            {
                // "0:" entries carry nothing and are skipped, as in the reference parser.
                continue;
            }

            return EnginePacketCodec.TryParseText(element, 3, out packet, out error);
        }
    }

    private static bool TryParseBinaryEntry(ref ReadOnlySequence<byte> payload, out EnginePacket packet, out EngineParseError error)
    {
        packet = default;
        if (payload.IsEmpty)
        {
            error = EngineParseError.None;
            return false;
        }

        var reader = new SequenceReader<byte>(payload);
        reader.TryRead(out var marker);
        if (marker > 1)
        {
            error = EngineParseError.InvalidPayloadMarker;
            return false;
        }

        long length = 0;
        var digits = 0;
        while (true)
        {
            if (!reader.TryRead(out var b))
            {
                error = EngineParseError.InvalidLength;
                return false;
            }

            if (b == BinaryLengthTerminator)
            {
                break;
            }

            if (b > 9 || ++digits > MaxLengthDigits)
            {
                error = EngineParseError.InvalidLength;
                return false;
            }

            length = length * 10 + b;
        }

        if (digits == 0)
        {
            error = EngineParseError.InvalidLength;
            return false;
        }

        if (reader.Remaining < length)
        {
            error = EngineParseError.LengthMismatch;
            return false;
        }

        var element = payload.Slice(reader.Position, length);
        payload = payload.Slice(element.End);
        return marker == 0
            ? EnginePacketCodec.TryParseText(element, 3, out packet, out error)
            : EnginePacketCodec.TryParseBinary(element, 3, out packet, out error);
    }

    private static void WriteBinaryEntry(in EnginePacket packet, IBufferWriter<byte> writer)
    {
        // Both forms are one type byte followed by the data: the ASCII digit for strings, the raw type for binary.
        var length = 1 + packet.Data.Length;
        Span<byte> digits = stackalloc byte[MaxLengthDigits + 1];
        Utf8Formatter.TryFormat(length, digits, out var count);
        var header = writer.GetSpan(count + 2);
        header[0] = packet.IsBinary ? (byte)1 : (byte)0;
        for (var i = 0; i < count; i++)
        {
            header[i + 1] = (byte)(digits[i] - '0');
        }

        header[count + 1] = BinaryLengthTerminator;
        writer.Advance(count + 2);
        if (packet.IsBinary)
        {
            EnginePacketCodec.WriteBinary(packet, 3, writer);
        }
        else
        {
            EnginePacketCodec.WriteText(packet, 3, writer);
        }
    }

    private static void WriteDecimal(int value, IBufferWriter<byte> writer)
    {
        var span = writer.GetSpan(MaxLengthDigits + 1);
        Utf8Formatter.TryFormat(value, span, out var written);
        writer.Advance(written);
    }

    private static void WriteAscii(string text, IBufferWriter<byte> writer)
    {
        var span = writer.GetSpan(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            span[i] = (byte)text[i];
        }

        writer.Advance(text.Length);
    }
}
