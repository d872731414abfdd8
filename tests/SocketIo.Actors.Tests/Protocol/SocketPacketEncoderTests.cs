using System.Buffers;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using SocketIo.Actors.Protocol;
using static SocketIo.Actors.Tests.Protocol.ProtocolTestSupport;

namespace SocketIo.Actors.Tests.Protocol;

public sealed class SocketPacketEncoderTests
{
    private static readonly SocketPacketEncoder Encoder = SocketPacketEncoder.Default;

    private static string Encode(SocketPacket packet) => Text(Encoder.Encode(packet));

    [Fact]
    public void Connect_to_the_main_namespace_is_a_bare_zero()
    {
        Assert.Equal("0", Encode(SocketPacket.Connect("/")));
        Assert.Equal("0", Encode(SocketPacket.ConnectAccepted("/", "abc", ProtocolVersion.V4)));
    }

    [Fact]
    public void V5_connect_answer_carries_the_sid()
    {
        Assert.Equal("0{\"sid\":\"wZX3oN0bSVIhsaknAAAI\"}", Encode(SocketPacket.ConnectAccepted("/", "wZX3oN0bSVIhsaknAAAI", ProtocolVersion.V5)));
        Assert.Equal("0/admin,{\"sid\":\"oSO0OpakMV_3jnilAAAA\"}", Encode(SocketPacket.ConnectAccepted("/admin", "oSO0OpakMV_3jnilAAAA", ProtocolVersion.V5)));
        Assert.Equal("0/admin,{\"sid\":\"s\",\"pid\":\"p\"}", Encode(SocketPacket.ConnectAccepted("/admin", "s", ProtocolVersion.V5, pid: "p")));
    }

    [Theory]
    [InlineData(9L)]
    [InlineData(10L)]
    [InlineData(999_999_999_999_999L)]
    [InlineData(1_000_000_000_000_000L)]
    [InlineData(long.MaxValue)]
    public void Ack_ids_of_any_length_are_written_digit_for_digit(long id)
    {
        Assert.Equal($"3{id}[\"x\"]", Encode(SocketPacket.Ack("/", id, new JArray("x"))));
        Assert.Equal($"2{id}[\"e\"]", SocketPacketEncoder.Default.EncodeEvent("/", "e", [], id).TextAsString());
    }

    [Fact]
    public void V4_connect_answer_has_no_payload()
    {
        Assert.Equal("0/admin,", Encode(SocketPacket.ConnectAccepted("/admin", "ignored", ProtocolVersion.V4)));
    }

    [Fact]
    public void V5_client_connect_with_auth()
    {
        Assert.Equal("0{\"token\":\"x\"}", Encode(SocketPacket.Connect("/", new JObject { ["token"] = "x" })));
        Assert.Equal("0/admin,{\"token\":\"x\"}", Encode(SocketPacket.Connect("/admin", new JObject { ["token"] = "x" })));
    }

    [Fact]
    public void V4_client_connect_with_query()
    {
        Assert.Equal("0/admin?token=abc,", Encode(SocketPacket.Connect("/admin") with { Query = "token=abc" }));
    }

    [Fact]
    public void Disconnect_packets()
    {
        Assert.Equal("1", Encode(SocketPacket.Disconnect("/")));
        Assert.Equal("1/admin,", Encode(SocketPacket.Disconnect("/admin")));
    }

    [Fact]
    public void Event_packets()
    {
        Assert.Equal("2[\"hello\",\"world\"]", Encode(SocketPacket.Event("/", new JArray("hello", "world"))));
        Assert.Equal("2/admin,12[\"a\",1]", Encode(SocketPacket.Event("/admin", new JArray("a", 1), 12)));
        Assert.Equal("212[\"foo\"]", Encode(SocketPacket.Event("/", new JArray("foo"), 12)));
        Assert.Equal("2/admin,456[\"project:delete\",123]", Encode(SocketPacket.Event("/admin", new JArray("project:delete", 123), 456)));
    }

    [Fact]
    public void Ack_packets()
    {
        Assert.Equal("3/admin,12[\"b\"]", Encode(SocketPacket.Ack("/admin", 12, new JArray("b"))));
        Assert.Equal("31[]", Encode(SocketPacket.Ack("/", 1, new JArray())));
        Assert.Equal("3/admin,456[]", Encode(SocketPacket.Ack("/admin", 456, new JArray())));
    }

