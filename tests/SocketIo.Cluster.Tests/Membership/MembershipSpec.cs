using SocketIo.Actors.Cluster.Adapter;
using SocketIo.Actors.Cluster.Broker;
using SocketIo.Actors.Cluster.Membership;
using SocketIo.Cluster.Tests.Adapter;

namespace SocketIo.Cluster.Tests.Membership;

/// <summary>
/// Membership, requests that must never hang, and broker faults, on the in-memory broker (whose hooks
/// simulate crashes and connection loss). Heartbeats run on real short intervals; every wait is bounded.
/// </summary>
public sealed class MembershipSpec : IAsyncLifetime
{
    private readonly InMemoryBrokerHub _hub = new();
    private readonly TestCluster _cluster;

    public MembershipSpec()
    {
        _cluster = new TestCluster((_, node) => new InMemoryBroker(_hub, node), new ClusterOptions
        {
            NodeId = "template",
            HeartbeatInterval = TimeSpan.FromMilliseconds(100),
            HeartbeatTimeout = TimeSpan.FromMilliseconds(800),
            RequestTimeout = TimeSpan.FromSeconds(30),
        });
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private static InMemoryBroker BrokerOf(TestNode node) => (InMemoryBroker)node.Broker;

    [Fact]
    public async Task Nodes_that_start_see_each_other_and_publish_member_up()
    {
        var a = await _cluster.AddNode("a");
        var (_, events) = Recorder.Start(a.System, typeof(ClusterEvents.IClusterEvent));

        await _cluster.AddNode("b");

        await Eventually.Holds(() => events.OfType<ClusterEvents.MemberUp>().Any(), "a publishes MemberUp");
        var up = events.OfType<ClusterEvents.MemberUp>().Single();
        Assert.Equal("b", up.Member.NodeId);
        Assert.Equal("http://127.0.0.1/b", up.Member.Address);
        Assert.Equal(["b"], a.Cluster.Membership.NodeIds);
    }

    [Fact]
    public async Task A_node_that_leaves_gracefully_is_removed_at_once()
    {
        // A long heartbeat timeout: only the Left announcement can explain a prompt removal.
        var slow = new TestCluster((_, node) => new InMemoryBroker(_hub, node), _cluster.Template with { HeartbeatTimeout = TimeSpan.FromMinutes(5) });
        await using var _ = slow;
        await slow.Start(2);
        var (_, events) = Recorder.Start(slow[0].System, typeof(ClusterEvents.MemberRemoved));

        await slow[1].Cluster.LeaveAsync();

        await Eventually.Holds(() => !events.IsEmpty, "a removes b", TimeSpan.FromSeconds(5));
        var removed = (ClusterEvents.MemberRemoved)Assert.Single(events);
        Assert.Equal(("b", MemberRemovalReason.Left), (removed.Member.NodeId, removed.Reason));
        Assert.Empty(slow[0].Cluster.Membership.NodeIds);
    }

    [Fact]
    public async Task A_crashed_node_is_removed_after_the_heartbeat_timeout()
    {
        await _cluster.Start(3);
        var (_, events) = Recorder.Start(_cluster[0].System, typeof(ClusterEvents.MemberRemoved));

        BrokerOf(_cluster[2]).Crash();

        await Eventually.Holds(() => !events.IsEmpty, "a removes c");
        var removed = (ClusterEvents.MemberRemoved)Assert.Single(events);
        Assert.Equal(("c", MemberRemovalReason.HeartbeatTimeout), (removed.Member.NodeId, removed.Reason));
        Assert.Equal(["b"], _cluster[0].Cluster.Membership.NodeIds);
    }

    [Fact]
    public async Task A_request_in_flight_stops_waiting_for_a_node_that_dies()
    {
        await _cluster.Start(3);
        var b = await _cluster[1].Connect();
        await _cluster[2].Connect();

        BrokerOf(_cluster[2]).Crash();
        var fetch = _cluster[0].Server.FetchSockets();
        var ack = _cluster[0].Server.EmitWithAck("ping");
        var ping = await b.Next();
        b.SendText($"3{FakeClient.AckIdOf(ping)}[\"pong\"]");

        // The request timeout is 30 s: only c's removal (heartbeat timeout 0.8 s) can end them this soon.
        var sockets = await Eventually.Within(fetch, "fetchSockets without c");
        Assert.Equal([b.Socket.Id], sockets.Select(s => s.Id));
        var answers = await Eventually.Within(ack, "the broadcast ack without c");
        Assert.Equal("pong", (string?)Assert.Single(answers));
        await Eventually.Holds(() => _cluster[0].Cluster.Requests.InFlight == 0, "the finished requests are forgotten");
    }

    [Fact]
    public async Task A_request_to_a_silent_node_fails_after_the_request_timeout_with_how_many_answered()
    {
        var quick = new TestCluster((_, node) => new InMemoryBroker(_hub, node), _cluster.Template with
        {
            HeartbeatTimeout = TimeSpan.FromMinutes(5),
            RequestTimeout = TimeSpan.FromMilliseconds(500),
        });
        await using var _ = quick;
        await quick.Start(3);
        BrokerOf(quick[2]).Crash();

        var error = await Assert.ThrowsAsync<ClusterRequestTimeoutException>(() => Eventually.Within(quick[0].Server.FetchSockets(), "the timeout"));

        Assert.Equal((1, 2), (error.Answered, error.Expected));
        Assert.Equal("timeout reached: only 1 of 2 nodes answered FetchSockets", error.Message);
    }

    [Fact]
    public async Task During_a_broker_outage_local_clients_are_served_and_the_cluster_resumes_after_recovery()
    {
        await _cluster.Start(2);
        var a = await _cluster[0].Connect();
        var b = await _cluster[1].Connect();
        var broker = BrokerOf(_cluster[1]);

        broker.SimulateConnectionLoss();
        _cluster[1].Server.Emit("local only", 1);
        _cluster[0].Server.Emit("lost for b");
        await b.Expect("2[\"local only\",1]");
        await a.Expect("2[\"lost for b\"]");

        broker.SimulateRecovery();
        await _cluster.Converged();
        _cluster[0].Server.Emit("after", "recovery");
        _cluster[1].Server.Emit("from b");

        // Each node's own broadcast is delivered locally at once; the other's comes through the broker.
        string[] both = ["2[\"after\",\"recovery\"]", "2[\"from b\"]"];
        Assert.Equal(both, new[] { (await b.Next()).Packet, (await b.Next()).Packet }.Order(StringComparer.Ordinal));
        Assert.Equal(both, new[] { (await a.Next()).Packet, (await a.Next()).Packet }.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task After_an_outage_long_enough_to_be_removed_a_node_announces_itself_again()
    {
        await _cluster.Start(2);
        var (_, events) = Recorder.Start(_cluster[0].System, typeof(ClusterEvents.IClusterEvent));
        var broker = BrokerOf(_cluster[1]);

        broker.SimulateConnectionLoss();
        await Eventually.Holds(() => events.OfType<ClusterEvents.MemberRemoved>().Any(), "a removes b");
        broker.SimulateRecovery();

        await Eventually.Holds(() => events.OfType<ClusterEvents.MemberUp>().Any(), "a sees b again");
        Assert.Equal(["b"], _cluster[0].Cluster.Membership.NodeIds);
    }
}
