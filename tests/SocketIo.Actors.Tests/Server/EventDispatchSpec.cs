using Akka.TestKit;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace SocketIo.Actors.Tests.Server;

/// <summary>Inbound events: listeners, acks, catch-all listeners, packet middlewares and failures.</summary>
public sealed class EventDispatchSpec : ServerSpec
{
    [Fact]
    public async Task An_event_with_an_ack_id_is_answered_with_the_listener_s_ack_arguments()
    {
        var (client, socket) = await ConnectAsync();
        socket.On("echo", (JArray args, Ack? ack) => ack!([.. args]));

        client.Send("21[\"echo\",1,\"a\"]");

        await client.ExpectPacketAsync("31[1,\"a\"]");
    }

    [Fact]
    public async Task An_ack_is_sent_once_even_when_the_listener_calls_it_twice()
    {
        var (client, socket) = await ConnectAsync();
        socket.On("echo", (JArray args, Ack? ack) =>
        {
            ack!("first");
            ack("second");
        });

        socket.On("marker", (JArray _, Ack? ack) => ack!());

        client.Send("27[\"echo\"]");
        client.Send("28[\"marker\"]");

        await client.ExpectPacketAsync("37[\"first\"]");
        await client.ExpectPacketAsync("38[]");
    }

    [Fact]
    public async Task An_event_in_another_namespace_is_acked_with_the_namespace_prefix()
    {
        var client = NewClient();
        await JoinAsync(client, "/");
        var admin = await JoinAsync(client, "/admin");
        admin.On<string>("hi", (name, ack) => ack!("hello " + name));

        client.Send("2/admin,5[\"hi\",\"bob\"]");

        await client.ExpectPacketAsync("3/admin,5[\"hello bob\"]");
    }

    [Fact]
    public async Task A_listener_without_ack_id_gets_no_ack_callback()
    {
        var (client, socket) = await ConnectAsync();
        var seen = CreateTestProbe();
        socket.On("ping", (JArray _, Ack? ack) => seen.Ref.Tell(ack is null ? "no ack" : "ack", null));

        client.Send("2[\"ping\"]");

        await seen.ExpectMsgAsync("no ack");
    }

    [Fact]
    public async Task Typed_listeners_receive_deserialized_arguments()
    {
        var (client, socket) = await ConnectAsync();
        var seen = CreateTestProbe();
        socket.On<int, string>("pair", (n, s) => seen.Ref.Tell($"{n}:{s}", null));
        socket.On<Point>("point", p => seen.Ref.Tell(p, null));
        socket.On<int, string, bool>("three", (n, s, b) => seen.Ref.Tell($"{n}:{s}:{b}", null));

        client.Send("2[\"pair\",42,\"x\"]");
        client.Send("2[\"point\",{\"X\":1,\"Y\":2}]");
        client.Send("2[\"three\",7]");

        await seen.ExpectMsgAsync("42:x");
        await seen.ExpectMsgAsync(new Point(1, 2));
        await seen.ExpectMsgAsync("7::False");
    }

    [Fact]
    public async Task Catch_all_listeners_see_every_event_before_its_own_listeners()
    {
        var (client, socket) = await ConnectAsync();
        var seen = CreateTestProbe();
        socket.OnAny((name, args) => seen.Ref.Tell($"any:{name}:{args.ToString(Formatting.None)}", null));
        socket.PrependAny((name, _) => seen.Ref.Tell($"first:{name}", null));
        socket.On("chat", (JArray args) => seen.Ref.Tell("chat:" + args[0], null));

        client.Send("2[\"chat\",\"hi\"]");
        client.Send("2[\"unheard\",{\"a\":1}]");

        await seen.ExpectMsgAsync("first:chat");
        await seen.ExpectMsgAsync("any:chat:[\"hi\"]");
        await seen.ExpectMsgAsync("chat:hi");
        await seen.ExpectMsgAsync("first:unheard");
        await seen.ExpectMsgAsync("any:unheard:[{\"a\":1}]");
    }

    [Fact]
    public async Task A_once_listener_runs_for_the_first_event_only()
    {
        var (client, socket) = await ConnectAsync();
        var seen = CreateTestProbe();
        socket.Once("tick", (JArray args) => seen.Ref.Tell("once:" + args[0], null));
        socket.On("tick", (JArray args) => seen.Ref.Tell("on:" + args[0], null));

        client.Send("2[\"tick\",1]");
        client.Send("2[\"tick\",2]");

        await seen.ExpectMsgAsync("once:1");
        await seen.ExpectMsgAsync("on:1");
        await seen.ExpectMsgAsync("on:2");
    }

