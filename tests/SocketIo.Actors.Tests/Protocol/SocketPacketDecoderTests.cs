using Newtonsoft.Json.Linq;
using SocketIo.Actors.Protocol;
using static SocketIo.Actors.Tests.Protocol.ProtocolTestSupport;

namespace SocketIo.Actors.Tests.Protocol;

public sealed class SocketPacketDecoderTests
{
    [Fact]
    public void V5_connect_to_the_main_namespace_has_no_payload()
    {
        var packet = DecodeOk("0");
        Assert.Equal(SocketPacketType.Connect, packet.Type);
        Assert.Equal("/", packet.Namespace);
        Assert.Null(packet.Data);
        Assert.Null(packet.Id);
    }

    [Fact]
    public void V5_connect_carries_the_auth_object()
    {
        var packet = DecodeOk("0{\"token\":\"x\"}");
        Assert.Equal("/", packet.Namespace);
        Assert.Equal("{\"token\":\"x\"}", Json(packet.Data));
    }

    [Fact]
    public void V5_connect_to_a_namespace_carries_the_auth_object()
    {
        var packet = DecodeOk("0/admin,{\"token\":\"x\"}");
        Assert.Equal(SocketPacketType.Connect, packet.Type);
        Assert.Equal("/admin", packet.Namespace);
        Assert.Equal("{\"token\":\"x\"}", Json(packet.Data));
        Assert.Null(packet.Query);
    }

    [Fact]
    public void V5_connect_to_a_namespace_without_auth()
    {
        var packet = DecodeOk("0/admin,");
        Assert.Equal("/admin", packet.Namespace);
        Assert.Null(packet.Data);
    }

    [Fact]
    public void V5_keeps_a_question_mark_in_the_namespace_literal()
    {
        var packet = DecodeOk("0/admin?x=1,");
        Assert.Equal("/admin?x=1", packet.Namespace);
        Assert.Null(packet.Query);
    }

    [Fact]
    public void V5_accepts_a_unicode_namespace()
    {
        Assert.Equal("/ünï©ødé", DecodeOk("2/ünï©ødé,[\"a\"]").Namespace);
    }

    [Fact]
    public void V5_server_connect_answer_decodes_with_the_sid()
    {
        var packet = DecodeOk("0/admin,{\"sid\":\"oSO0OpakMV_3jnilAAAA\"}");
        Assert.Equal("oSO0OpakMV_3jnilAAAA", (string?)packet.Data!["sid"]);
    }

    [Fact]
    public void V4_connect_splits_the_query_from_the_namespace()
    {
        var packet = DecodeOk("0/admin?token=abc,", ProtocolVersion.V4);
        Assert.Equal(SocketPacketType.Connect, packet.Type);
        Assert.Equal("/admin", packet.Namespace);
        Assert.Equal("token=abc", packet.Query);
        Assert.Null(packet.Data);
    }

    [Fact]
    public void V4_connect_without_query_has_no_query()
    {
        var packet = DecodeOk("0/admin,", ProtocolVersion.V4);
        Assert.Equal("/admin", packet.Namespace);
        Assert.Null(packet.Query);
    }

    [Fact]
    public void V4_accepts_a_namespace_without_trailing_comma_as_old_clients_send_it()
    {
        var connect = DecodeOk("0/admin?token=abc", ProtocolVersion.V4);
        Assert.Equal("/admin", connect.Namespace);
        Assert.Equal("token=abc", connect.Query);

        var disconnect = DecodeOk("1/admin", ProtocolVersion.V4);
        Assert.Equal(SocketPacketType.Disconnect, disconnect.Type);
        Assert.Equal("/admin", disconnect.Namespace);
    }

    [Fact]
    public void V5_namespace_runs_to_the_end_of_the_packet_without_a_comma()
    {
        var connect = DecodeOk("0/custom");
        Assert.Equal(SocketPacketType.Connect, connect.Type);
        Assert.Equal("/custom", connect.Namespace);
        Assert.Null(connect.Data);

        var disconnect = DecodeOk("1/custom");
        Assert.Equal(SocketPacketType.Disconnect, disconnect.Type);
        Assert.Equal("/custom", disconnect.Namespace);
    }

