using SocketIo.Actors;
using SocketIo.Actors.Cluster.Adapter;
using SocketIo.Actors.Cluster.Membership;
using SocketIo.Cluster.Tests.Adapter;
using AkkaCluster = Akka.Cluster.Cluster;

namespace SocketIo.Cluster.Tests.Membership;

/// <summary>
/// Membership on Akka.Cluster as the Socket.IO nodes see it, and requests that never hang: a member that leaves,
/// is downed or becomes unreachable (the throttler's blackhole) stops being waited for at once, long before the
/// request timeout. Every wait is bounded.
/// </summary>
public sealed class MembershipSpec : IAsyncLifetime
{
    // Requests wait 30 s: only a membership change can end them within the waits below.
    private readonly TestCluster _cluster = new(new ClusterOptions { RequestTimeout = TimeSpan.FromSeconds(30) });

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Nodes_that_join_see_each_other_and_publish_member_up()
    {
        var a = await _cluster.AddNode("a");
        var (_, events) = Recorder.Start(a.System, typeof(ClusterEvents.IClusterEvent));

        var b = await _cluster.AddNode("b");

        await Eventually.Holds(() => events.OfType<ClusterEvents.MemberUp>().Any(), "a publishes MemberUp");
        var up = events.OfType<ClusterEvents.MemberUp>().Single();
        Assert.Equal(new ClusterMember(b.Address.ToString(), Reachable: true), up.Member);
        Assert.Equal([b.Cluster.NodeId], a.Cluster.Membership.NodeIds);
        Assert.Equal(b.Address.ToString(), b.Cluster.NodeId);
    }

    [Fact]
    public async Task A_member_without_the_socketio_role_is_not_a_socketio_node()
    {
        var a = await _cluster.AddNode("a");
        await _cluster.AddNode("worker", waitForConvergence: false, nodeConfig: "akka.cluster.roles = [worker]");
        await Eventually.Holds(() => AkkaCluster.Get(a.System).State.Members.Count == 2, "the worker is a member");

        // a handles member events in order: once it knows c, it has handled the worker's too.
        var c = await _cluster.AddNode("c", waitForConvergence: false);
        await Eventually.Holds(() => a.Cluster.Membership.Members.ContainsKey(c.Cluster.NodeId), "a knows c");
        Assert.Equal([c.Cluster.NodeId], a.Cluster.Membership.Members.Keys);
    }

    [Fact]
    public async Task A_node_that_leaves_gracefully_stops_counting_at_once()
    {
        await _cluster.Start(2);
        var (_, events) = Recorder.Start(_cluster[0].System, typeof(ClusterEvents.MemberRemoved));

        await _cluster[1].Cluster.LeaveAsync();

        await Eventually.Holds(() => !events.IsEmpty, "a stops counting b", TimeSpan.FromSeconds(5));
        var removed = (ClusterEvents.MemberRemoved)events.First();
        Assert.Equal((_cluster[1].Cluster.NodeId, MemberRemovalReason.Left), (removed.Member.NodeId, removed.Reason));
        Assert.Empty(_cluster[0].Cluster.Membership.NodeIds);
    }

    [Fact]
    public async Task A_request_in_flight_stops_waiting_for_a_member_that_becomes_unreachable()
    {
        await _cluster.Start(3);
        var b = await _cluster[1].Connect();
        await _cluster[2].Connect();
        var (_, events) = Recorder.Start(_cluster[0].System, typeof(ClusterEvents.MemberRemoved));
        // c's server-side listener never answers, so only c's unreachability can end the request.
        _cluster[1].Server.OnServerSideEmit("who", (_, ack) => ack!("b"));
        _cluster[2].Server.OnServerSideEmit("who", (_, _) => { });

        var answers = _cluster[0].Server.ServerSideEmitWithAck("who");
        var fetch = _cluster[0].Server.FetchSockets();
        await Eventually.Within(fetch, "fetchSockets while all answer");
        await _cluster[0].Blackhole(_cluster[2]);

        // The request timeout is 30 s; the failure detector reports c within about 2 s.
        Assert.Equal("b", (string?)Assert.Single(await Eventually.Within(answers, "the answers without c")));
        var removed = (ClusterEvents.MemberRemoved)events.First();
        Assert.Equal((_cluster[2].Cluster.NodeId, MemberRemovalReason.Unreachable), (removed.Member.NodeId, removed.Reason));
        Assert.Equal([_cluster[1].Cluster.NodeId], _cluster[0].Cluster.Membership.NodeIds);
        var sockets = await Eventually.Within(_cluster[0].Server.FetchSockets(), "fetchSockets without c");
        Assert.Equal([b.Socket.Id], sockets.Select(s => s.Id));
        await Eventually.Holds(() => _cluster[0].Cluster.Requests.InFlight == 0, "the finished requests are forgotten");
    }

    [Fact]
    public async Task A_broadcast_with_ack_stops_waiting_for_a_member_that_is_downed()
    {
        await _cluster.Start(3);
        var b = await _cluster[1].Connect();
        await _cluster[2].Connect();

        var ack = _cluster[0].Server.Timeout(TimeSpan.FromSeconds(30)).EmitWithAck("ping");
        var ping = await b.Next();
        b.SendText($"3{FakeClient.AckIdOf(ping)}[\"pong\"]");
        AkkaCluster.Get(_cluster[0].System).Down(_cluster[2].Address);

        // Well before the ack's 30 s timeout; the removal of a downed member can take seconds on a loaded machine
        // (a 10 s wait failed once in three runs of this suite here under load), so the wait is 25 s.
        var answers = await Eventually.Within(ack, "the broadcast ack without c", TimeSpan.FromSeconds(25));
        Assert.Equal("pong", (string?)Assert.Single(answers));
    }

    [Fact]
    public async Task An_unreachable_member_that_comes_back_gets_the_broadcasts_sent_meanwhile_in_order()
    {
        await _cluster.Start(2);
        var b = await _cluster[1].Connect();
        await _cluster[0].Blackhole(_cluster[1]);
        await Eventually.Holds(() => _cluster[0].Cluster.Membership.NodeIds.Count == 0, "a sees b unreachable");

        for (var i = 0; i < 5; i++) _cluster[0].Server.Emit("n", i);
        await _cluster[0].Blackhole(_cluster[1], on: false);

        for (var i = 0; i < 5; i++) await b.Expect($"2[\"n\",{i}]");
        await _cluster.Converged();
    }

    [Fact]
    public async Task A_request_to_a_silent_reachable_node_fails_after_the_request_timeout_with_how_many_answered()
    {
        var quick = new TestCluster(new ClusterOptions { RequestTimeout = TimeSpan.FromMilliseconds(500) });
        await using var _ = quick;
        await quick.Start(3);
        quick[1].Server.OnServerSideEmit("who", (_, ack) => ack!("b"));
        quick[2].Server.OnServerSideEmit("who", (_, _) => { });

        var error = await Assert.ThrowsAsync<AckTimeoutException>(() => Eventually.Within(quick[0].Server.ServerSideEmitWithAck("who"), "the timeout"));

        Assert.Equal(2, error.Expected);
        Assert.Equal("b", (string?)Assert.Single(error.Responses));
    }
}
