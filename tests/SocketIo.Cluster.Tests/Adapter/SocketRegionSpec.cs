using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Cluster.Sharding;
using SocketIo.Actors;
using SocketIo.Actors.Cluster;
using SocketIo.Actors.Cluster.Sockets;

namespace SocketIo.Cluster.Tests.Adapter;

/// <summary>
/// Socket actors as entities of the cluster's socket region (<see cref="SocketRegion"/>): each runs on the node that
/// holds its connection, whichever node asks for its shard first, and any node reaches it by its id.
/// </summary>
public sealed class SocketRegionSpec : IAsyncLifetime
{
    private TestCluster Cluster { get; } = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await Cluster.DisposeAsync();

    [Fact]
    public async Task A_socket_actor_is_an_entity_of_the_shard_of_its_connections_node()
    {
        await Cluster.Start(2);
        var b = await Cluster[1].Connect();
        var tag = NodeTags.Of(Akka.Cluster.Cluster.Get(Cluster[1].System).SelfAddress);

        Assert.StartsWith(tag, b.Socket.Id, StringComparison.Ordinal);
        Assert.Equal(tag, NodeTags.OfEntityId(b.Socket.Id));
        var path = b.Socket.Actor.Path;
        Assert.Equal(["system", "sharding", SocketRegion.TypeName, tag, b.Socket.Id], path.Elements);
        Assert.True(path.Address.HasLocalScope, $"the entity runs on b itself: {path}");

        // The per-packet path holds the entity's reference: an event reaches the listener.
        var got = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        b.Socket.On<string>("ping", s => got.TrySetResult(s));
        b.SendText("2[\"ping\",\"direct\"]");
        Assert.Equal("direct", await Eventually.Within(got.Task, "the event reaches the entity"));
    }

    [Fact]
    public async Task A_shard_first_asked_for_by_another_node_is_allocated_to_the_node_its_tag_names()
    {
        await Cluster.Start(3);
        var c = Cluster[2];
        var tag = NodeTags.Of(Akka.Cluster.Cluster.Get(c.System).SelfAddress);

        // Node a asks first, for a socket c has never had: the shard still goes to c, not to the requester.
        Cluster[0].Cluster.Sockets.Region.Tell(new ClusterProtocol.SocketCommand(tag + "NoSuchSocket000000", Close: false));

        await Eventually.Holds(async () =>
        {
            var stats = await Cluster[0].Cluster.Sockets.Region.Ask<ClusterShardingStats>(new GetClusterShardingStats(TimeSpan.FromSeconds(3)), TimeSpan.FromSeconds(5));
            var hosts = stats.Regions.Where(r => r.Value.Stats.ContainsKey(tag)).Select(r => r.Key).ToList();
            Assert.Equal([Akka.Cluster.Cluster.Get(c.System).SelfAddress], hosts);
        }, "c, and only c, hosts the shard of its tag");
    }

    [Fact]
    public async Task Any_node_reaches_a_socket_by_its_id_through_the_region()
    {
        await Cluster.Start(3);
        var b = await Cluster[1].Connect();
        var other = await Cluster[1].Connect();
        var reasons = new ConcurrentQueue<string>();
        b.Socket.OnDisconnect(reasons.Enqueue);

        // From c, which has no socket and never saw b's: the command finds b's socket by its id alone.
        Cluster[2].Cluster.Sockets.Region.Tell(new ClusterProtocol.SocketCommand(b.Socket.Id, Close: false));

        await b.Expect("1");
        await Eventually.Holds(() => reasons.Contains(DisconnectReasons.ServerNamespaceDisconnect), "b's socket is disconnected by the server");
        Assert.True(b.IsOpen, "without close the connection stays open");

        // close: the whole connection goes; the other client of b is untouched.
        var c2 = await Cluster[1].Connect();
        Cluster[2].Cluster.Sockets.Region.Tell(new ClusterProtocol.SocketCommand(c2.Socket.Id, Close: true));
        await Eventually.Holds(() => !c2.IsOpen, "the connection is closed");
        Assert.True(other.Socket.Connected);
    }

    [Fact]
    public async Task A_node_that_leaves_hands_its_shard_off_disconnecting_its_sockets_as_server_shutting_down()
    {
        await Cluster.Start(2);
        var b = await Cluster[1].Connect();
        var reasons = new ConcurrentQueue<string>();
        b.Socket.OnDisconnect(reasons.Enqueue);

        await Cluster[1].Cluster.LeaveAsync();

        await Eventually.Holds(() => reasons.Contains(DisconnectReasons.ServerShuttingDown), "the hand-off disconnects b's socket", TimeSpan.FromSeconds(20));
        Assert.Equal([DisconnectReasons.ServerShuttingDown], reasons);
    }

    [Theory]
    [InlineData("TAG12345abcdefghijklmnopqrst", "TAG12345", "TAG12345abcdefghijklmnopqrst")]
    [InlineData("ENGINEIDxyz", "TAG12345", "TAG12345ENGINEIDxyz")]
    [InlineData("/admin#TAG12345abc", "TAG12345", "TAG12345%2Fadmin%23TAG12345abc")]
    public void A_socket_id_maps_to_an_entity_id_that_starts_with_its_nodes_tag_and_is_a_valid_actor_name(string socketId, string tag, string entityId)
    {
        Assert.Equal(entityId, SocketRegion.EntityId(socketId, tag));
        Assert.Equal(tag, NodeTags.OfEntityId(entityId));
        Assert.True(ActorPath.IsValidPathElement(entityId), entityId);
    }
}