    [Fact]
    public void V4_connect_with_a_payload_is_rejected()
    {
        Assert.Equal(ProtocolErrorCode.InvalidPayload, DecodeError("0/admin,{\"token\":\"x\"}", ProtocolVersion.V4).Code);
    }

    [Fact]
    public void V4_main_namespace_connect_is_a_bare_zero()
    {
        var packet = DecodeOk("0", ProtocolVersion.V4);
        Assert.Equal("/", packet.Namespace);
    }

    [Theory]
    [InlineData(ProtocolVersion.V5)]
    [InlineData(ProtocolVersion.V4)]
    public void Disconnect_from_the_main_namespace(ProtocolVersion version)
    {
        var packet = DecodeOk("1", version);
        Assert.Equal(SocketPacketType.Disconnect, packet.Type);
        Assert.Equal("/", packet.Namespace);
    }

    [Theory]
    [InlineData(ProtocolVersion.V5)]
    [InlineData(ProtocolVersion.V4)]
    public void Disconnect_from_a_namespace(ProtocolVersion version)
    {
        var packet = DecodeOk("1/admin,", version);
        Assert.Equal(SocketPacketType.Disconnect, packet.Type);
        Assert.Equal("/admin", packet.Namespace);
        Assert.Null(packet.Data);
    }

    [Theory]
    [InlineData(ProtocolVersion.V5)]
    [InlineData(ProtocolVersion.V4)]
    public void Event_on_the_main_namespace(ProtocolVersion version)
    {
        var packet = DecodeOk("2[\"hello\",\"world\"]", version);
        Assert.Equal(SocketPacketType.Event, packet.Type);
        Assert.Equal("/", packet.Namespace);
        Assert.Equal("hello", packet.EventName);
        Assert.Equal("[\"hello\",\"world\"]", Json(packet.Data));
        Assert.Null(packet.Id);
    }

    [Theory]
    [InlineData(ProtocolVersion.V5)]
    [InlineData(ProtocolVersion.V4)]
    public void Event_with_namespace_and_ack_id(ProtocolVersion version)
    {
        var packet = DecodeOk("2/admin,12[\"a\",1]", version);
        Assert.Equal(SocketPacketType.Event, packet.Type);
        Assert.Equal("/admin", packet.Namespace);
        Assert.Equal(12, packet.Id);
        Assert.Equal("[\"a\",1]", Json(packet.Data));
    }

    [Fact]
    public void Event_with_ack_id_on_the_main_namespace()
    {
        var packet = DecodeOk("212[\"foo\"]");
        Assert.Equal(12, packet.Id);
        Assert.Equal("foo", packet.EventName);
    }

    [Fact]
    public void Event_payload_keeps_date_strings_as_strings_and_key_order()
    {
        var packet = DecodeOk("2[\"d\",{\"z\":\"2020-01-02T03:04:05.000Z\",\"a\":1.5,\"m\":null}]");
        var obj = (JObject)packet.Data![1]!;
        Assert.Equal(JTokenType.String, obj["z"]!.Type);
        Assert.Equal(["z", "a", "m"], obj.Properties().Select(p => p.Name));
        Assert.Equal("[\"d\",{\"z\":\"2020-01-02T03:04:05.000Z\",\"a\":1.5,\"m\":null}]", Json(packet.Data));
    }

    [Fact]
    public void Event_numbers_follow_javascript()
    {
        var data = DecodeOk("2[\"n\",1,1.0,-0,12345678901234567890,1e2,0.1]").Data!;
        Assert.Equal(JTokenType.Integer, data[1]!.Type);
        Assert.Equal(1.0, (double)data[2]!);
        Assert.Equal(12345678901234567890d, (double)data[4]!);
        Assert.Equal(100d, (double)data[5]!);
    }

    [Fact]
    public void Duplicate_keys_keep_the_last_value_like_json_parse()
    {
        Assert.Equal("[\"e\",{\"a\":2}]", Json(DecodeOk("2[\"e\",{\"a\":1,\"a\":2}]").Data));
    }

