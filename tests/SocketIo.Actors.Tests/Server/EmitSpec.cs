using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace SocketIo.Actors.Tests.Server;

/// <summary>Emitting to one socket: encoding, binary, volatile, acks with and without timeouts, full queues.</summary>
public sealed class EmitSpec : ServerSpec
{
    [Fact]
    public void Emit_writes_the_event_packet()
    {
        var (client, socket) = Connect();

        Assert.True(socket.Emit("hello", "world"));

        client.ExpectPacket("2[\"hello\",\"world\"]");
    }

    [Fact]
    public void Emit_serializes_objects_numbers_and_nulls()
    {
        var (client, socket) = Connect();

        socket.Emit("data", new { a = 1, b = new[] { "x" } }, 1.5, null, true);
        socket.Send("hi");

        client.ExpectPacket("2[\"data\",{\"a\":1,\"b\":[\"x\"]},1.5,null,true]");
        client.ExpectPacket("2[\"message\",\"hi\"]");
    }

    [Fact]
    public void Emit_in_a_namespace_carries_its_prefix()
    {
        var client = NewClient();
        var admin = Join(client, "/admin");

        admin.Emit("x");

        client.ExpectPacket("2/admin,[\"x\"]");
    }

    [Fact]
    public void Binary_arguments_go_out_as_placeholders_and_attachments()
    {
        var (client, socket) = Connect();

        socket.Emit("b", new byte[] { 1, 2, 3 });

        var sent = client.ExpectPacket("51-[\"b\",{\"_placeholder\":true,\"num\":0}]");
        Assert.Equal([1, 2, 3], Assert.Single(sent.Attachments));
    }

    [Fact]
    public void Nested_binary_arguments_are_numbered_in_order()
    {
        var (client, socket) = Connect();

        socket.Emit("files", new Dictionary<string, object> { ["a"] = new byte[] { 1 }, ["b"] = new ReadOnlyMemory<byte>([2, 2]) });

        var sent = client.ExpectPacket("52-[\"files\",{\"a\":{\"_placeholder\":true,\"num\":0},\"b\":{\"_placeholder\":true,\"num\":1}}]");
        Assert.Equal(2, sent.Attachments.Count);
        Assert.Equal([1], sent.Attachments[0]);
        Assert.Equal([2, 2], sent.Attachments[1]);
    }

    [Theory]
    [InlineData("connect")]
    [InlineData("connect_error")]
    [InlineData("disconnect")]
    [InlineData("disconnecting")]
    [InlineData("newListener")]
    [InlineData("removeListener")]
    public void Reserved_event_names_cannot_be_emitted(string name)
    {
        var (_, socket) = Connect();

        Assert.Throws<ArgumentException>(() => socket.Emit(name));
        Assert.Throws<ArgumentException>(() => { _ = socket.EmitWithAck(name); });
        Assert.Throws<ArgumentException>(() => Server.Emit(name));
        Assert.Throws<ArgumentException>(() => socket.To("room").Emit(name));
    }

    [Fact]
    public void A_volatile_emit_is_dropped_while_the_transport_is_not_writable()
    {
        var (client, socket) = Connect();
        client.Connection.Writable = false;

        Assert.False(socket.Volatile.Emit("position", 1));
        Assert.True(socket.Emit("important", 2));

        client.ExpectPacket("2[\"important\",2]");
    }

    [Fact]
    public void A_volatile_emit_is_queued_while_the_transport_is_writable()
    {
        var (client, socket) = Connect();
        client.Connection.Writable = true;

        Assert.True(socket.Volatile.Emit("position", 1));

        client.ExpectPacket("2[\"position\",1]");
    }

    [Fact]
    public void Outgoing_catch_all_listeners_see_emitted_events()
    {
        var (client, socket) = Connect();
        var seen = CreateTestProbe();
        socket.OnAnyOutgoing((name, args) => seen.Ref.Tell($"{name}:{args.ToString(Formatting.None)}", null));

        socket.Emit("out", 1, "two");

        seen.ExpectMsg("out:[1,\"two\"]");
        client.ExpectPacket("2[\"out\",1,\"two\"]");
    }

    [Fact]
    public void EmitWithAck_completes_with_the_arguments_of_the_client_s_ack()
    {
        var (client, socket) = Connect();

        var answer = socket.EmitWithAck("question", 1);
        client.ExpectPacket("20[\"question\",1]");
        Assert.False(answer.IsCompleted);
        client.Send("30[\"yes\",{\"n\":2}]");

        Assert.Equal("[\"yes\",{\"n\":2}]", Await(answer).ToString(Formatting.None));
    }

    [Fact]
    public void EmitWithAck_ids_increase_and_acks_may_arrive_out_of_order()
    {
        var (client, socket) = Connect();

        var first = socket.EmitWithAck("a");
        var second = socket.EmitWithAck("b");
        client.ExpectPacket("20[\"a\"]");
        client.ExpectPacket("21[\"b\"]");
        client.Send("31[\"second\"]");
        client.Send("30[\"first\"]");

        Assert.Equal("second", (string?)Await(second)[0]);
        Assert.Equal("first", (string?)Await(first)[0]);
    }

