using System.Text;
using SocketIo.Transport.EngineIo.Protocol;
using static SocketIo.Transport.Tests.Protocol.CodecHelpers;

namespace SocketIo.Transport.Tests.Protocol;

public sealed class PayloadCodecV3Tests
{
    [Fact]
    public void String_payload_prefixes_each_packet_with_its_utf16_length()
    {
        Assert.Equal("6:4hello4:4€€€", Encoding.UTF8.GetString(WriteV3(true, Msg("hello"), Msg("€€€"))));
        Assert.Equal("2:4€", Encoding.UTF8.GetString(WriteV3(true, Msg("€"))));
        Assert.Equal("3:4😀", Encoding.UTF8.GetString(WriteV3(true, Msg("😀"))));
        Assert.Equal("1:21:6", Encoding.UTF8.GetString(WriteV3(true, EnginePacket.Control(EnginePacketType.Ping), EnginePacket.Control(EnginePacketType.Noop))));
        Assert.Equal("0:", Encoding.UTF8.GetString(WriteV3(true)));
    }

    [Fact]
    public void Binary_is_base64_in_a_string_payload_when_the_client_asked_for_b64()
    {
        Assert.Equal("6:4hello6:b4AQID", Encoding.UTF8.GetString(WriteV3(false, Msg("hello"), Bin(1, 2, 3))));
    }

    [Fact]
    public void Binary_payload_uses_markers_digit_bytes_and_0xFF()
    {
        // The reference parser's changelog example.
        Assert.Equal(
            new byte[] { 0x00, 0x06, 0xFF, 0x34, 0x68, 0x65, 0x6C, 0x6C, 0x6F, 0x01, 0x04, 0xFF, 0x04, 0x01, 0x02, 0x03 },
            WriteV3(true, Msg("hello"), Bin(1, 2, 3)));

        // String entries count UTF-8 bytes: "4€" is 4 bytes; a 12-byte binary entry has the digits 1 and 3.
        var large = Enumerable.Range(0, 12).Select(i => (byte)i).ToArray();
        Assert.Equal(
            new byte[] { 0x00, 0x04, 0xFF, 0x34, 0xE2, 0x82, 0xAC, 0x01, 0x01, 0x03, 0xFF, 0x04 }.Concat(large).ToArray(),
            WriteV3(true, Msg("€"), Bin(large)));
    }

    [Fact]
    public void String_payload_is_parsed_with_utf16_lengths()
    {
        var wire = Utf8("6:4hello4:4€€€3:4😀6:b4AQID0:1:2");
        foreach (var sequence in new[] { Seq(wire), Fragmented(wire) })
        {
            var packets = new List<EnginePacket>();
            Assert.True(PayloadCodecV3.TryParseAll(sequence, false, packets, out var error), error.ToString());
            Assert.Equal(5, packets.Count);
            Assert.Equal("hello", packets[0].DataAsString());
            Assert.Equal("€€€", packets[1].DataAsString());
            Assert.Equal("😀", packets[2].DataAsString());
            Assert.Equal(new byte[] { 1, 2, 3 }, packets[3].Data.ToArray());
            Assert.Equal(EnginePacketType.Ping, packets[4].Type);
        }
    }

    [Fact]
    public void Binary_payload_is_parsed()
    {
        var wire = new byte[] { 0x00, 0x06, 0xFF, 0x34, 0x68, 0x65, 0x6C, 0x6C, 0x6F, 0x01, 0x04, 0xFF, 0x04, 0x01, 0x02, 0x03, 0x00, 0x04, 0xFF, 0x34, 0xE2, 0x82, 0xAC };
        foreach (var sequence in new[] { Seq(wire), Fragmented(wire) })
        {
            var packets = new List<EnginePacket>();
            Assert.True(PayloadCodecV3.TryParseAll(sequence, true, packets, out var error), error.ToString());
            Assert.Equal(3, packets.Count);
            Assert.Equal("hello", packets[0].DataAsString());
            Assert.True(packets[1].IsBinary);
            Assert.Equal(new byte[] { 1, 2, 3 }, packets[1].Data.ToArray());
            Assert.Equal("€", packets[2].DataAsString());
        }
    }

    [Theory]
    [InlineData("", EngineParseError.Empty, 0)]
    [InlineData("4hello", EngineParseError.InvalidLength, 0)]
    [InlineData(":4", EngineParseError.InvalidLength, 0)]
    [InlineData("a:4", EngineParseError.InvalidLength, 0)]
    [InlineData("99999999999:4", EngineParseError.InvalidLength, 0)]
    [InlineData("10:4hello", EngineParseError.LengthMismatch, 0)]
    [InlineData("5:4hello", EngineParseError.InvalidLength, 1)]
    [InlineData("2:4😀", EngineParseError.LengthMismatch, 0)]
    [InlineData("2:x1", EngineParseError.UnknownPacketType, 0)]
    [InlineData("2:4a6:b4AQI!", EngineParseError.InvalidBase64, 1)]
    public void Malformed_string_payloads_report_an_error(string wire, EngineParseError expected, int goodPackets)
    {
        var packets = new List<EnginePacket>();
        Assert.False(PayloadCodecV3.TryParseAll(Seq(wire), false, packets, out var error));
        Assert.Equal(expected, error);
        Assert.Equal(goodPackets, packets.Count);
    }

    [Theory]
    [InlineData(new byte[] { 0x02, 0x01, 0xFF, 0x34 }, EngineParseError.InvalidPayloadMarker)]
    [InlineData(new byte[] { 0x00, 0x0A, 0xFF, 0x34 }, EngineParseError.InvalidLength)]
    [InlineData(new byte[] { 0x00, 0x01, 0x34 }, EngineParseError.InvalidLength)]
    [InlineData(new byte[] { 0x00, 0xFF, 0x34 }, EngineParseError.InvalidLength)]
    [InlineData(new byte[] { 0x00, 0x09, 0xFF, 0x34 }, EngineParseError.LengthMismatch)]
    [InlineData(new byte[] { 0x01, 0x02, 0xFF, 0x02, 0x01 }, EngineParseError.UnknownPacketType)]
    [InlineData(new byte[] { 0x00, 0x02, 0xFF, 0x34, 0xFF }, EngineParseError.InvalidUtf8)]
    [InlineData(new byte[] { 0x00, 0x00, 0xFF }, EngineParseError.Empty)]
    public void Malformed_binary_payloads_report_an_error(byte[] wire, EngineParseError expected)
    {
        var packets = new List<EnginePacket>();
        Assert.False(PayloadCodecV3.TryParseAll(Seq(wire), true, packets, out var error));
        Assert.Equal(expected, error);
    }
}
