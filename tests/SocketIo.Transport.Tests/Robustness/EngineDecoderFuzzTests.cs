using System.Buffers;
using SocketIo.Tests.Shared.Fuzzing;
using SocketIo.Transport.EngineIo.Protocol;
using Xunit.Abstractions;

namespace SocketIo.Transport.Tests.Robustness;

/// <summary>
/// Mutation fuzzing of the Engine.IO decoders (WebSocket frames, v4 and v3 polling payloads): no exception,
/// no hang, allocation proportional to the input, a clear error for every rejected input, and every accepted
/// input re-encodes to bytes that decode to the same packets. 100,000 inputs per decoder here;
/// scripts/fuzz.sh runs millions (FUZZ_ITERATIONS).
/// </summary>
public sealed class EngineDecoderFuzzTests(ITestOutputHelper output)
{
    private static readonly byte[][] TextCorpus =
    [
        .. new[]
        {
            "0", "1", "2", "3", "2probe", "3probe", "4", "4hello", "4hello €", "4[\"a\",1]", "5", "6", "bAQID", "b4AQID", "b",
            "4\u0000", "4\ud83d\ude00", "bAAECAwQFBgcICQ==",
        }.Select(Mutator.Utf8),
    ];

    private static readonly byte[][] V4PayloadCorpus =
    [
        .. new[]
        {
            "4hello", "4a\u001e4b", "4a\u001e4b\u001ebAQID", "2\u001e3\u001e4x", "6\u001e1", "4€\u001e4\ud83d\ude00", "\u001e",
        }.Select(Mutator.Utf8),
    ];

    private static readonly byte[][] V3TextPayloadCorpus =
    [
        .. new[] { "6:4hello", "1:2", "6:4hello2:4€", "1:6", "5:b4AQI", "10:b4AAECAwQ=1:2", "0:", "2:4a" }.Select(Mutator.Utf8),
    ];

    private static readonly byte[][] V3BinaryPayloadCorpus =
    [
        [0, 6, 0xFF, (byte)'4', (byte)'h', (byte)'e', (byte)'l', (byte)'l', (byte)'o'],
        [1, 4, 0xFF, 4, 1, 2, 3],
        [0, 1, 0xFF, (byte)'2', 1, 3, 0xFF, 4, 9, 8],
        [0, 1, 0, 0xFF, (byte)'4', .. Enumerable.Repeat((byte)'x', 10)],
    ];

    [Fact]
    public void Websocket_frame_decoder_survives_100k_mutated_frames()
    {
        var mutator = new Mutator(FuzzRunner.Seed, [.. TextCorpus, .. V3BinaryPayloadCorpus]);
        var report = FuzzRunner.Run("engine.io frame", mutator, input =>
        {
            var isBinary = mutator.Random.Next(4) == 0;
            var protocol = mutator.Random.Next(2) == 0 ? 3 : 4;
            var frame = mutator.AsSequence(input);
            if (!EnginePacketCodec.TryParse(ref frame, isBinary, protocol, out var packet, out var error))
            {
                Assert.NotEqual(EngineParseError.None, error);
                Assert.True(frame.IsEmpty);
                return "error:" + error;
            }

            Assert.Equal(EngineParseError.None, error);
            Assert.InRange((int)packet.Type, 0, 6);
            if (packet.IsBinary)
            {
                Assert.Equal(EnginePacketType.Message, packet.Type);
            }

            // Accepted frames re-encode to a frame that decodes to the same packet.
            var writer = new ArrayBufferWriter<byte>();
            var again = packet.IsBinary && isBinary ? EncodeBinary(packet, protocol, writer) : EncodeText(packet, protocol, writer);
            Assert.True(EnginePacketCodec.TryParse(ref again.Sequence, again.IsBinary, protocol, out var decoded, out _));
            AssertSame(packet, decoded);
            return "ok:" + packet.Type;
        });
        output.WriteLine(report.ToString());
        Assert.True(report.Count("ok:Message") > 1000, report.ToString());
        Assert.True(report.Outcomes.Keys.Count(k => k.StartsWith("error:", StringComparison.Ordinal)) >= 3, report.ToString());
    }

