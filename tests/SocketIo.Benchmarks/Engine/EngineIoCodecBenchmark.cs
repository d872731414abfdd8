using System.Buffers;
using System.Text;
using BenchmarkDotNet.Attributes;
using SocketIo.Transport.EngineIo.Protocol;

namespace SocketIo.Benchmarks.Engine;

/// <summary>
/// Engine.IO v4 packet codec, one packet per operation: a WebSocket text frame <c>4…</c> (parse and write),
/// a binary frame, and a long-polling payload of 10 packets separated by <c>\x1e</c> (parse and write; the
/// figures are per payload).
/// </summary>
[MemoryDiagnoser]
public class EngineIoCodecBenchmark
{
    private static readonly byte[] TextFrame = Encoding.UTF8.GetBytes("""42["echo",{"i":12345,"t":1732240000123456,"s":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx","ok":true,"f":0.5}]""");
    private static readonly byte[] BinaryFrame = Enumerable.Range(0, 1024).Select(i => (byte)i).ToArray();
    private readonly ArrayBufferWriter<byte> _output = new(4096);
    private EnginePacket _message;
    private EnginePacket[] _batch = [];
    private byte[] _payload = [];

    [GlobalSetup]
    public void Setup()
    {
        _message = new EnginePacket(EnginePacketType.Message, TextFrame.AsMemory(1), false);
        _batch = Enumerable.Repeat(_message, 10).ToArray();
        var writer = new ArrayBufferWriter<byte>();
        PayloadCodecV4.Write(_batch, writer);
        _payload = writer.WrittenSpan.ToArray();
    }

    [Benchmark(Description = "parse WebSocket text frame")]
    public EnginePacket ParseTextFrame()
    {
        var frame = new ReadOnlySequence<byte>(TextFrame);
        EnginePacketCodec.TryParse(ref frame, isBinary: false, protocol: 4, out var packet, out _);
        return packet;
    }

    [Benchmark(Description = "parse WebSocket binary frame (1 KiB)")]
    public EnginePacket ParseBinaryFrame()
    {
        var frame = new ReadOnlySequence<byte>(BinaryFrame);
        EnginePacketCodec.TryParse(ref frame, isBinary: true, protocol: 4, out var packet, out _);
        return packet;
    }

    [Benchmark(Description = "write WebSocket text frame")]
    public int WriteTextFrame()
    {
        _output.ResetWrittenCount();
        EnginePacketCodec.WriteText(_message, 4, _output);
        return _output.WrittenCount;
    }

    [Benchmark(Description = "parse polling payload (10 packets)")]
    public int ParsePollingPayload()
    {
        var packets = new List<EnginePacket>(10);
        PayloadCodecV4.TryParseAll(new ReadOnlySequence<byte>(_payload), packets, out _);
        return packets.Count;
    }

    [Benchmark(Description = "write polling payload (10 packets)")]
    public int WritePollingPayload()
    {
        _output.ResetWrittenCount();
        PayloadCodecV4.Write(_batch, _output);
        return _output.WrittenCount;
    }
}
