using Akka.TestKit;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace SocketIo.Actors.Tests.Server;

/// <summary>Emitting to one socket: encoding, binary, volatile, acks with and without timeouts, full queues.</summary>
public sealed class EmitSpec : ServerSpec
{
    [Fact]
    public async Task Emit_writes_the_event_packet()
    {
        var (client, socket) = await ConnectAsync();

        Assert.True(socket.Emit("hello", "world"));

        await client.ExpectPacketAsync("2[\"hello\",\"world\"]");
    }

    [Fact]
    public async Task Emit_serializes_objects_numbers_and_nulls()
    {
        var (client, socket) = await ConnectAsync();

        socket.Emit("data", new { a = 1, b = new[] { "x" } }, 1.5, null, true);
        socket.Send("hi");

        await client.ExpectPacketAsync("2[\"data\",{\"a\":1,\"b\":[\"x\"]},1.5,null,true]");
        await client.ExpectPacketAsync("2[\"message\",\"hi\"]");
    }

    [Fact]
    public async Task Emit_in_a_namespace_carries_its_prefix()
    {
        var client = NewClient();
        var admin = await JoinAsync(client, "/admin");

        admin.Emit("x");

        await client.ExpectPacketAsync("2/admin,[\"x\"]");
    }

    [Fact]
    public async Task Binary_arguments_go_out_as_placeholders_and_attachments()
    {
        var (client, socket) = await ConnectAsync();

        socket.Emit("b", new byte[] { 1, 2, 3 });

        var sent = await client.ExpectPacketAsync("51-[\"b\",{\"_placeholder\":true,\"num\":0}]");
        Assert.Equal([1, 2, 3], Assert.Single(sent.Attachments));
    }