    [Fact]
    public void V5_connect_error_is_an_object()
    {
        Assert.Equal("4{\"message\":\"Not authorized\"}", Encode(SocketPacket.ConnectError("/", "Not authorized", ProtocolVersion.V5)));
        Assert.Equal(
            "4/admin,{\"message\":\"Not authorized\",\"data\":{\"code\":42}}",
            Encode(SocketPacket.ConnectError("/admin", "Not authorized", ProtocolVersion.V5, new JObject { ["code"] = 42 })));
    }

    [Fact]
    public void V4_error_is_a_json_string()
    {
        Assert.Equal("4\"Not authorized\"", Encode(SocketPacket.ConnectError("/", "Not authorized", ProtocolVersion.V4)));
        Assert.Equal("4/admin,\"Invalid namespace\"", Encode(SocketPacket.ConnectError("/admin", "Invalid namespace", ProtocolVersion.V4)));
    }

    [Fact]
    public void Binary_event_gets_a_placeholder_and_an_attachment()
    {
        byte[] payload = [1, 2, 3, 4];
        var encoded = Encoder.Encode(SocketPacket.Event("/", new JArray("hello", payload)));
        Assert.Equal("51-[\"hello\",{\"_placeholder\":true,\"num\":0}]", Text(encoded));
        Assert.Equal(SocketPacketType.BinaryEvent, encoded.Type);
        Assert.Single(encoded.Attachments);
        Assert.Equal(payload, encoded.Attachments[0].ToArray());
    }

    [Fact]
    public void Binary_event_with_namespace_and_several_attachments_keeps_order()
    {
        var encoded = Encoder.Encode(SocketPacket.Event("/admin", new JArray("baz", new byte[] { 1, 2 }, new byte[] { 3, 4 })));
        Assert.Equal("52-/admin,[\"baz\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]", Text(encoded));
        Assert.Equal(new byte[] { 1, 2 }, encoded.Attachments[0].ToArray());
        Assert.Equal(new byte[] { 3, 4 }, encoded.Attachments[1].ToArray());
    }

    [Fact]
    public void Binary_ack_with_namespace_and_id()
    {
        var encoded = Encoder.Encode(SocketPacket.Ack("/admin", 15, new JArray(new byte[] { 3, 2, 1 })));
        Assert.Equal("61-/admin,15[{\"_placeholder\":true,\"num\":0}]", Text(encoded));
        Assert.Equal(SocketPacketType.BinaryAck, encoded.Type);
        Assert.Equal("61-15[\"bar\",{\"_placeholder\":true,\"num\":0}]", Text(Encoder.Encode(SocketPacket.Ack("/", 15, new JArray("bar", new byte[] { 1 })))));
    }

    [Fact]
    public void Nested_binaries_are_numbered_depth_first()
    {
        var data = new JArray(
            "e",
            new JObject
            {
                ["a"] = new byte[] { 0 },
                ["b"] = new JArray { new JObject { ["deep"] = new JArray { new JArray { new byte[] { 1 } } } }, new byte[] { 2 } },
            },
            new byte[] { 3 });
        var encoded = Encoder.Encode(SocketPacket.Event("/", data, 7));
        Assert.Equal(
            "54-7[\"e\",{\"a\":{\"_placeholder\":true,\"num\":0},\"b\":[{\"deep\":[[{\"_placeholder\":true,\"num\":1}]]},{\"_placeholder\":true,\"num\":2}]},{\"_placeholder\":true,\"num\":3}]",
            Text(encoded));
        Assert.Equal(new byte[] { 0, 1, 2, 3 }, encoded.Attachments.Select(a => a.Span[0]));
    }

    [Fact]
    public void A_binary_type_without_binary_data_goes_out_plain()
    {
        Assert.Equal("2[\"a\"]", Encode(new SocketPacket(SocketPacketType.BinaryEvent, "/", new JArray("a"))));
        Assert.Equal("31[]", Encode(new SocketPacket(SocketPacketType.BinaryAck, "/", new JArray(), 1)));
    }

