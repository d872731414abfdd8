using System.Buffers;
using System.Buffers.Text;
using System.Text.Unicode;

namespace SocketIo.Transport.EngineIo.Protocol;

/// <summary>
/// Encodes and decodes single Engine.IO packets: one WebSocket frame, or one element of a polling payload.
/// Pure code over byte sequences; never throws on client input.
/// </summary>
/// <remarks>
/// Text form: the type digit followed by UTF-8 data (<c>4hello</c>). Binary messages in text form are
/// <c>b</c> + base64 in protocol 4 and <c>b4</c> + base64 in protocol 3. In a WebSocket binary frame a
/// protocol-4 message is the raw bytes, a protocol-3 message is the type byte <c>4</c> followed by the bytes.
/// </remarks>
public static class EnginePacketCodec
{
    internal const byte Base64Marker = (byte)'b';

    /// <summary>
    /// Decodes one whole WebSocket message (text or binary) and consumes it from <paramref name="frame"/>.
    /// Returns false with a clear <paramref name="error"/> for malformed input.
    /// </summary>
    public static bool TryParse(ref ReadOnlySequence<byte> frame, bool isBinary, int protocol, out EnginePacket packet, out EngineParseError error)
    {
        var data = frame;
        frame = frame.Slice(frame.End);
        return isBinary
            ? TryParseBinary(data, protocol, out packet, out error)
            : TryParseText(data, protocol, out packet, out error);
    }

    /// <summary>Decodes the text form of one packet (WebSocket text frame or payload element).</summary>
    public static bool TryParseText(in ReadOnlySequence<byte> text, int protocol, out EnginePacket packet, out EngineParseError error)
    {
        packet = default;
        if (text.IsEmpty)
        {
            error = EngineParseError.Empty;
            return false;
        }

        var first = text.FirstSpan[0];
        if (first == Base64Marker)
        {
            var rest = text.Slice(1);
            if (protocol == 3)
            {
                // v3: "b" + type digit + base64; only messages carry binary data.
                if (rest.IsEmpty || rest.FirstSpan[0] != (byte)'4')
                {
                    error = EngineParseError.UnknownPacketType;
                    return false;
                }

                rest = rest.Slice(1);
            }

            if (!TryDecodeBase64(rest, out var bytes))
            {
                error = EngineParseError.InvalidBase64;
                return false;
            }

            packet = new EnginePacket(EnginePacketType.Message, bytes, true);
            error = EngineParseError.None;
            return true;
        }

        if (first < (byte)'0' || first > (byte)'6')
        {
            error = EngineParseError.UnknownPacketType;
            return false;
        }

        var payload = text.Slice(1);
        if (!IsValidUtf8(payload))
        {
            error = EngineParseError.InvalidUtf8;
            return false;
        }

        packet = new EnginePacket((EnginePacketType)(first - '0'), payload.IsEmpty ? ReadOnlyMemory<byte>.Empty : payload.ToArray(), false);
        error = EngineParseError.None;
        return true;
    }

    /// <summary>Decodes a WebSocket binary frame: a binary message (v4 raw bytes; v3 type byte 4 + bytes).</summary>
    public static bool TryParseBinary(in ReadOnlySequence<byte> frame, int protocol, out EnginePacket packet, out EngineParseError error)
    {
        if (protocol != 3)
        {
            packet = new EnginePacket(EnginePacketType.Message, frame.ToArray(), true);
            error = EngineParseError.None;
            return true;
        }

        packet = default;
        if (frame.IsEmpty)
        {
            error = EngineParseError.Empty;
            return false;
        }

        if (frame.FirstSpan[0] != (byte)EnginePacketType.Message)
        {
            error = EngineParseError.UnknownPacketType;
            return false;
        }

        packet = new EnginePacket(EnginePacketType.Message, frame.Slice(1).ToArray(), true);
        error = EngineParseError.None;
        return true;
    }