    [Fact]
    public async Task Nested_binary_arguments_are_numbered_in_order()
    {
        var (client, socket) = await ConnectAsync();

        socket.Emit("files", new Dictionary<string, object> { ["a"] = new byte[] { 1 }, ["b"] = new ReadOnlyMemory<byte>([2, 2]) });

        var sent = await client.ExpectPacketAsync("52-[\"files\",{\"a\":{\"_placeholder\":true,\"num\":0},\"b\":{\"_placeholder\":true,\"num\":1}}]");
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
    public async Task Reserved_event_names_cannot_be_emitted(string name)
    {
        var (_, socket) = await ConnectAsync();

        Assert.Throws<ArgumentException>(() => socket.Emit(name));
        Assert.Throws<ArgumentException>(() => { _ = socket.EmitWithAck(name); });
        Assert.Throws<ArgumentException>(() => Server.Emit(name));
        Assert.Throws<ArgumentException>(() => socket.To("room").Emit(name));
    }

    [Fact]
    public async Task A_volatile_emit_is_dropped_while_the_transport_is_not_writable()
    {
        var (client, socket) = await ConnectAsync();
        client.Connection.Writable = false;

        Assert.False(socket.Volatile.Emit("position", 1));
        Assert.True(socket.Emit("important", 2));

        await client.ExpectPacketAsync("2[\"important\",2]");
    }

    [Fact]
    public async Task A_volatile_emit_is_queued_while_the_transport_is_writable()
    {
        var (client, socket) = await ConnectAsync();
        client.Connection.Writable = true;

        Assert.True(socket.Volatile.Emit("position", 1));

        await client.ExpectPacketAsync("2[\"position\",1]");
    }

    [Fact]
    public async Task Outgoing_catch_all_listeners_see_emitted_events()
    {
        var (client, socket) = await ConnectAsync();
        var seen = CreateTestProbe();
        socket.OnAnyOutgoing((name, args) => seen.Ref.Tell($"{name}:{args.ToString(Formatting.None)}", null));

        socket.Emit("out", 1, "two");

        await seen.ExpectMsgAsync("out:[1,\"two\"]");
        await client.ExpectPacketAsync("2[\"out\",1,\"two\"]");
    }

    [Fact]
    public async Task EmitWithAck_completes_with_the_arguments_of_the_client_s_ack()
    {
        var (client, socket) = await ConnectAsync();

        var answer = socket.EmitWithAck("question", 1);
        await client.ExpectPacketAsync("20[\"question\",1]");
        Assert.False(answer.IsCompleted);
        client.Send("30[\"yes\",{\"n\":2}]");

        Assert.Equal("[\"yes\",{\"n\":2}]", Await(answer).ToString(Formatting.None));
    }

    [Fact]
    public async Task EmitWithAck_ids_increase_and_acks_may_arrive_out_of_order()
    {
        var (client, socket) = await ConnectAsync();

        var first = socket.EmitWithAck("a");
        var second = socket.EmitWithAck("b");
        await client.ExpectPacketAsync("20[\"a\"]");
        await client.ExpectPacketAsync("21[\"b\"]");
        client.Send("31[\"second\"]");
        client.Send("30[\"first\"]");

        Assert.Equal("second", (string?)Await(second)[0]);
        Assert.Equal("first", (string?)Await(first)[0]);
    }

    [Fact]
    public async Task EmitWithAck_with_a_timeout_fails_when_the_clock_passes_it()
    {
        var (client, socket) = await ConnectAsync();

        var answer = socket.Timeout(TimeSpan.FromSeconds(5)).EmitWithAck("question");
        await client.ExpectPacketAsync("20[\"question\"]");
        Clock.Advance(TimeSpan.FromSeconds(4));
        Assert.False(answer.IsCompleted);
        Clock.Advance(TimeSpan.FromSeconds(1));

        var error = AwaitFailure<AckTimeoutException>(answer);
        Assert.Equal("operation has timed out", error.Message);
    }

    [Fact]
    public async Task A_late_ack_after_the_timeout_is_ignored()
    {
        var (client, socket) = await ConnectAsync();
        socket.On("marker", (JArray _, Ack? ack) => ack!());
        var answer = socket.Timeout(TimeSpan.FromSeconds(1)).EmitWithAck("question");
        await client.ExpectPacketAsync("20[\"question\"]");
        Clock.Advance(TimeSpan.FromSeconds(1));
        AwaitFailure<AckTimeoutException>(answer);

        client.Send("30[\"too late\"]");
        client.Send("21[\"marker\"]");

        await client.ExpectPacketAsync("31[]");
        Assert.True(socket.Connected);
        Assert.Contains(Logs.Entries, e => e.EventId == 2004);
    }

    [Fact]
    public async Task An_ack_in_time_stops_the_timeout()
    {
        var (client, socket) = await ConnectAsync();

        var answer = socket.Timeout(TimeSpan.FromSeconds(5)).EmitWithAck("question");
        await client.ExpectPacketAsync("20[\"question\"]");
        client.Send("30[\"ok\"]");
        Assert.Equal("ok", (string?)Await(answer)[0]);
        Clock.Advance(TimeSpan.FromSeconds(10));

        Assert.True(answer.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task A_binary_ack_from_the_client_completes_EmitWithAck_with_the_bytes()
    {
        var (client, socket) = await ConnectAsync();

        var answer = socket.EmitWithAck("download");
        await client.ExpectPacketAsync("20[\"download\"]");
        client.Send("61-0[{\"_placeholder\":true,\"num\":0},\"meta\"]");
        client.SendBinary(7, 8);

        var args = Await(answer);
        Assert.Equal([7, 8], (byte[])args[0]!);
        Assert.Equal("meta", (string?)args[1]);
    }

    [Fact]
    public async Task A_listener_may_ack_with_binary()
    {
        var (client, socket) = await ConnectAsync();
        socket.On("file", (JArray _, Ack? ack) => ack!(new byte[] { 4, 2 }));

        client.Send("25[\"file\"]");

        var sent = await client.ExpectPacketAsync("61-5[{\"_placeholder\":true,\"num\":0}]");
        Assert.Equal([4, 2], Assert.Single(sent.Attachments));
    }

    [Fact]
    public async Task A_v4_client_gets_events_and_acks_in_the_same_format()
    {
        var connections = ConnectionsOf("/");
        var client = NewClient(engineProtocol: 3);
        await client.ExpectPacketAsync("0");
        var socket = await connections.ExpectMsgAsync<Socket>();
        socket.On("echo", (JArray args, Ack? ack) => ack!([.. args]));

        client.Send("23[\"echo\",\"v4\"]");
        await client.ExpectPacketAsync("33[\"v4\"]");
        socket.Emit("hello", "world");
        await client.ExpectPacketAsync("2[\"hello\",\"world\"]");
        var answer = socket.EmitWithAck("q");
        await client.ExpectPacketAsync("20[\"q\"]");
        client.Send("30[true]");

        Assert.True((bool)Await(answer)[0]!);
    }

    [Fact]
    public async Task Disconnecting_fails_pending_acks_with_the_reason()
    {
        var (client, socket) = await ConnectAsync();
        var answer = socket.EmitWithAck("question");
        await client.ExpectPacketAsync("20[\"question\"]");

        client.Send("1");

        var error = AwaitFailure<SocketDisconnectedException>(answer);
        Assert.Equal("client namespace disconnect", error.Reason);
    }

    [Fact]
    public async Task EmitWithAck_on_a_disconnected_socket_fails_at_once()
    {
        var (client, socket) = await ConnectAsync();
        var watch = WatchDisconnect(socket);
        client.Handler.OnClose("transport close");
        await watch.FishForMessageAsync<string>(m => m.StartsWith("disconnect:", StringComparison.Ordinal));

        Assert.False(socket.Emit("nobody", "listens"));
        AwaitFailure<SocketDisconnectedException>(socket.EmitWithAck("question"));
    }

    [Fact]
    public async Task A_full_outbound_queue_closes_the_connection_and_disconnects_with_outbound_queue_full()
    {
        var (client, socket) = await ConnectAsync();
        var watch = WatchDisconnect(socket);
        client.Connection.QueueFull = true;

        Assert.False(socket.Emit("big", "payload"));

        Assert.Equal("2[\"big\",\"payload\"]", (await client.Wire.ExpectMsgAsync<SendRefused>()).Packet);
        await client.ExpectClosedAsync();
        await watch.ExpectMsgAsync("disconnecting:outbound queue full");
        await watch.ExpectMsgAsync("disconnect:outbound queue full");
        Assert.Contains(Logs.Entries, e => e.EventId == 2003);
        Assert.Equal(0, Server.ConnectionCount);
    }

    [Fact]
    public async Task A_full_outbound_queue_only_drops_a_volatile_packet()
    {
        var (client, socket) = await ConnectAsync();
        client.Connection.QueueFull = true;

        Assert.False(socket.Volatile.Emit("position", 1));

        await client.Wire.ExpectMsgAsync<SendRefused>();
        client.Connection.QueueFull = false;
        socket.Emit("still", "open");
        await client.ExpectPacketAsync("2[\"still\",\"open\"]");
        Assert.True(client.Connection.IsOpen);
        Assert.True(socket.Connected);
    }
}