    [Fact]
    public void Escaped_lone_surrogates_are_accepted_like_json_parse()
    {
        var name = (string)DecodeOk("2[\"\\ud83d\",\"\\u00e9\\n\\\"\"]").Data![0]!;
        Assert.Equal("\ud83d", name);
    }

    [Theory]
    [InlineData(ProtocolVersion.V5)]
    [InlineData(ProtocolVersion.V4)]
    public void Ack_with_namespace(ProtocolVersion version)
    {
        var packet = DecodeOk("3/admin,12[\"b\"]", version);
        Assert.Equal(SocketPacketType.Ack, packet.Type);
        Assert.Equal("/admin", packet.Namespace);
        Assert.Equal(12, packet.Id);
        Assert.Equal("[\"b\"]", Json(packet.Data));
    }

    [Fact]
    public void Ack_with_an_empty_array()
    {
        var packet = DecodeOk("31[]");
        Assert.Equal(SocketPacketType.Ack, packet.Type);
        Assert.Equal(1, packet.Id);
        Assert.Equal("[]", Json(packet.Data));
    }

    [Fact]
    public void V5_connect_error_carries_message_and_data()
    {
        var packet = DecodeOk("4{\"message\":\"Not authorized\",\"data\":{\"code\":42}}");
        Assert.Equal(SocketPacketType.ConnectError, packet.Type);
        Assert.Equal("Not authorized", (string?)packet.Data!["message"]);
        Assert.Equal(42, (int)packet.Data!["data"]!["code"]!);
    }

    [Fact]
    public void V4_error_carries_a_json_string()
    {
        var packet = DecodeOk("4\"Not authorized\"", ProtocolVersion.V4);
        Assert.Equal(SocketPacketType.ConnectError, packet.Type);
        Assert.Equal("Not authorized", (string?)packet.Data);

        var nsp = DecodeOk("4/admin,\"Invalid namespace\"", ProtocolVersion.V4);
        Assert.Equal("/admin", nsp.Namespace);
        Assert.Equal("Invalid namespace", (string?)nsp.Data);
    }

    [Fact]
    public void Binary_event_with_zero_attachments_completes_at_once_as_an_event()
    {
        var packet = DecodeOk("50-[\"hello\"]");
        Assert.Equal(SocketPacketType.Event, packet.Type);
        Assert.Equal(0, packet.Attachments);
    }

    [Fact]
    public void Placeholder_lookalikes_in_a_plain_event_are_left_alone()
    {
        var packet = DecodeOk("2[\"a\",{\"_placeholder\":true,\"num\":0}]");
        Assert.Equal("[\"a\",{\"_placeholder\":true,\"num\":0}]", Json(packet.Data));
    }

    [Fact]
    public void String_and_sequence_inputs_decode_like_bytes()
    {
        var fromString = SocketPacketDecoder.Default.TryDecodeText("2/a,3[\"x\"]", ProtocolVersion.V5, new BinaryReassembly());
        Assert.True(fromString.IsCompleted);
        Assert.Equal(3, fromString.Packet!.Id);

        var first = new Segment("2/a,"u8.ToArray());
        var last = first.Append("3[\"x\"]"u8.ToArray());
        var sequence = new System.Buffers.ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
        var fromSequence = SocketPacketDecoder.Default.TryDecodeText(sequence, ProtocolVersion.V5, new BinaryReassembly());
        Assert.True(fromSequence.IsCompleted);
        Assert.Equal("/a", fromSequence.Packet!.Namespace);
        Assert.Equal("[\"x\"]", Json(fromSequence.Packet.Data));
    }

    [Fact]
    public void Reserved_event_names_are_recognised()
    {
        foreach (var name in new[] { "connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener" })
        {
            Assert.True(SocketPacket.IsReservedEventName(name), name);
        }

        Assert.False(SocketPacket.IsReservedEventName("message"));
        Assert.False(SocketPacket.IsReservedEventName("Connect"));
    }

    private sealed class Segment : System.Buffers.ReadOnlySequenceSegment<byte>
    {
        public Segment(byte[] data) => Memory = data;

        public Segment Append(byte[] data)
        {
            var next = new Segment(data) { RunningIndex = RunningIndex + Memory.Length };
            Next = next;
            return next;
        }
    }
}
