using System.Buffers;
using System.Text;
using SocketIo.Transport.EngineIo.Protocol;

namespace SocketIo.Transport.Tests.Protocol;

internal static class CodecHelpers
{
    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    public static ReadOnlySequence<byte> Seq(string text) => new(Utf8(text));

    public static ReadOnlySequence<byte> Seq(byte[] bytes) => new(bytes);

    /// <summary>A sequence with one segment per byte, to exercise multi-segment paths.</summary>
    public static ReadOnlySequence<byte> Fragmented(byte[] bytes)
    {
        if (bytes.Length == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        var first = new Segment(bytes.AsMemory(0, 1), 0);
        var last = first;
        for (var i = 1; i < bytes.Length; i++)
        {
            last = last.Append(bytes.AsMemory(i, 1));
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    public static string WriteV4(params EnginePacket[] packets)
    {
        var writer = new ArrayBufferWriter<byte>();
        PayloadCodecV4.Write(packets, writer);
        return Encoding.UTF8.GetString(writer.WrittenSpan);
    }

    public static byte[] WriteV3(bool supportsBinary, params EnginePacket[] packets)
    {
        var writer = new ArrayBufferWriter<byte>();
        PayloadCodecV3.Write(packets, supportsBinary, writer);
        return writer.WrittenSpan.ToArray();
    }

    public static string Text(EnginePacket packet, int protocol)
    {
        var writer = new ArrayBufferWriter<byte>();
        EnginePacketCodec.WriteText(packet, protocol, writer);
        return Encoding.UTF8.GetString(writer.WrittenSpan);
    }

    public static EnginePacket Msg(string text) => EnginePacket.Text(EnginePacketType.Message, text);

    public static EnginePacket Bin(params byte[] bytes) => new(EnginePacketType.Message, bytes, true);

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
