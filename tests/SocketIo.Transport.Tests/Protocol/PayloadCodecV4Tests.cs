using System.Buffers;
using System.Text;
using SocketIo.Transport.EngineIo.Protocol;
using static SocketIo.Transport.Tests.Protocol.CodecHelpers;

namespace SocketIo.Transport.Tests.Protocol;

public sealed class PayloadCodecV4Tests
{
    [Fact]
    public void Packets_are_separated_by_the_record_separator()
    {
        Assert.Equal("4hello\u001e4€€€", WriteV4(Msg("hello"), Msg("€€€")));
        Assert.Equal("4hello\u001ebAQID", WriteV4(Msg("hello"), Bin(1, 2, 3)));
        Assert.Equal("2\u001e6\u001e1", WriteV4(EnginePacket.Control(EnginePacketType.Ping), EnginePacket.Control(EnginePacketType.Noop), EnginePacket.Control(EnginePacketType.Close)));
        Assert.Equal("6", WriteV4(EnginePacket.Control(EnginePacketType.Noop)));
    }

    [Fact]
    public void A_payload_is_parsed_packet_by_packet_even_across_segments()
    {
        var wire = Utf8("4hello\u001ebAQID\u001e2\u001e4€😀");
        foreach (var sequence in new[] { Seq(wire), Fragmented(wire) })
        {
            var packets = new List<EnginePacket>();
            Assert.True(PayloadCodecV4.TryParseAll(sequence, packets, out var error));
            Assert.Equal(EngineParseError.None, error);
            Assert.Equal(4, packets.Count);
            Assert.Equal("hello", packets[0].DataAsString());
            Assert.True(packets[1].IsBinary);
            Assert.Equal(new byte[] { 1, 2, 3 }, packets[1].Data.ToArray());
            Assert.Equal(EnginePacketType.Ping, packets[2].Type);
            Assert.Equal("€😀", Encoding.UTF8.GetString(packets[3].Data.Span));
        }
    }

    [Fact]
    public void The_ref_parser_consumes_one_packet_per_call()
    {
        var payload = Seq("4a\u001e4b");
        var state = default(PayloadParserState);
        Assert.True(PayloadCodecV4.TryParse(ref payload, ref state, out var first, out _));
        Assert.Equal("a", first.DataAsString());
        Assert.Equal("4b", Encoding.UTF8.GetString(payload.ToArray()));
        Assert.True(PayloadCodecV4.TryParse(ref payload, ref state, out var second, out _));
        Assert.Equal("b", second.DataAsString());
        Assert.False(PayloadCodecV4.TryParse(ref payload, ref state, out _, out var end));
        Assert.Equal(EngineParseError.None, end);
    }

    [Theory]
    [InlineData("", EngineParseError.Empty, 0)]
    [InlineData("4a\u001e", EngineParseError.Empty, 1)]
    [InlineData("\u001e4a", EngineParseError.Empty, 0)]
    [InlineData("4a\u001e\u001e4b", EngineParseError.Empty, 1)]
    [InlineData("4a\u001ex", EngineParseError.UnknownPacketType, 1)]
    [InlineData("4a\u001eb#", EngineParseError.InvalidBase64, 1)]
    [InlineData("8", EngineParseError.UnknownPacketType, 0)]
    public void Malformed_payloads_report_an_error_after_the_good_packets(string wire, EngineParseError expected, int goodPackets)
    {
        var packets = new List<EnginePacket>();
        Assert.False(PayloadCodecV4.TryParseAll(Seq(wire), packets, out var error));
        Assert.Equal(expected, error);
        Assert.Equal(goodPackets, packets.Count);
    }
}