    [Fact]
    public void Event_from_arguments_of_every_kind()
    {
        var memory = new ReadOnlyMemory<byte>([9, 8, 7, 6], 1, 2);
        var encoded = Encoder.EncodeEvent("/chat", "msg", new object?[]
        {
            "text", 42, 4_000_000_000L, 1.5, 2.0, true, null, new JObject { ["k"] = "v" },
            new byte[] { 1 }, memory, new List<object?> { 1, "two", new byte[] { 2 } },
            new Dictionary<string, object?> { ["x"] = 1, ["bin"] = new ArraySegment<byte>([5, 5, 5], 1, 1) },
            new Poco { Name = "n", When = new DateTime(2020, 1, 2, 3, 4, 5, DateTimeKind.Utc), Blob = new byte[] { 3 }, Mem = new ReadOnlyMemory<byte>([4]) },
        }, ackId: 5);
        Assert.Equal(
            "56-/chat,5[\"msg\",\"text\",42,4000000000,1.5,2,true,null,{\"k\":\"v\"},"
            + "{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1},"
            + "[1,\"two\",{\"_placeholder\":true,\"num\":2}],"
            + "{\"x\":1,\"bin\":{\"_placeholder\":true,\"num\":3}},"
            + "{\"Name\":\"n\",\"When\":\"2020-01-02T03:04:05Z\",\"Blob\":{\"_placeholder\":true,\"num\":4},\"Mem\":{\"_placeholder\":true,\"num\":5},\"Nothing\":null}]",
            Text(encoded));
        Assert.Equal(new byte[][] { [1], [8, 7], [2], [5], [3], [4] }, encoded.Attachments.Select(a => a.ToArray()));
    }

    [Fact]
    public void Event_from_arguments_without_binary_is_a_plain_event()
    {
        Assert.Equal("2[\"hello\",\"world\"]", Text(Encoder.EncodeEvent("/", "hello", new object?[] { "world" })));
        Assert.Equal("2[\"ping\"]", Text(Encoder.EncodeEvent("/", "ping", [])));
    }

    [Fact]
    public void Ack_from_arguments()
    {
        Assert.Equal("3/admin,12[\"b\"]", Text(Encoder.EncodeAck("/admin", 12, new object?[] { "b" })));
        Assert.Equal("61-3[{\"_placeholder\":true,\"num\":0}]", Text(Encoder.EncodeAck("/", 3, new object?[] { new byte[] { 1 } })));
        Assert.Equal("30[]", Text(Encoder.EncodeAck("/", 0, [])));
    }

    [Fact]
    public void Write_to_a_buffer_writer_matches_encode()
    {
        var output = new ArrayBufferWriter<byte>();
        var attachments = new List<ReadOnlyMemory<byte>>();
        var type = Encoder.Write(SocketPacket.Event("/admin", new JArray("a", new byte[] { 1 }), 3), output, attachments);
        Assert.Equal(SocketPacketType.BinaryEvent, type);
        Assert.Equal("51-/admin,3[\"a\",{\"_placeholder\":true,\"num\":0}]", System.Text.Encoding.UTF8.GetString(output.WrittenSpan));
        Assert.Single(attachments);

        output.Clear();
        attachments.Clear();
        type = Encoder.WriteEvent("/", "e", new object?[] { 1 }, null, output, attachments);
        Assert.Equal(SocketPacketType.Event, type);
        Assert.Equal("2[\"e\",1]", System.Text.Encoding.UTF8.GetString(output.WrittenSpan));
        Assert.Empty(attachments);
    }

    [Fact]
    public void Numbers_print_as_javascript_prints_them()
    {
        var encoded = Encoder.EncodeEvent("/", "n", new object?[]
        {
            1.0, -0.0, 0.1 + 0.2, 1e21, 1e20, 123456789012345680000.0, 1e-7, 0.000001, 1.5e-10, -2.5e300,
            double.NaN, double.PositiveInfinity, 1.1f, 1.10m, 5e-324, double.MaxValue, 9007199254740993.0, 100m,
        });
        Assert.Equal(
            "2[\"n\",1,0,0.30000000000000004,1e+21,100000000000000000000,123456789012345680000,1e-7,0.000001,1.5e-10,-2.5e+300,"
            + "null,null,1.1,1.1,5e-324,1.7976931348623157e+308,9007199254740992,100]",
            Text(encoded));
    }

