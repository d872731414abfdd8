using BenchmarkDotNet.Attributes;
using Newtonsoft.Json.Linq;
using SocketIo.Actors.Protocol;

namespace SocketIo.Benchmarks.Protocol;

/// <summary>
/// Socket.IO packet encode and decode, one packet per operation: the echo path of the bench harness
/// (decode <c>42["echo",{…}]</c>, encode the ACK <c>43[{…}]</c>), an event with JSON arguments, and a binary
/// event with one 1 KiB attachment. MemoryDiagnoser gives the bytes allocated per packet.
/// </summary>
[MemoryDiagnoser]
public class SocketIoCodecBenchmark
{
    private readonly SocketPacketDecoder _decoder = SocketPacketDecoder.Default;
    private readonly SocketPacketEncoder _encoder = SocketPacketEncoder.Default;
    private readonly BinaryReassembly _reassembly = new();
    private object?[] _echoArgs = [];
    private object?[] _binaryArgs = [];
    private object?[] _tickArgs = [];

    [GlobalSetup]
    public void Setup()
    {
        _echoArgs = [.. Payloads.EchoArgs()];
        _binaryArgs = [new JObject { ["name"] = "a.bin" }, Payloads.Attachment];
        _tickArgs = [Payloads.Tick()];
    }

    [Benchmark(Description = "decode text event 42[\"echo\",{~100 B}]")]
    public SocketPacket? DecodeEchoEvent()
    {
        var result = _decoder.TryDecodeText(Payloads.EchoEventText, ProtocolVersion.V5, _reassembly);
        return result.Packet;
    }

    [Benchmark(Description = "decode binary event (header + 1 KiB attachment)")]
    public SocketPacket? DecodeBinaryEvent()
    {
        _decoder.TryDecodeText(Payloads.BinaryEventText, ProtocolVersion.V5, _reassembly);
        return _decoder.TryAddAttachment(Payloads.Attachment, _reassembly).Packet;
    }

    [Benchmark(Description = "encode ack 43[{~100 B}] (echo answer)")]
    public EncodedPacket EncodeEchoAck() => _encoder.EncodeAck("/", 42, _echoArgs);

    [Benchmark(Description = "encode event 42[\"tick\",{t,s,p}] (fanout broadcast)")]
    public EncodedPacket EncodeTickEvent() => _encoder.EncodeEvent("/", "tick", _tickArgs);

    [Benchmark(Description = "encode binary event (1 KiB attachment)")]
    public EncodedPacket EncodeBinaryEvent() => _encoder.EncodeEvent("/", "upload", _binaryArgs);
}