    /// <summary>Writes the text form of a packet (binary messages as base64 with the protocol's prefix).</summary>
    public static void WriteText(in EnginePacket packet, int protocol, IBufferWriter<byte> writer)
    {
        if (packet.IsBinary)
        {
            var prefix = writer.GetSpan(2);
            prefix[0] = Base64Marker;
            if (protocol == 3)
            {
                prefix[1] = (byte)'4';
                writer.Advance(2);
            }
            else
            {
                writer.Advance(1);
            }

            WriteBase64(packet.Data.Span, writer);
            return;
        }

        var span = writer.GetSpan(1);
        span[0] = (byte)('0' + (byte)packet.Type);
        writer.Advance(1);
        if (!packet.Data.IsEmpty)
        {
            writer.Write(packet.Data.Span);
        }
    }

    /// <summary>Writes a binary message as a WebSocket binary frame body (v4: raw; v3: type byte 4 + data).</summary>
    public static void WriteBinary(in EnginePacket packet, int protocol, IBufferWriter<byte> writer)
    {
        if (protocol == 3)
        {
            var span = writer.GetSpan(1);
            span[0] = (byte)packet.Type;
            writer.Advance(1);
        }

        if (!packet.Data.IsEmpty)
        {
            writer.Write(packet.Data.Span);
        }
    }

    /// <summary>Number of bytes <see cref="WriteText"/> writes for <paramref name="packet"/>.</summary>
    public static int GetTextByteLength(in EnginePacket packet, int protocol) => packet.IsBinary
        ? (protocol == 3 ? 2 : 1) + Base64.GetMaxEncodedToUtf8Length(packet.Data.Length)
        : 1 + packet.Data.Length;

    /// <summary>
    /// Length of the text form in UTF-16 code units (JavaScript <c>string.length</c>), as used by v3 length prefixes.
    /// </summary>
    public static int GetTextUtf16Length(in EnginePacket packet, int protocol) => packet.IsBinary
        ? GetTextByteLength(packet, protocol)
        : 1 + GetUtf16Length(packet.Data.Span);

    /// <summary>UTF-16 length of valid UTF-8: one unit per scalar, two for scalars above U+FFFF (4-byte sequences).</summary>
    public static int GetUtf16Length(ReadOnlySpan<byte> utf8)
    {
        var count = 0;
        foreach (var b in utf8)
        {
            if ((b & 0xC0) != 0x80)
            {
                count++;
            }

            if (b >= 0xF0)
            {
                count++;
            }
        }

        return count;
    }

    internal static bool IsValidUtf8(in ReadOnlySequence<byte> bytes)
    {
        if (bytes.IsSingleSegment)
        {
            return Utf8.IsValid(bytes.FirstSpan);
        }

        return Utf8.IsValid(bytes.ToArray());
    }

    internal static void WriteBase64(ReadOnlySpan<byte> data, IBufferWriter<byte> writer)
    {
        if (data.IsEmpty)
        {
            return;
        }

        var span = writer.GetSpan(Base64.GetMaxEncodedToUtf8Length(data.Length));
        Base64.EncodeToUtf8(data, span, out _, out var written);
        writer.Advance(written);
    }

    internal static bool TryDecodeBase64(in ReadOnlySequence<byte> base64, out byte[] bytes)
    {
        bytes = [];
        if (base64.IsEmpty)
        {
            return true;
        }

        if (base64.Length % 4 != 0 || base64.Length > int.MaxValue)
        {
            return false;
        }

        var source = base64.IsSingleSegment ? base64.FirstSpan : base64.ToArray();
        var padding = source[^1] == (byte)'=' ? (source[^2] == (byte)'=' ? 2 : 1) : 0;
        var result = new byte[source.Length / 4 * 3 - padding];
        var status = Base64.DecodeFromUtf8(source, result, out var consumed, out var written);
        if (status != OperationStatus.Done || consumed != source.Length || written != result.Length)
        {
            return false;
        }

        bytes = result;
        return true;
    }
}
