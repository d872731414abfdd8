using Akka.TestKit;
using Akka.TestKit.Xunit2;
using Newtonsoft.Json.Linq;

namespace SocketIo.Actors.Tests.Server;

/// <summary>
/// Inbound flow control (<see cref="SocketIoOptions.MaxInboundBacklog"/>): a connection whose socket actors hold
/// the limit of unhandled packets stops reading, reads again at half of it, and never stays paused because a
/// socket went away with packets still counted.
/// </summary>
public sealed class FlowControlSpec : ServerSpec
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(200);

    public FlowControlSpec() => Options.MaxInboundBacklog = 4;

    [Fact]
    public async Task A_connection_stops_reading_at_the_backlog_limit_and_reads_again_at_half_of_it()
    {
        var (client, socket) = await ConnectAsync();
        var flow = WatchFlow(client);
        var (started, gates) = SlowListener(socket, "slow", 4);

        for (var i = 0; i < 3; i++)
            client.Send($"2[\"slow\",{i}]");
        await started.ExpectMsgAsync(0);
        await flow.ExpectNoMsgAsync(Quiet);
        Assert.Equal(3, socket.Client.InboundBacklog);

        client.Send("2[\"slow\",3]");
        await flow.ExpectMsgAsync(new ReceivingPaused(client.Id));
        Assert.True(client.Connection.Paused);
        Assert.Equal(4, socket.Client.InboundBacklog);

        // An event counts until its listener's task completes: one done leaves 3, above half the limit.
        gates[0].SetResult();
        await started.ExpectMsgAsync(1);
        Assert.Equal(3, socket.Client.InboundBacklog);
        await flow.ExpectNoMsgAsync(Quiet);

        gates[1].SetResult();
        await started.ExpectMsgAsync(2);
        await flow.ExpectMsgAsync(new ReceivingResumed(client.Id));
        Assert.False(client.Connection.Paused);

        gates[2].SetResult();
        await started.ExpectMsgAsync(3);
        gates[3].SetResult();
        await AwaitAssertAsync(() => Assert.Equal(0, socket.Client.InboundBacklog));
        await flow.ExpectNoMsgAsync(Quiet);
        Assert.Equal((1, 1), (client.Connection.PauseCount, client.Connection.ResumeCount));
    }

    [Fact]
    public async Task Acks_count_like_events_and_every_event_is_handled_in_order_after_a_pause()
    {
        var (client, socket) = await ConnectAsync();
        var flow = WatchFlow(client);
        var (started, gates) = SlowListener(socket, "slow", 1);
        var emitted = socket.EmitWithAck("question");
        await client.ExpectPacketAsync("20[\"question\"]");

        socket.On("echo", (JArray args, Ack? ack) => ack!([.. args]));

        client.Send("2[\"slow\",0]");
        client.Send("30[\"answer\"]");
        client.Send("21[\"echo\",\"a\"]");
        client.Send("22[\"echo\",\"b\"]");
        await flow.ExpectMsgAsync(new ReceivingPaused(client.Id));
        await started.ExpectMsgAsync(0);
        Assert.False(emitted.IsCompleted);

        gates[0].SetResult();

        Assert.Equal("answer", (string?)Await(emitted)[0]);
        await client.ExpectPacketAsync("31[\"a\"]");
        await client.ExpectPacketAsync("32[\"b\"]");
        await flow.ExpectMsgAsync(new ReceivingResumed(client.Id));
        await AwaitAssertAsync(() => Assert.Equal(0, socket.Client.InboundBacklog));
    }

    [Fact]
    public async Task A_socket_that_disconnects_with_a_backlog_gives_it_back_and_its_connection_reads_again()
    {
        var client = NewClient();
        var root = await JoinAsync(client, "/");
        var admin = await JoinAsync(client, "/admin");
        var flow = WatchFlow(client);
        var disconnect = WatchDisconnect(admin);
        var (started, gates) = SlowListener(admin, "slow", 3);

        for (var i = 0; i < 3; i++)
            client.Send($"2/admin,[\"slow\",{i}]");
        client.Send("1/admin,");
        await flow.ExpectMsgAsync(new ReceivingPaused(client.Id));
        await started.ExpectMsgAsync(0);

        foreach (var gate in gates)
            gate.SetResult();

        await disconnect.ExpectMsgAsync("disconnecting:client namespace disconnect");
        await disconnect.ExpectMsgAsync("disconnect:client namespace disconnect");
        await flow.ExpectMsgAsync(new ReceivingResumed(client.Id));
        await AwaitAssertAsync(() => Assert.Equal(0, root.Client.InboundBacklog));
        Assert.False(client.Connection.Paused);

        root.On("echo", (JArray args, Ack? ack) => ack!([.. args]));
        client.Send("27[\"echo\",\"still here\"]");
        await client.ExpectPacketAsync("37[\"still here\"]");
    }

    [Fact]
    public async Task A_socket_actor_stopped_with_packets_in_its_mailbox_gives_them_back()
    {
        var (client, socket) = await ConnectAsync();
        var flow = WatchFlow(client);
        // The first listener never finishes: the stop cuts it short and the three packets behind it become dead letters.
        var (started, _) = SlowListener(socket, "slow", 4);
        for (var i = 0; i < 4; i++)
            client.Send($"2[\"slow\",{i}]");
        await flow.ExpectMsgAsync(new ReceivingPaused(client.Id));
        await started.ExpectMsgAsync(0);
        Watch(socket.Actor);

        Sys.Stop(socket.Actor);

        await ExpectTerminatedAsync(socket.Actor);
        await flow.ExpectMsgAsync(new ReceivingResumed(client.Id));
        Assert.Equal(0, socket.Client.InboundBacklog);

        // Packets still routed to the stopped actor are not counted: nothing would give them back.
        for (var i = 0; i < 8; i++)
            client.Send($"2[\"slow\",{i}]");
        Assert.Equal(0, socket.Client.InboundBacklog);
        await flow.ExpectNoMsgAsync(Quiet);
        await started.ExpectNoMsgAsync(TimeSpan.Zero);
    }

    [Fact]
    public async Task A_connection_closed_while_paused_leaves_no_backlog_once_its_sockets_are_gone()
    {
        var (client, socket) = await ConnectAsync();
        var flow = WatchFlow(client);
        var disconnect = WatchDisconnect(socket);
        var (started, gates) = SlowListener(socket, "slow", 4);
        for (var i = 0; i < 4; i++)
            client.Send($"2[\"slow\",{i}]");
        await flow.ExpectMsgAsync(new ReceivingPaused(client.Id));
        await started.ExpectMsgAsync(0);

        client.Handler.OnClose("transport close");
        foreach (var gate in gates)
            gate.SetResult();

        await disconnect.ExpectMsgAsync("disconnecting:transport close");
        await disconnect.ExpectMsgAsync("disconnect:transport close");
        await AwaitAssertAsync(() => Assert.Equal(0, socket.Client.InboundBacklog));
    }

    [Fact]
    public async Task Connect_packets_are_not_counted()
    {
        Options.MaxInboundBacklog = 1;
        var client = NewClient();

        var root = await JoinAsync(client, "/");
        await JoinAsync(client, "/admin");
        await JoinAsync(client, "/orders");

        Assert.Equal(0, client.Connection.PauseCount);
        Assert.Equal(0, root.Client.InboundBacklog);
    }

    [Fact]
    public async Task A_limit_of_zero_turns_flow_control_off()
    {
        Options.MaxInboundBacklog = 0;
        var (client, socket) = await ConnectAsync();
        var (started, gates) = SlowListener(socket, "slow", 50);

        for (var i = 0; i < 50; i++)
            client.Send($"2[\"slow\",{i}]");
        await started.ExpectMsgAsync(0);
        foreach (var gate in gates)
            gate.SetResult();
        for (var i = 1; i < 50; i++)
            await started.ExpectMsgAsync(i);

        Assert.Equal(0, client.Connection.PauseCount);
        Assert.Equal(0, socket.Client.InboundBacklog);
    }

    private TestProbe WatchFlow(TestClient client)
    {
        var flow = CreateTestProbe();
        client.Connection.FlowObserver = flow.Ref;
        return flow;
    }

    /// <summary>A listener for <paramref name="eventName"/> <c>[n]</c> that tells a probe <c>n</c> and then awaits gate <c>n</c>.</summary>
    private (TestProbe Started, TaskCompletionSource[] Gates) SlowListener(Socket socket, string eventName, int count)
    {
        var started = CreateTestProbe();
        var gates = Enumerable.Range(0, count).Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        socket.On(eventName, (JArray args) =>
        {
            var n = (int)args[0];
            started.Ref.Tell(n, null);
            return gates[n].Task;
        });
        return (started, gates);
    }
}
