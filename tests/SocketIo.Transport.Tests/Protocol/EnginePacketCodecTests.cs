using System.Buffers;
using System.Text;
using SocketIo.Transport.EngineIo.Protocol;
using static SocketIo.Transport.Tests.Protocol.CodecHelpers;

namespace SocketIo.Transport.Tests.Protocol;

public sealed class EnginePacketCodecTests
{
    [Theory]
    [InlineData(EnginePacketType.Open, "", "0")]
    [InlineData(EnginePacketType.Close, "", "1")]
    [InlineData(EnginePacketType.Ping, "", "2")]
    [InlineData(EnginePacketType.Ping, "probe", "2probe")]
    [InlineData(EnginePacketType.Pong, "probe", "3probe")]
    [InlineData(EnginePacketType.Message, "hello", "4hello")]
    [InlineData(EnginePacketType.Message, "€😀", "4€😀")]
    [InlineData(EnginePacketType.Upgrade, "", "5")]
    [InlineData(EnginePacketType.Noop, "", "6")]
    public void Every_packet_type_is_written_as_its_digit_then_the_data(EnginePacketType type, string data, string expected)
    {
        var packet = data.Length == 0 ? EnginePacket.Control(type) : EnginePacket.Text(type, data);
        Assert.Equal(expected, Text(packet, 4));
        Assert.Equal(expected, Text(packet, 3));
    }

    [Theory]
    [InlineData("0", EnginePacketType.Open, "")]
    [InlineData("1", EnginePacketType.Close, "")]
    [InlineData("2", EnginePacketType.Ping, "")]
    [InlineData("2probe", EnginePacketType.Ping, "probe")]
    [InlineData("3", EnginePacketType.Pong, "")]
    [InlineData("4hello", EnginePacketType.Message, "hello")]
    [InlineData("4€😀", EnginePacketType.Message, "€😀")]
    [InlineData("5", EnginePacketType.Upgrade, "")]
    [InlineData("6", EnginePacketType.Noop, "")]
    public void Every_packet_type_is_parsed_from_text(string wire, EnginePacketType type, string data)
    {
        foreach (var protocol in new[] { 3, 4 })
        {
            Assert.True(EnginePacketCodec.TryParseText(Seq(wire), protocol, out var packet, out var error));
            Assert.Equal(EngineParseError.None, error);
            Assert.Equal(type, packet.Type);
            Assert.False(packet.IsBinary);
            Assert.Equal(data, Encoding.UTF8.GetString(packet.Data.Span));
        }
    }

    [Fact]
    public void Binary_message_in_text_form_is_b_plus_base64_in_v4_and_b4_plus_base64_in_v3()
    {
        Assert.Equal("bAQID", Text(Bin(1, 2, 3), 4));
        Assert.Equal("b4AQID", Text(Bin(1, 2, 3), 3));
        Assert.Equal("b", Text(Bin(), 4));

        Assert.True(EnginePacketCodec.TryParseText(Seq("bAQID"), 4, out var v4, out _));
        Assert.True(v4.IsBinary);
        Assert.Equal(new byte[] { 1, 2, 3 }, v4.Data.ToArray());

        Assert.True(EnginePacketCodec.TryParseText(Seq("b4AQID"), 3, out var v3, out _));
        Assert.True(v3.IsBinary);
        Assert.Equal(EnginePacketType.Message, v3.Type);
        Assert.Equal(new byte[] { 1, 2, 3 }, v3.Data.ToArray());
    }

    [Fact]
    public void Binary_websocket_frames_are_raw_in_v4_and_prefixed_with_type_4_in_v3()
    {
        var v4 = new ArrayBufferWriter<byte>();
        EnginePacketCodec.WriteBinary(Bin(1, 2, 3), 4, v4);
        Assert.Equal(new byte[] { 1, 2, 3 }, v4.WrittenSpan.ToArray());

        var v3 = new ArrayBufferWriter<byte>();
        EnginePacketCodec.WriteBinary(Bin(1, 2, 3), 3, v3);
        Assert.Equal(new byte[] { 4, 1, 2, 3 }, v3.WrittenSpan.ToArray());

        var frame = Seq(new byte[] { 4, 1, 2, 3 });
        Assert.True(EnginePacketCodec.TryParse(ref frame, true, 3, out var parsed3, out _));
        Assert.True(frame.IsEmpty);
        Assert.Equal(new byte[] { 1, 2, 3 }, parsed3.Data.ToArray());

        frame = Seq(new byte[] { 4, 1, 2, 3 });
        Assert.True(EnginePacketCodec.TryParse(ref frame, true, 4, out var parsed4, out _));
        Assert.Equal(new byte[] { 4, 1, 2, 3 }, parsed4.Data.ToArray());
        Assert.True(parsed4.IsBinary);
    }