    [Fact]
    public void Numbers_read_from_the_wire_print_back_the_same()
    {
        var packet = DecodeOk("2[\"n\",1.0,1e2,-0,12345678901234567890,0.5,1E-7]");
        Assert.Equal("2[\"n\",1,100,0,12345678901234567000,0.5,1e-7]", Encode(packet));
    }

    [Fact]
    public void Strings_are_escaped_as_json_stringify_does()
    {
        var text = "q\"b\\s/\b\f\n\r\t\u0001\u001f\u007f é 😀 \u2028 \ud800x \udc00";
        var encoded = Encoder.EncodeEvent("/", text, []);
        Assert.Equal("2[\"q\\\"b\\\\s/\\b\\f\\n\\r\\t\\u0001\\u001f\u007f é 😀 \u2028 \\ud800x \\udc00\"]", Text(encoded));
        var back = DecodeOk(Text(encoded));
        Assert.Equal(text, back.EventName);
    }

    [Fact]
    public void Strings_that_look_like_dates_stay_strings()
    {
        var packet = DecodeOk("2[\"d\",\"2020-01-02T03:04:05.000Z\",{\"at\":\"2020-01-02T03:04:05+02:00\"}]");
        Assert.Equal("2[\"d\",\"2020-01-02T03:04:05.000Z\",{\"at\":\"2020-01-02T03:04:05+02:00\"}]", Encode(packet));
    }

    [Fact]
    public void Broadcast_encoding_is_shared_bytes()
    {
        var encoded = Encoder.EncodeEvent("/", "news", new object?[] { "x" });
        var first = encoded.Text;
        var second = encoded.Text;
        Assert.True(first.Span == second.Span);
    }

    [Fact]
    public void Invalid_packets_are_refused_by_the_encoder()
    {
        Assert.Throws<ArgumentException>(() => Encoder.Encode(SocketPacket.Event("/", new JArray())));
        Assert.Throws<ArgumentException>(() => Encoder.Encode(SocketPacket.Event("/", new JArray(1, "a"))));
        Assert.Throws<ArgumentException>(() => Encoder.Encode(new SocketPacket(SocketPacketType.Ack, "/", new JArray())));
        Assert.Throws<ArgumentException>(() => Encoder.Encode(new SocketPacket(SocketPacketType.Disconnect, "/", new JObject())));
        Assert.Throws<ArgumentException>(() => Encoder.Encode(new SocketPacket(SocketPacketType.Connect, "/", new JObject { ["b"] = new byte[] { 1 } })));
        Assert.Throws<ArgumentException>(() => Encoder.Encode(SocketPacket.Disconnect("/a,b")));
        Assert.Throws<ArgumentException>(() => Encoder.Encode(SocketPacket.Disconnect("/a\ud800")));
        Assert.Equal("1/ünï©ødé😀,", Encode(SocketPacket.Disconnect("/ünï©ødé😀")));
    }

    [Fact]
    public void Circular_arguments_throw_like_socket_io()
    {
        var loop = new Node();
        loop.Next = loop;
        Assert.Throws<JsonSerializationException>(() => Encoder.EncodeEvent("/", "e", new object?[] { loop }));
    }

    [Fact]
    public void Custom_serializer_settings_apply_to_pocos()
    {
        var encoder = new SocketPacketEncoder(new JsonSerializerSettings
        {
            NullValueHandling = NullValueHandling.Ignore,
            ContractResolver = new Newtonsoft.Json.Serialization.CamelCasePropertyNamesContractResolver(),
        });
        Assert.Equal(
            "51-[\"e\",{\"name\":\"n\",\"when\":\"0001-01-01T00:00:00\",\"mem\":{\"_placeholder\":true,\"num\":0}}]",
            Text(encoder.EncodeEvent("/", "e", new object?[] { new Poco { Name = "n", Mem = new ReadOnlyMemory<byte>([1]) } })));
    }

    private sealed class Poco
    {
        public string? Name { get; set; }

        public DateTime When { get; set; }

        public byte[]? Blob { get; set; }

        public ReadOnlyMemory<byte> Mem { get; set; }

        public string? Nothing { get; set; }
    }

    private sealed class Node
    {
        public Node? Next { get; set; }
    }
}
