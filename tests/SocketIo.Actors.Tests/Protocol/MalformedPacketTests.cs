using System.Text;
using SocketIo.Actors.Protocol;
using static SocketIo.Actors.Tests.Protocol.ProtocolTestSupport;

namespace SocketIo.Actors.Tests.Protocol;

public sealed class MalformedPacketTests
{
    [Theory]
    [InlineData("", ProtocolErrorCode.EmptyPacket)]
    [InlineData("7", ProtocolErrorCode.UnknownPacketType)]
    [InlineData("9[\"a\"]", ProtocolErrorCode.UnknownPacketType)]
    [InlineData("x", ProtocolErrorCode.UnknownPacketType)]
    [InlineData("[\"a\"]", ProtocolErrorCode.UnknownPacketType)]
    // attachments header
    [InlineData("5", ProtocolErrorCode.IllegalAttachments)]
    [InlineData("5-[\"a\"]", ProtocolErrorCode.IllegalAttachments)]
    [InlineData("51[\"a\"]", ProtocolErrorCode.IllegalAttachments)]
    [InlineData("5a-[\"a\"]", ProtocolErrorCode.IllegalAttachments)]
    [InlineData("6", ProtocolErrorCode.IllegalAttachments)]
    [InlineData("511-[\"a\"]", ProtocolErrorCode.AttachmentsExceedLimit)]
    [InlineData("599999999999999999999999-[\"a\"]", ProtocolErrorCode.AttachmentsExceedLimit)]
    // namespace: without a comma it runs to the end, so what follows is part of its name and no payload is left
    [InlineData("2/admin[\"a\"]", ProtocolErrorCode.InvalidPayload)]
    // ack id
    [InlineData("29223372036854775808[\"a\"]", ProtocolErrorCode.InvalidAckId)]
    [InlineData("2/admin,99999999999999999999999[\"a\"]", ProtocolErrorCode.InvalidAckId)]
    [InlineData("3[\"a\"]", ProtocolErrorCode.InvalidAckId)]
    [InlineData("3/admin,[]", ProtocolErrorCode.InvalidAckId)]
    [InlineData("012{}", ProtocolErrorCode.InvalidPayload)]
    [InlineData("15", ProtocolErrorCode.InvalidPayload)]
    [InlineData("412", ProtocolErrorCode.InvalidPayload)]
    // json
    [InlineData("2[\"some\",\"data\"", ProtocolErrorCode.InvalidJson)]
    [InlineData("2/admin,\"invalid", ProtocolErrorCode.InvalidJson)]
    [InlineData("2[\"a\",]", ProtocolErrorCode.InvalidJson)]
    [InlineData("2[\"a\"] x", ProtocolErrorCode.InvalidJson)]
    [InlineData("2[\"a\"][\"b\"]", ProtocolErrorCode.InvalidJson)]
    [InlineData("2[\"a\"/*c*/]", ProtocolErrorCode.InvalidJson)]
    [InlineData("2['a']", ProtocolErrorCode.InvalidJson)]
    [InlineData("2[\"a\",{b:1}]", ProtocolErrorCode.InvalidJson)]
    [InlineData("2[\"a\",NaN]", ProtocolErrorCode.InvalidJson)]
    [InlineData("2[\"a\",012]", ProtocolErrorCode.InvalidJson)]
    [InlineData("2[\"a\",0x1F]", ProtocolErrorCode.InvalidJson)]
    [InlineData("2[\"a\",undefined]", ProtocolErrorCode.InvalidJson)]
    [InlineData("2[\"a\",new Date(1)]", ProtocolErrorCode.InvalidJson)]
    [InlineData("2[\"a\\x41\"]", ProtocolErrorCode.InvalidJson)]
    [InlineData("2-[\"a\"]", ProtocolErrorCode.InvalidJson)]
    [InlineData("2 ", ProtocolErrorCode.InvalidJson)]
    // payload shape
    [InlineData("2", ProtocolErrorCode.InvalidPayload)]
    [InlineData("2/admin,", ProtocolErrorCode.InvalidPayload)]
    [InlineData("2[]", ProtocolErrorCode.InvalidPayload)]
    [InlineData("2{}", ProtocolErrorCode.InvalidPayload)]
    [InlineData("2/admin,{}", ProtocolErrorCode.InvalidPayload)]
    [InlineData("2\"hello\"", ProtocolErrorCode.InvalidPayload)]
    [InlineData("2[1,\"a\"]", ProtocolErrorCode.InvalidPayload)]
    [InlineData("2[true,\"foo\"]", ProtocolErrorCode.InvalidPayload)]
    [InlineData("2[null,\"bar\"]", ProtocolErrorCode.InvalidPayload)]
    [InlineData("2[{\"toString\":\"foo\"}]", ProtocolErrorCode.InvalidPayload)]
    [InlineData("2[[\"a\"]]", ProtocolErrorCode.InvalidPayload)]
    [InlineData("31{}", ProtocolErrorCode.InvalidPayload)]
    [InlineData("31\"a\"", ProtocolErrorCode.InvalidPayload)]
    [InlineData("31", ProtocolErrorCode.InvalidPayload)]
    [InlineData("0/admin,\"invalid\"", ProtocolErrorCode.InvalidPayload)]
    [InlineData("0[]", ProtocolErrorCode.InvalidPayload)]
    [InlineData("0\"x\"", ProtocolErrorCode.InvalidPayload)]
    [InlineData("1/admin,{}", ProtocolErrorCode.InvalidPayload)]
    [InlineData("1[]", ProtocolErrorCode.InvalidPayload)]
    [InlineData("4[]", ProtocolErrorCode.InvalidPayload)]
    [InlineData("442[\"some\",\"data\"", ProtocolErrorCode.InvalidPayload)]
    [InlineData("51-{}", ProtocolErrorCode.InvalidPayload)]
    [InlineData("61-1{\"_placeholder\":true,\"num\":0}", ProtocolErrorCode.InvalidPayload)]
    // placeholders
    [InlineData("51-[\"a\"]", ProtocolErrorCode.InvalidPlaceholder)]
    [InlineData("51-[\"a\",{\"_placeholder\":true,\"num\":1}]", ProtocolErrorCode.InvalidPlaceholder)]
    [InlineData("51-[\"a\",{\"_placeholder\":true,\"num\":-1}]", ProtocolErrorCode.InvalidPlaceholder)]
    [InlineData("51-[\"a\",{\"_placeholder\":true,\"num\":0.5}]", ProtocolErrorCode.InvalidPlaceholder)]
    [InlineData("51-[\"a\",{\"_placeholder\":true,\"num\":\"0\"}]", ProtocolErrorCode.InvalidPlaceholder)]
    [InlineData("51-[\"a\",{\"_placeholder\":true}]", ProtocolErrorCode.InvalidPlaceholder)]
    [InlineData("52-[\"a\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":0}]", ProtocolErrorCode.InvalidPlaceholder)]
    [InlineData("52-[\"a\",{\"_placeholder\":true,\"num\":0}]", ProtocolErrorCode.InvalidPlaceholder)]
    [InlineData("51-[\"a\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]", ProtocolErrorCode.InvalidPlaceholder)]
    [InlineData("50-[\"a\",{\"_placeholder\":true,\"num\":0}]", ProtocolErrorCode.InvalidPlaceholder)]
    [InlineData("61-3[{\"x\":[{\"_placeholder\":true,\"num\":99999999999999999999}]}]", ProtocolErrorCode.InvalidPlaceholder)]
    public void Malformed_v5_text_is_rejected_with_a_clear_error(string text, ProtocolErrorCode expected)
    {
        Assert.Equal(expected, DecodeError(text).Code);
    }