    [Theory]
    [InlineData("", 4, EngineParseError.Empty)]
    [InlineData("7", 4, EngineParseError.UnknownPacketType)]
    [InlineData("x", 4, EngineParseError.UnknownPacketType)]
    [InlineData("/", 4, EngineParseError.UnknownPacketType)]
    [InlineData("b!!!!", 4, EngineParseError.InvalidBase64)]
    [InlineData("bAQI", 4, EngineParseError.InvalidBase64)]
    [InlineData("bAQID=", 4, EngineParseError.InvalidBase64)]
    [InlineData("b", 3, EngineParseError.UnknownPacketType)]
    [InlineData("b2AQID", 3, EngineParseError.UnknownPacketType)]
    [InlineData("b4A", 3, EngineParseError.InvalidBase64)]
    public void Malformed_text_packets_get_a_clear_error(string wire, int protocol, EngineParseError expected)
    {
        Assert.False(EnginePacketCodec.TryParseText(Seq(wire), protocol, out _, out var error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public void Invalid_utf8_text_is_refused()
    {
        Assert.False(EnginePacketCodec.TryParseText(Seq(new byte[] { (byte)'4', 0xC3, 0x28 }), 4, out _, out var error));
        Assert.Equal(EngineParseError.InvalidUtf8, error);
    }

    [Fact]
    public void Malformed_v3_binary_frames_get_a_clear_error()
    {
        Assert.False(EnginePacketCodec.TryParseBinary(ReadOnlySequence<byte>.Empty, 3, out _, out var empty));
        Assert.Equal(EngineParseError.Empty, empty);
        Assert.False(EnginePacketCodec.TryParseBinary(Seq(new byte[] { 2, 1 }), 3, out _, out var type));
        Assert.Equal(EngineParseError.UnknownPacketType, type);
    }

    [Fact]
    public void Open_packet_json_matches_the_reference_field_order()
    {
        var v4 = new EngineOpenPacket("abc", ["websocket"], 25000, 20000, 1000000).ToPacket();
        Assert.Equal("0{\"sid\":\"abc\",\"upgrades\":[\"websocket\"],\"pingInterval\":25000,\"pingTimeout\":20000,\"maxPayload\":1000000}", Text(v4, 4));
        var v3 = new EngineOpenPacket("abc", [], 25000, 20000, null).ToPacket();
        Assert.Equal("0{\"sid\":\"abc\",\"upgrades\":[],\"pingInterval\":25000,\"pingTimeout\":20000}", Text(v3, 3));
    }

    [Fact]
    public void Utf16_length_counts_surrogate_pairs_as_two()
    {
        Assert.Equal(5, EnginePacketCodec.GetUtf16Length(Utf8("hello")));
        Assert.Equal(1, EnginePacketCodec.GetUtf16Length(Utf8("€")));
        Assert.Equal(2, EnginePacketCodec.GetUtf16Length(Utf8("😀")));
        Assert.Equal("a€😀é".Length, EnginePacketCodec.GetUtf16Length(Utf8("a€😀é")));
    }

    [Fact]
    public void Random_input_never_throws()
    {
        var random = new Random(1234);
        for (var i = 0; i < 3000; i++)
        {
            var bytes = new byte[random.Next(0, 24)];
            random.NextBytes(bytes);
            if (bytes.Length > 0 && random.Next(3) == 0)
            {
                bytes[0] = (byte)"0123456b"[random.Next(8)];
            }

            foreach (var sequence in new[] { Seq(bytes), Fragmented(bytes) })
            {
                foreach (var protocol in new[] { 3, 4 })
                {
                    EnginePacketCodec.TryParseText(sequence, protocol, out _, out _);
                    EnginePacketCodec.TryParseBinary(sequence, protocol, out _, out _);
                }

                PayloadCodecV4.TryParseAll(sequence, new List<EnginePacket>(), out _);
                PayloadCodecV3.TryParseAll(sequence, false, new List<EnginePacket>(), out _);
                PayloadCodecV3.TryParseAll(sequence, true, new List<EnginePacket>(), out _);
            }
        }
    }
}
