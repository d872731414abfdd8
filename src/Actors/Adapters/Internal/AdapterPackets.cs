using System.Buffers.Text;
using Newtonsoft.Json.Linq;
using SocketIo.Actors.Internal;
using SocketIo.Actors.Protocol;

namespace SocketIo.Actors.Adapters.Internal;

/// <summary>Packet surgery for packets that cross nodes: each node acknowledges broadcasts under its own ack id.</summary>
internal static class AdapterPackets
{
    /// <summary>
    /// The same packet with its ack id replaced by <paramref name="ackId"/> (or removed when null). The text is
    /// copied once; attachments are shared. The header is <c>type[attachments-][/nsp,][id]</c> followed by the
    /// JSON array, so the id is the run of digits right before the first <c>[</c> after the header.
    /// </summary>
    public static EncodedPacket WithAckId(EncodedPacket packet, long? ackId)
    {
        var text = packet.Text.Span;
        var i = 1; // packet type digit
        if (packet.HasAttachments)
        {
            while (i < text.Length && text[i] != (byte)'-') i++;
            i++;
        }
        if (i < text.Length && text[i] == (byte)'/')
        {
            while (i < text.Length && text[i] != (byte)',') i++;
            i++;
        }
        var idStart = i;
        while (i < text.Length && text[i] is >= (byte)'0' and <= (byte)'9') i++;
        var idEnd = i;
        Span<byte> digits = stackalloc byte[20];
        var digitCount = 0;
        if (ackId is { } id && !Utf8Formatter.TryFormat(id, digits, out digitCount))
            throw new InvalidOperationException("ack id does not fit");
        var result = new byte[idStart + digitCount + (text.Length - idEnd)];
        text[..idStart].CopyTo(result);
        digits[..digitCount].CopyTo(result.AsSpan(idStart));
        text[idEnd..].CopyTo(result.AsSpan(idStart + digitCount));
        return new EncodedPacket(packet.Type, result, packet.Attachments);
    }

    /// <summary>Rebuilds an encoded packet received from another node (its text and attachments as they travelled).</summary>
    public static EncodedPacket Rebuild(SocketPacketType type, ReadOnlyMemory<byte> text, IReadOnlyList<ReadOnlyMemory<byte>> attachments) =>
        new(type, text, attachments.Count == 0 ? null : attachments);

    /// <summary>JSON of the arguments (binary as byte values), as sent to other nodes for server-side events.</summary>
    public static JArray ToJArray(object?[] args) => PacketWriter.ToJArray(args);
}

/// <summary>The registration a remote broadcast with ack leaves on each local socket: the answer goes to the origin node.</summary>
internal sealed class ReporterAck(IBroadcastAckReporter reporter) : PendingAck
{
    public override void Complete(JArray args) => reporter.ClientResponded(args.Count > 0 ? args[0] : null);

    // A socket that disconnects never answers: the origin waits for its timeout, as for local sockets.
    public override void Fail(Exception error)
    {
    }
}