    [Fact]
    public void EmitWithAck_with_a_timeout_fails_when_the_clock_passes_it()
    {
        var (client, socket) = Connect();

        var answer = socket.Timeout(TimeSpan.FromSeconds(5)).EmitWithAck("question");
        client.ExpectPacket("20[\"question\"]");
        Clock.Advance(TimeSpan.FromSeconds(4));
        Assert.False(answer.IsCompleted);
        Clock.Advance(TimeSpan.FromSeconds(1));

        var error = AwaitFailure<AckTimeoutException>(answer);
        Assert.Equal("operation has timed out", error.Message);
    }

    [Fact]
    public void A_late_ack_after_the_timeout_is_ignored()
    {
        var (client, socket) = Connect();
        socket.On("marker", (JArray _, Ack? ack) => ack!());
        var answer = socket.Timeout(TimeSpan.FromSeconds(1)).EmitWithAck("question");
        client.ExpectPacket("20[\"question\"]");
        Clock.Advance(TimeSpan.FromSeconds(1));
        AwaitFailure<AckTimeoutException>(answer);

        client.Send("30[\"too late\"]");
        client.Send("21[\"marker\"]");

        client.ExpectPacket("31[]");
        Assert.True(socket.Connected);
        Assert.Contains(Logs.Entries, e => e.EventId == 2004);
    }

    [Fact]
    public void An_ack_in_time_stops_the_timeout()
    {
        var (client, socket) = Connect();

        var answer = socket.Timeout(TimeSpan.FromSeconds(5)).EmitWithAck("question");
        client.ExpectPacket("20[\"question\"]");
        client.Send("30[\"ok\"]");
        Assert.Equal("ok", (string?)Await(answer)[0]);
        Clock.Advance(TimeSpan.FromSeconds(10));

        Assert.True(answer.IsCompletedSuccessfully);
    }

    [Fact]
    public void A_binary_ack_from_the_client_completes_EmitWithAck_with_the_bytes()
    {
        var (client, socket) = Connect();

        var answer = socket.EmitWithAck("download");
        client.ExpectPacket("20[\"download\"]");
        client.Send("61-0[{\"_placeholder\":true,\"num\":0},\"meta\"]");
        client.SendBinary(7, 8);

        var args = Await(answer);
        Assert.Equal([7, 8], (byte[])args[0]!);
        Assert.Equal("meta", (string?)args[1]);
    }

    [Fact]
    public void A_listener_may_ack_with_binary()
    {
        var (client, socket) = Connect();
        socket.On("file", (JArray _, Ack? ack) => ack!(new byte[] { 4, 2 }));

        client.Send("25[\"file\"]");

        var sent = client.ExpectPacket("61-5[{\"_placeholder\":true,\"num\":0}]");
        Assert.Equal([4, 2], Assert.Single(sent.Attachments));
    }

    [Fact]
    public void A_v4_client_gets_events_and_acks_in_the_same_format()
    {
        var connections = ConnectionsOf("/");
        var client = NewClient(engineProtocol: 3);
        client.ExpectPacket("0");
        var socket = connections.ExpectMsg<Socket>();
        socket.On("echo", (JArray args, Ack? ack) => ack!([.. args]));

        client.Send("23[\"echo\",\"v4\"]");
        client.ExpectPacket("33[\"v4\"]");
        socket.Emit("hello", "world");
        client.ExpectPacket("2[\"hello\",\"world\"]");
        var answer = socket.EmitWithAck("q");
        client.ExpectPacket("20[\"q\"]");
        client.Send("30[true]");

        Assert.True((bool)Await(answer)[0]!);
    }

    [Fact]
    public void Disconnecting_fails_pending_acks_with_the_reason()
    {
        var (client, socket) = Connect();
        var answer = socket.EmitWithAck("question");
        client.ExpectPacket("20[\"question\"]");

        client.Send("1");

        var error = AwaitFailure<SocketDisconnectedException>(answer);
        Assert.Equal("client namespace disconnect", error.Reason);
    }

    [Fact]
    public void EmitWithAck_on_a_disconnected_socket_fails_at_once()
    {
        var (client, socket) = Connect();
        var watch = WatchDisconnect(socket);
        client.Handler.OnClose("transport close");
        watch.FishForMessage<string>(m => m.StartsWith("disconnect:", StringComparison.Ordinal));

        Assert.False(socket.Emit("nobody", "listens"));
        AwaitFailure<SocketDisconnectedException>(socket.EmitWithAck("question"));
    }

    [Fact]
    public void A_full_outbound_queue_closes_the_connection_and_disconnects_with_outbound_queue_full()
    {
        var (client, socket) = Connect();
        var watch = WatchDisconnect(socket);
        client.Connection.QueueFull = true;

        Assert.False(socket.Emit("big", "payload"));

        Assert.Equal("2[\"big\",\"payload\"]", client.Wire.ExpectMsg<SendRefused>().Packet);
        client.ExpectClosed();
        watch.ExpectMsg("disconnecting:outbound queue full");
        watch.ExpectMsg("disconnect:outbound queue full");
        Assert.Contains(Logs.Entries, e => e.EventId == 2003);
        Assert.Equal(0, Server.ConnectionCount);
    }

    [Fact]
    public void A_full_outbound_queue_only_drops_a_volatile_packet()
    {
        var (client, socket) = Connect();
        client.Connection.QueueFull = true;

        Assert.False(socket.Volatile.Emit("position", 1));

        client.Wire.ExpectMsg<SendRefused>();
        client.Connection.QueueFull = false;
        socket.Emit("still", "open");
        client.ExpectPacket("2[\"still\",\"open\"]");
        Assert.True(client.Connection.IsOpen);
        Assert.True(socket.Connected);
    }
}