    [Fact]
    public void V4_payload_decoder_survives_100k_mutated_payloads()
    {
        var mutator = new Mutator(FuzzRunner.Seed + 1, [.. V4PayloadCorpus, .. TextCorpus]);
        var report = FuzzRunner.Run("engine.io v4 payload", mutator, input =>
        {
            var packets = new List<EnginePacket>();
            var ok = PayloadCodecV4.TryParseAll(mutator.AsSequence(input), packets, out var error);
            if (!ok)
            {
                Assert.NotEqual(EngineParseError.None, error);
                return "error:" + error;
            }

            Assert.NotEmpty(packets);
            var writer = new ArrayBufferWriter<byte>();
            PayloadCodecV4.Write(packets.ToArray(), writer);
            var again = new List<EnginePacket>();
            Assert.True(PayloadCodecV4.TryParseAll(new ReadOnlySequence<byte>(writer.WrittenMemory), again, out _));
            Assert.Equal(packets.Count, again.Count);
            for (var i = 0; i < packets.Count; i++)
            {
                AssertSame(packets[i], again[i]);
            }

            return packets.Count == 1 ? "ok:1 packet" : "ok:several packets";
        });
        output.WriteLine(report.ToString());
        Assert.True(report.Count("ok:several packets") > 1000, report.ToString());
    }

    [Fact]
    public void V3_payload_decoder_survives_100k_mutated_payloads()
    {
        var mutator = new Mutator(FuzzRunner.Seed + 2, [.. V3TextPayloadCorpus, .. V3BinaryPayloadCorpus]);
        var report = FuzzRunner.Run("engine.io v3 payload", mutator, input =>
        {
            var binary = input.Length > 0 && input[0] <= 1 ? mutator.Random.Next(8) != 0 : mutator.Random.Next(8) == 0;
            var packets = new List<EnginePacket>();
            var ok = PayloadCodecV3.TryParseAll(mutator.AsSequence(input), binary, packets, out var error);
            if (!ok)
            {
                Assert.NotEqual(EngineParseError.None, error);
                return "error:" + error;
            }

            if (packets.Count == 0)
            {
                // "0:" is the v3 empty payload (what the server itself writes when it has nothing).
                return "ok:empty payload";
            }

            var writer = new ArrayBufferWriter<byte>();
            var array = packets.ToArray();
            var supportsBinary = mutator.Random.Next(2) == 0;
            PayloadCodecV3.Write(array, supportsBinary, writer);
            var again = new List<EnginePacket>();
            Assert.True(PayloadCodecV3.TryParseAll(new ReadOnlySequence<byte>(writer.WrittenMemory), PayloadCodecV3.RequiresBinaryPayload(array, supportsBinary), again, out var againError), againError.ToString());
            Assert.Equal(packets.Count, again.Count);
            for (var i = 0; i < packets.Count; i++)
            {
                AssertSame(packets[i], again[i]);
            }

            return binary ? "ok:binary payload" : "ok:text payload";
        });
        output.WriteLine(report.ToString());
        Assert.True(report.Count("ok:text payload") > 500, report.ToString());
        Assert.True(report.Count("ok:binary payload") > 500, report.ToString());
    }

    [Fact]
    public void Huge_length_prefixes_and_endless_digit_runs_are_rejected_without_allocating_their_claim()
    {
        foreach (var payload in new[] { "99999999999:4x", "4294967296:4x", "2147483647:4x", new string('9', 100_000) + ":4" })
        {
            var bytes = Mutator.Utf8(payload);
            var packets = new List<EnginePacket>();
            var before = GC.GetAllocatedBytesForCurrentThread();
            Assert.False(PayloadCodecV3.TryParseAll(new ReadOnlySequence<byte>(bytes), false, packets, out var error));
            Assert.True(error is EngineParseError.InvalidLength or EngineParseError.LengthMismatch, error.ToString());
            Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 64 * 1024);
        }

        byte[] binary = [1, .. Enumerable.Repeat((byte)9, 11), 0xFF, 4];
        Assert.False(PayloadCodecV3.TryParseAll(new ReadOnlySequence<byte>(binary), true, new List<EnginePacket>(), out var binaryError));
        Assert.Equal(EngineParseError.InvalidLength, binaryError);
    }

    private static (ReadOnlySequence<byte> Sequence, bool IsBinary) EncodeText(EnginePacket packet, int protocol, ArrayBufferWriter<byte> writer)
    {
        EnginePacketCodec.WriteText(packet, protocol, writer);
        return (new ReadOnlySequence<byte>(writer.WrittenMemory), false);
    }

    private static (ReadOnlySequence<byte> Sequence, bool IsBinary) EncodeBinary(EnginePacket packet, int protocol, ArrayBufferWriter<byte> writer)
    {
        EnginePacketCodec.WriteBinary(packet, protocol, writer);
        return (new ReadOnlySequence<byte>(writer.WrittenMemory), true);
    }

    private static void AssertSame(EnginePacket expected, EnginePacket actual)
    {
        Assert.Equal(expected.Type, actual.Type);
        Assert.Equal(expected.IsBinary, actual.IsBinary);
        Assert.True(expected.Data.Span.SequenceEqual(actual.Data.Span), $"{expected.DataAsString()} != {actual.DataAsString()}");
    }
}
