using System.Buffers;
using System.Text;
using Newtonsoft.Json.Linq;
using SocketIo.Actors.Protocol.Internal;

namespace SocketIo.Actors.Protocol;

/// <summary>
/// Decodes Socket.IO packets (protocol v5 and v4) from Engine.IO message payloads:
/// <c>&lt;type&gt;[&lt;attachments&gt;-][&lt;namespace&gt;,][&lt;id&gt;][&lt;json&gt;]</c>, then, for binary
/// packets, one binary message per attachment.
/// </summary>
/// <remarks>
/// Immutable and thread-safe; the per-connection state lives in the caller's <see cref="BinaryReassembly"/>.
/// Bad input never throws: it yields <see cref="DecodeStatus.Error"/> with a <see cref="ProtocolError"/>,
/// after which the state is reset and the connection should be closed. Stricter than the reference
/// parser where that costs real clients nothing: the event name must be a string, an ACK must carry
/// an id and placeholders must match the announced attachment count exactly. A namespace runs up to the
/// first ',' or the end of the packet, as socket.io-parser reads it: <c>40/custom</c> is a CONNECT of
/// <c>/custom</c> in both versions (the official v5 test suite sends it that way).
/// </remarks>
public sealed class SocketPacketDecoder
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <exception cref="ArgumentOutOfRangeException">A limit is out of range.</exception>
    public SocketPacketDecoder(SocketPacketDecoderOptions? options = null)
    {
        options ??= SocketPacketDecoderOptions.Default;
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxAttachments, nameof(options.MaxAttachments));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxDepth, 1, nameof(options.MaxDepth));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.MaxDepth, 100_000, nameof(options.MaxDepth));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxTextLength, 1, nameof(options.MaxTextLength));
        Options = options;
    }

    public static SocketPacketDecoder Default { get; } = new();

    public SocketPacketDecoderOptions Options { get; }

    /// <summary>
    /// Decodes the text part of a packet (an Engine.IO text message without its <c>4</c>).
    /// Replies Completed with the packet, NeedMoreAttachments for a binary packet whose attachments
    /// must now be fed to <see cref="TryAddAttachment"/>, or Error.
    /// </summary>
    public DecodeResult TryDecodeText(ReadOnlySpan<byte> utf8, ProtocolVersion version, BinaryReassembly reassembly)
    {
        ArgumentNullException.ThrowIfNull(reassembly);
        if (reassembly.IsPending)
        {
            reassembly.Reset();
            return DecodeResult.Failed(ProtocolError.UnexpectedText);
        }

        if (utf8.Length > Options.MaxTextLength)
        {
            return DecodeResult.Failed(ProtocolError.PacketTooLarge);
        }

        var error = TryParse(utf8, version, out var packet);
        if (error is not null)
        {
            return DecodeResult.Failed(error);
        }

        if (packet!.Type is not (SocketPacketType.BinaryEvent or SocketPacketType.BinaryAck))
        {
            return DecodeResult.Completed(packet);
        }

        error = Placeholders.TryCollect(packet.Data!, packet.Attachments, out var slots);
        if (error is not null)
        {
            return DecodeResult.Failed(error);
        }

        var plain = packet with { Type = packet.Type == SocketPacketType.BinaryEvent ? SocketPacketType.Event : SocketPacketType.Ack };
        if (packet.Attachments == 0)
        {
            return DecodeResult.Completed(plain);
        }

        reassembly.Begin(plain, slots);
        return DecodeResult.NeedMore(packet.Attachments);
    }

    /// <inheritdoc cref="TryDecodeText(ReadOnlySpan{byte}, ProtocolVersion, BinaryReassembly)"/>
    public DecodeResult TryDecodeText(string text, ProtocolVersion version, BinaryReassembly reassembly)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > Options.MaxTextLength)
        {
            // UTF-8 never has fewer bytes than UTF-16 code units.
            return Reject(reassembly, ProtocolError.PacketTooLarge);
        }

        var rented = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(text.Length));
        try
        {
            int length;
            try
            {
                length = StrictUtf8.GetBytes(text, rented);
            }
            catch (EncoderFallbackException)
            {
                return Reject(reassembly, ProtocolError.InvalidUtf8);
            }

            return TryDecodeText(rented.AsSpan(0, length), version, reassembly);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <inheritdoc cref="TryDecodeText(ReadOnlySpan{byte}, ProtocolVersion, BinaryReassembly)"/>
    public DecodeResult TryDecodeText(in ReadOnlySequence<byte> utf8, ProtocolVersion version, BinaryReassembly reassembly)
    {
        if (utf8.IsSingleSegment)
        {
            return TryDecodeText(utf8.FirstSpan, version, reassembly);
        }

        if (utf8.Length > Options.MaxTextLength)
        {
            return Reject(reassembly, ProtocolError.PacketTooLarge);
        }

        var length = (int)utf8.Length;
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            utf8.CopyTo(rented);
            return TryDecodeText(rented.AsSpan(0, length), version, reassembly);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// Feeds one binary attachment (an Engine.IO binary message) to the pending binary packet.
    /// The bytes are copied, so the caller may reuse its buffer. Replies Completed with the packet
    /// (binary values in place) after the last attachment, NeedMoreAttachments before it, or
    /// Error when no binary packet is pending.
    /// </summary>
    public DecodeResult TryAddAttachment(ReadOnlySpan<byte> data, BinaryReassembly reassembly)
    {
        ArgumentNullException.ThrowIfNull(reassembly);
        if (!reassembly.IsPending)
        {
            return DecodeResult.Failed(ProtocolError.UnexpectedAttachment);
        }

        if (!reassembly.Add(data.ToArray()))
        {
            return DecodeResult.NeedMore(reassembly.PendingAttachments);
        }

        var packet = reassembly.Header!;
        Placeholders.Fill(reassembly.Slots!, reassembly.Buffers!);
        reassembly.Reset();
        return DecodeResult.Completed(packet);
    }

    private static DecodeResult Reject(BinaryReassembly reassembly, ProtocolError error)
    {
        ArgumentNullException.ThrowIfNull(reassembly);
        var pending = reassembly.IsPending;
        reassembly.Reset();
        return DecodeResult.Failed(pending ? ProtocolError.UnexpectedText : error);
    }

    /// <summary>Parses header and payload; binary packets keep their BINARY type and placeholders.</summary>
    private ProtocolError? TryParse(ReadOnlySpan<byte> s, ProtocolVersion version, out SocketPacket? packet)
    {
        packet = null;
        if (s.IsEmpty)
        {
            return ProtocolError.EmptyPacket;
        }

        var typeChar = s[0];
        if (typeChar < (byte)'0' || typeChar > (byte)'6')
        {
            return ProtocolError.UnknownPacketType;
        }

        var type = (SocketPacketType)(typeChar - '0');
        var i = 1;

        var attachments = 0;
        if (type is SocketPacketType.BinaryEvent or SocketPacketType.BinaryAck)
        {
            var start = i;
            while (i < s.Length && IsDigit(s[i]))
            {
                // Saturate rather than overflow: a long digit run once wrapped to a negative count that slipped
                // past the limit check and made the placeholder collection throw.
                attachments = attachments > (int.MaxValue - 9) / 10 ? int.MaxValue : attachments * 10 + (s[i] - '0');
                i++;
            }

            if (i == start || i == s.Length || s[i] != (byte)'-')
            {
                return ProtocolError.IllegalAttachments;
            }

            if (attachments > Options.MaxAttachments)
            {
                return ProtocolError.AttachmentsExceedLimit;
            }

            i++;
        }

        var nsp = SocketPacket.MainNamespace;
        string? query = null;
        if (i < s.Length && s[i] == (byte)'/')
        {
            var comma = s[i..].IndexOf((byte)',');
            var end = comma >= 0 ? i + comma : s.Length;

            string text;
            try
            {
                text = StrictUtf8.GetString(s[i..end]);
            }
            catch (DecoderFallbackException)
            {
                return ProtocolError.InvalidUtf8;
            }

            nsp = text;
            if (version == ProtocolVersion.V4 && type == SocketPacketType.Connect)
            {
                var mark = text.IndexOf('?', StringComparison.Ordinal);
                if (mark >= 0)
                {
                    nsp = text[..mark];
                    query = text[(mark + 1)..];
                }
            }

            i = Math.Min(end + 1, s.Length);
        }

        long? id = null;
        if (i < s.Length && IsDigit(s[i]))
        {
            long value = 0;
            while (i < s.Length && IsDigit(s[i]))
            {
                if (value > (long.MaxValue - 9) / 10)
                {
                    return ProtocolError.InvalidAckId;
                }

                value = value * 10 + (s[i] - '0');
                i++;
            }

            if (type is not (SocketPacketType.Event or SocketPacketType.BinaryEvent or SocketPacketType.Ack or SocketPacketType.BinaryAck))
            {
                return ProtocolError.InvalidPayload;
            }

            id = value;
        }

        JToken? data = null;
        if (i < s.Length)
        {
            var error = JsonPayloadReader.TryRead(s[i..], Options.MaxDepth, out data);
            if (error is not null)
            {
                return error;
            }
        }

        if (!IsPayloadValid(type, version, data))
        {
            return ProtocolError.InvalidPayload;
        }

        if (type is SocketPacketType.Ack or SocketPacketType.BinaryAck && id is null)
        {
            return ProtocolError.InvalidAckId;
        }

        packet = new SocketPacket(type, nsp, data, id, attachments) { Query = query };
        return null;
    }

    private static bool IsPayloadValid(SocketPacketType type, ProtocolVersion version, JToken? data) => type switch
    {
        // v5: optional auth object; v4: the CONNECT packet has no payload.
        SocketPacketType.Connect => data is null || (version == ProtocolVersion.V5 && data is JObject),
        SocketPacketType.Disconnect => data is null,
        SocketPacketType.Event or SocketPacketType.BinaryEvent =>
            data is JArray { Count: > 0 } array && array[0].Type == JTokenType.String,
        SocketPacketType.Ack or SocketPacketType.BinaryAck => data is JArray,
        // socket.io 2.x may send a bare `4` when the error has neither data nor message.
        SocketPacketType.ConnectError => data is null or JObject || data.Type == JTokenType.String,
        _ => false,
    };

    private static bool IsDigit(byte b) => (uint)(b - '0') <= 9;
}