    [Theory]
    [InlineData("0{\"token\":\"x\"}", ProtocolErrorCode.InvalidPayload)]
    [InlineData("2/admin[\"a\"]", ProtocolErrorCode.InvalidPayload)]
    [InlineData("2[]", ProtocolErrorCode.InvalidPayload)]
    [InlineData("3/admin,1{}", ProtocolErrorCode.InvalidPayload)]
    [InlineData("7", ProtocolErrorCode.UnknownPacketType)]
    [InlineData("2[\"a\"", ProtocolErrorCode.InvalidJson)]
    public void Malformed_v4_text_is_rejected_with_a_clear_error(string text, ProtocolErrorCode expected)
    {
        Assert.Equal(expected, DecodeError(text, ProtocolVersion.V4).Code);
    }

    [Fact]
    public void Errors_carry_the_reference_messages()
    {
        Assert.Equal("invalid payload", DecodeError("2[]").Message);
        Assert.Equal("unknown packet type", DecodeError("9").Message);
        Assert.Equal("attachments count exceeds limit", DecodeError("599-[\"a\"]").Message);
    }

    [Fact]
    public void Attachment_limit_is_configurable()
    {
        var decoder = new SocketPacketDecoder(new SocketPacketDecoderOptions { MaxAttachments = 2 });
        Assert.Equal(ProtocolErrorCode.AttachmentsExceedLimit, DecodeError("53-[\"a\"]", decoder: decoder).Code);
        var ok = Decode("52-[\"a\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]", decoder: decoder);
        Assert.True(ok.NeedsMoreAttachments);
        Assert.Equal(2, ok.PendingAttachments);
    }

