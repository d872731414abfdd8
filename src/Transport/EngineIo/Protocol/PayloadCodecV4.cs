using System.Buffers;

namespace SocketIo.Transport.EngineIo.Protocol;

/// <summary>
/// Engine.IO protocol 4 polling payloads: packets in text form separated by the record separator 0x1E;
/// binary messages as <c>b</c> + base64. 0x1E never occurs inside UTF-8 multi-byte sequences, so the
/// payload is split on bytes.
/// </summary>
public static class PayloadCodecV4
{
    public const byte Separator = 0x1E;

    /// <summary>
    /// Decodes the next packet and consumes it (and its separator) from <paramref name="payload"/>.
    /// Returns true with a packet; false at the end (<paramref name="error"/> is None) or on malformed input.
    /// An empty payload, an empty element and a trailing separator are errors, as in the reference parser.
    /// </summary>
    public static bool TryParse(ref ReadOnlySequence<byte> payload, ref PayloadParserState state, out EnginePacket packet, out EngineParseError error)
    {
        packet = default;
        error = EngineParseError.None;
        if (state.Ended)
        {
            return false;
        }

        state.Started = true;
        ReadOnlySequence<byte> element;
        var separator = payload.PositionOf(Separator);
        if (separator is { } position)
        {
            element = payload.Slice(0, position);
            payload = payload.Slice(payload.GetPosition(1, position));
        }
        else
        {
            element = payload;
            payload = payload.Slice(payload.End);
            state.Ended = true;
        }

        if (!EnginePacketCodec.TryParseText(element, 4, out packet, out error))
        {
            state.Ended = true;
            return false;
        }

        return true;
    }

    /// <summary>
    /// Decodes a whole payload into <paramref name="packets"/>. On error the packets decoded before the
    /// malformed element stay in the list (the reference server delivers them before closing).
    /// </summary>
    public static bool TryParseAll(ReadOnlySequence<byte> payload, ICollection<EnginePacket> packets, out EngineParseError error)
    {
        var state = default(PayloadParserState);
        while (TryParse(ref payload, ref state, out var packet, out error))
        {
            packets.Add(packet);
        }

        return error == EngineParseError.None;
    }

    /// <summary>Writes <paramref name="packets"/> as one payload.</summary>
    public static void Write(ReadOnlySpan<EnginePacket> packets, IBufferWriter<byte> writer)
    {
        for (var i = 0; i < packets.Length; i++)
        {
            if (i > 0)
            {
                writer.GetSpan(1)[0] = Separator;
                writer.Advance(1);
            }

            EnginePacketCodec.WriteText(packets[i], 4, writer);
        }
    }
}