    [Fact]
    public async Task Off_removes_one_listener_or_every_listener_of_the_event()
    {
        var (client, socket) = await ConnectAsync();
        var seen = CreateTestProbe();
        Action<JArray> first = args => seen.Ref.Tell("first:" + args[0], null);
        Action<JArray> second = args => seen.Ref.Tell("second:" + args[0], null);
        socket.On("e", first).On("e", second);
        socket.On("marker", (JArray args) => seen.Ref.Tell("marker:" + args[0], null));

        socket.Off("e", first);
        client.Send("2[\"e\",1]");
        await seen.ExpectMsgAsync("second:1");

        socket.Off("e");
        client.Send("2[\"e\",2]");
        client.Send("2[\"marker\",3]");
        await seen.ExpectMsgAsync("marker:3");
    }

    [Fact]
    public async Task A_packet_middleware_refusal_raises_error_and_skips_the_listeners()
    {
        var (client, socket) = await ConnectAsync();
        var seen = CreateTestProbe();
        socket.Use((packet, next) =>
        {
            if ((string?)packet[0] == "forbidden") next(new InvalidOperationException("not allowed"));
            else next(null);
        });
        socket.OnError(e => seen.Ref.Tell("OnError:" + e.Message, null));
        socket.On("error", (JArray args) => seen.Ref.Tell("error event:" + args[0], null));
        socket.On("forbidden", (JArray _) => seen.Ref.Tell("forbidden listener ran", null));
        socket.On("allowed", (JArray args) => seen.Ref.Tell("allowed:" + args[0], null));

        client.Send("2[\"forbidden\",1]");
        client.Send("2[\"allowed\",2]");

        await seen.ExpectMsgAsync("OnError:not allowed");
        await seen.ExpectMsgAsync("error event:not allowed");
        await seen.ExpectMsgAsync("allowed:2");
        Assert.True(socket.Connected);
    }

    [Fact]
    public async Task A_packet_middleware_sees_the_event_name_and_arguments()
    {
        var (client, socket) = await ConnectAsync();
        var seen = CreateTestProbe();
        socket.Use(packet =>
        {
            seen.Ref.Tell(packet.ToString(Formatting.None), null);
            return Task.CompletedTask;
        });
        socket.On("e", (JArray args) => seen.Ref.Tell("listener", null));

        client.Send("2[\"e\",1,{\"k\":true}]");

        await seen.ExpectMsgAsync("[\"e\",1,{\"k\":true}]");
        await seen.ExpectMsgAsync("listener");
    }

    [Fact]
    public async Task A_throwing_listener_is_logged_and_the_socket_stays_connected()
    {
        var (client, socket) = await ConnectAsync();
        var seen = CreateTestProbe();
        socket.On("boom", (JArray _) => throw new InvalidOperationException("kaboom"));
        socket.On("boom", (JArray _) => seen.Ref.Tell("second listener still ran", null));
        socket.On("echo", (JArray args, Ack? ack) => ack!([.. args]));

        client.Send("2[\"boom\"]");
        client.Send("23[\"echo\",\"alive\"]");

        await seen.ExpectMsgAsync("second listener still ran");
        await client.ExpectPacketAsync("33[\"alive\"]");
        Assert.True(socket.Connected);
        Assert.True(client.Connection.IsOpen);
        var entry = Assert.Single(Logs.Entries, e => e.EventId == 2000);
        Assert.Equal(LogLevel.Error, entry.Level);
        Assert.Equal("kaboom", entry.Exception?.Message);
        Assert.Contains("'boom'", entry.Message, StringComparison.Ordinal);
        Assert.Contains(socket.Id, entry.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_asynchronous_listener_is_logged_and_later_events_still_run()
    {
        var (client, socket) = await ConnectAsync();
        var seen = CreateTestProbe();
        socket.On("slow", async (JArray _) =>
        {
            await Task.Yield();
            throw new InvalidOperationException("async failure");
        });
        socket.On("next", (JArray _) => seen.Ref.Tell("next ran", null));

        client.Send("2[\"slow\"]");
        client.Send("2[\"next\"]");

        await seen.ExpectMsgAsync("next ran");
        Assert.Contains(Logs.Entries, e => e.EventId == 2000 && e.Exception?.Message == "async failure");
    }

    [Fact]
    public async Task Events_of_one_socket_are_handled_one_at_a_time_in_order()
    {
        var (client, socket) = await ConnectAsync();
        var seen = CreateTestProbe();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        socket.On("first", async (JArray _) =>
        {
            seen.Ref.Tell("first started", null);
            await gate.Task;
            seen.Ref.Tell("first done", null);
        });
        socket.On("second", (JArray _) => seen.Ref.Tell("second", null));

        client.Send("2[\"first\"]");
        client.Send("2[\"second\"]");
        await seen.ExpectMsgAsync("first started");
        Assert.False(seen.HasMessages);
        gate.SetResult();

        await seen.ExpectMsgAsync("first done");
        await seen.ExpectMsgAsync("second");
    }

    public sealed record Point(int X, int Y);
}