    [Fact]
    public void Out_of_range_limits_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SocketPacketDecoder(new SocketPacketDecoderOptions { MaxDepth = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SocketPacketDecoder(new SocketPacketDecoderOptions { MaxAttachments = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SocketPacketDecoder(new SocketPacketDecoderOptions { MaxTextLength = 0 }));
    }

    [Fact]
    public void Text_larger_than_the_limit_is_rejected()
    {
        var decoder = new SocketPacketDecoder(new SocketPacketDecoderOptions { MaxTextLength = 15 });
        Assert.True(Decode("2[\"0123456789\"]", decoder: decoder).IsCompleted);
        Assert.Equal(ProtocolErrorCode.PacketTooLarge, DecodeError("2[\"01234567890\"]", decoder: decoder).Code);
        var fromString = decoder.TryDecodeText("2[\"01234567890\"]", ProtocolVersion.V5, new BinaryReassembly());
        Assert.Equal(ProtocolErrorCode.PacketTooLarge, fromString.Error!.Code);
    }

    [Fact]
    public void Nesting_at_the_limit_is_accepted_and_one_more_is_rejected()
    {
        var decoder = new SocketPacketDecoder(new SocketPacketDecoderOptions { MaxDepth = 4 });
        Assert.True(Decode("2[\"a\",[[{\"b\":1}]]]", decoder: decoder).IsCompleted);
        Assert.Equal(ProtocolErrorCode.NestingTooDeep, DecodeError("2[\"a\",[[{\"b\":[1]}]]]", decoder: decoder).Code);
    }

    [Fact]
    public void Hostile_deep_nesting_is_rejected_without_recursion()
    {
        var deep = "2[\"a\"," + new string('[', 200_000) + new string(']', 200_000) + "]";
        Assert.Equal(ProtocolErrorCode.NestingTooDeep, DecodeError(deep).Code);

        var unclosed = "2[\"a\"," + new string('[', 100_000);
        Assert.Equal(ProtocolErrorCode.NestingTooDeep, DecodeError(unclosed).Code);

        var objects = "2[\"a\"," + string.Concat(Enumerable.Repeat("{\"k\":", 50_000)) + "1" + new string('}', 50_000) + "]";
        Assert.Equal(ProtocolErrorCode.NestingTooDeep, DecodeError(objects).Code);
    }

    [Fact]
    public void Default_depth_limit_is_thirty_two()
    {
        var ok = "2[\"a\"," + new string('[', 31) + new string(']', 31) + "]";
        Assert.True(Decode(ok).IsCompleted);
        var tooDeep = "2[\"a\"," + new string('[', 32) + new string(']', 32) + "]";
        Assert.Equal(ProtocolErrorCode.NestingTooDeep, DecodeError(tooDeep).Code);
    }

    [Fact]
    public void Invalid_utf8_is_rejected()
    {
        var state = new BinaryReassembly();
        byte[] inString = [.. "2[\""u8, 0xC3, 0x28, .. "\"]"u8];
        Assert.Equal(ProtocolErrorCode.InvalidUtf8, SocketPacketDecoder.Default.TryDecodeText(inString, ProtocolVersion.V5, state).Error!.Code);

        byte[] inEscapedString = [.. "2[\"\\n"u8, 0xFF, .. "\"]"u8];
        Assert.Equal(ProtocolErrorCode.InvalidUtf8, SocketPacketDecoder.Default.TryDecodeText(inEscapedString, ProtocolVersion.V5, state).Error!.Code);

        byte[] inNamespace = [.. "2/a"u8, 0xED, 0xA0, 0x80, .. ",[\"a\"]"u8];
        Assert.Equal(ProtocolErrorCode.InvalidUtf8, SocketPacketDecoder.Default.TryDecodeText(inNamespace, ProtocolVersion.V5, state).Error!.Code);

        var loneSurrogate = SocketPacketDecoder.Default.TryDecodeText("2[\"\ud800\"]", ProtocolVersion.V5, state);
        Assert.Equal(ProtocolErrorCode.InvalidUtf8, loneSurrogate.Error!.Code);

        byte[] outsideString = [.. "2[\"a\","u8, 0xC3, 0xA9, .. "]"u8];
        Assert.Equal(ProtocolErrorCode.InvalidJson, SocketPacketDecoder.Default.TryDecodeText(outsideString, ProtocolVersion.V5, state).Error!.Code);
    }

    [Fact]
    public void Random_garbage_never_throws()
    {
        var random = new Random(1234);
        var alphabet = "0123456789-/,[]{}\":.eE+ -abc_placeholdernum\\u\ud83d\ude00é";
        var decoder = new SocketPacketDecoder(new SocketPacketDecoderOptions { MaxAttachments = 3 });
        for (var i = 0; i < 20_000; i++)
        {
            var length = random.Next(0, 40);
            var text = new StringBuilder();
            text.Append((char)('0' + random.Next(0, 8)));
            for (var j = 0; j < length; j++)
            {
                text.Append(alphabet[random.Next(alphabet.Length)]);
            }

            var state = new BinaryReassembly();
            var result = decoder.TryDecodeText(Encoding.UTF8.GetBytes(text.ToString()), ProtocolVersion.V5, state);
            while (result.NeedsMoreAttachments)
            {
                result = decoder.TryAddAttachment([1, 2, 3], state);
            }

            Assert.True(result.IsCompleted || result.IsError);
            Assert.False(state.IsPending);
        }
    }
}
