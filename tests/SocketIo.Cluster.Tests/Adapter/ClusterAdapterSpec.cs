using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using SocketIo.Actors;
using SocketIo.Actors.Cluster.Membership;
using SocketIo.Actors.Rooms;
using SocketIo.Actors.Sockets;

namespace SocketIo.Cluster.Tests.Adapter;

/// <summary>
/// Every Socket.IO cluster operation across nodes, each node a <see cref="SocketIoServer"/> in its own Akka.Cluster
/// actor system (in one process, remoting on port 0, joined to the first), asserting the exact packets clients on
/// other nodes receive.
/// </summary>
public sealed class ClusterAdapterSpec : IAsyncLifetime
{
    private TestCluster Cluster { get; } = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await Cluster.DisposeAsync();

    [Fact]
    public async Task Io_emit_reaches_the_sockets_of_every_node()
    {
        await Cluster.Start(3);
        var a = await Cluster[0].Connect();
        var b = await Cluster[1].Connect();
        var c = await Cluster[2].Connect();

        Cluster[0].Server.Emit("hello", "world", 1);

        await a.Expect("2[\"hello\",\"world\",1]");
        await b.Expect("2[\"hello\",\"world\",1]");
        await c.Expect("2[\"hello\",\"world\",1]");
    }

    [Fact]
    public async Task Rooms_and_excluded_rooms_select_sockets_on_every_node()
    {
        await Cluster.Start(3);
        var a1 = await Cluster[0].Connect();
        var b1 = await Cluster[1].Connect();
        var b2 = await Cluster[1].Connect();
        var c1 = await Cluster[2].Connect();
        a1.Socket.Join("r");
        b1.Socket.Join("r");
        c1.Socket.Join(["r", "x"]);
        b2.Socket.Join("y");

        Cluster[0].Server.To("r").Except("x").Emit("m", "r-not-x");
        Cluster[0].Server.In("y").Emit("m", "y");
        Cluster[0].Server.Emit("end");

        await a1.Expect("2[\"m\",\"r-not-x\"]");
        await b1.Expect("2[\"m\",\"r-not-x\"]");
        await b2.Expect("2[\"m\",\"y\"]");
        await c1.Expect("2[\"end\"]");
        await a1.Expect("2[\"end\"]");
        await b1.Expect("2[\"end\"]");
        await b2.Expect("2[\"end\"]");
    }

    [Fact]
    public async Task A_socket_id_is_a_room_on_every_node_and_socket_broadcast_excludes_the_sender()
    {
        await Cluster.Start(2);
        var a = await Cluster[0].Connect();
        var b1 = await Cluster[1].Connect();
        var b2 = await Cluster[1].Connect();

        Cluster[0].Server.To(b1.Socket.Id).Emit("dm", "for b1");
        a.Socket.Broadcast.Emit("from", "a");

        await b1.Expect("2[\"dm\",\"for b1\"]");
        await b1.Expect("2[\"from\",\"a\"]");
        await b2.Expect("2[\"from\",\"a\"]");
        Cluster[1].Server.Emit("end");
        await a.Expect("2[\"end\"]");
    }

    [Fact]
    public async Task A_broadcast_stays_in_its_namespace_on_other_nodes()
    {
        await Cluster.Start(2);
        var main = await Cluster[1].Connect();
        var chat = await Cluster[1].Connect("/chat");
        Cluster[0].Server.Of("/chat");

        Cluster[0].Server.Of("/chat").Emit("msg", "hi");
        Cluster[0].Server.Emit("end");

        await chat.Expect("2/chat,[\"msg\",\"hi\"]");
        await main.Expect("2[\"end\"]");
    }

    [Fact]
    public async Task Local_broadcasts_stay_on_their_node()
    {
        await Cluster.Start(2);
        var a = await Cluster[0].Connect();
        var b = await Cluster[1].Connect();

        Cluster[0].Server.Local.Emit("local");
        Cluster[0].Server.Emit("end");

        await a.Expect("2[\"local\"]");
        await a.Expect("2[\"end\"]");
        await b.Expect("2[\"end\"]");
    }

    [Fact]
    public async Task Volatile_broadcasts_skip_sockets_that_are_not_writable_on_other_nodes()
    {
        await Cluster.Start(2);
        var busy = await Cluster[1].Connect();
        var ready = await Cluster[1].Connect();
        busy.Writable = false;

        Cluster[0].Server.Volatile.Emit("tick", 1);
        await ready.Expect("2[\"tick\",1]");
        busy.Writable = true;
        Cluster[0].Server.Emit("end");

        await busy.Expect("2[\"end\"]");
        await ready.Expect("2[\"end\"]");
    }

    [Fact]
    public async Task Binary_payloads_cross_nodes_as_attachments()
    {
        await Cluster.Start(2);
        var b = await Cluster[1].Connect("/files");
        await Cluster[0].Connect("/files");

        Cluster[0].Server.Of("/files").Emit("file", new byte[] { 1, 2, 3 }, new JObject { ["name"] = "x" });

        var sent = await b.Expect("51-/files,[\"file\",{\"_placeholder\":true,\"num\":0},{\"name\":\"x\"}]");
        Assert.Equal([1, 2, 3], Assert.Single(sent.Attachments));
    }

    [Fact]
    public async Task A_broadcast_with_ack_gathers_answers_from_every_node()
    {
        await Cluster.Start(3);
        var clients = new[] { await Cluster[0].Connect(), await Cluster[1].Connect(), await Cluster[2].Connect() };

        var answers = Cluster[0].Server.Timeout(TimeSpan.FromSeconds(10)).EmitWithAck("vote", "?");
        var i = 0;
        foreach (var client in clients)
        {
            var sent = await client.Next();
            var id = FakeClient.AckIdOf(sent);
            Assert.Equal($"2{id}[\"vote\",\"?\"]", sent.Packet);
            client.SendText($"3{id}[\"yes-{i++}\"]");
        }

        var result = await Eventually.Within(answers, "the aggregated answers");
        Assert.Equal(["yes-0", "yes-1", "yes-2"], result.Select(r => (string)r!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_broadcast_with_ack_times_out_listing_how_many_clients_answered()
    {
        await Cluster.Start(2);
        var a = await Cluster[0].Connect();
        var b1 = await Cluster[1].Connect();
        var b2 = await Cluster[1].Connect();

        var answers = Cluster[0].Server.Timeout(TimeSpan.FromMilliseconds(1500)).EmitWithAck("vote");
        var sentA = await a.Next();
        var sentB = await b1.Next();
        await b2.Next();
        a.SendText($"3{FakeClient.AckIdOf(sentA)}[\"a\"]");
        b1.SendText($"3{FakeClient.AckIdOf(sentB)}[\"b\"]");

        var error = await Assert.ThrowsAsync<AckTimeoutException>(() => Eventually.Within(answers, "the timeout"));
        Assert.Equal(3, error.Expected);
        Assert.Equal(["a", "b"], error.Responses.Select(r => (string)r!).Order(StringComparer.Ordinal));
        Assert.Equal("operation has timed out (2 of 3 clients answered)", error.Message);
    }

    [Fact]
    public async Task Server_side_events_reach_the_other_nodes_only()
    {
        await Cluster.Start(3);
        var seen = new System.Collections.Concurrent.ConcurrentQueue<string>();
        foreach (var node in Cluster.Nodes)
            node.Server.OnServerSideEmit("hello", args => seen.Enqueue($"{node.Name}:{args.ToString(Formatting.None)}"));

        Cluster[0].Server.ServerSideEmit("hello", 1, "two");

        await Eventually.Holds(() => seen.Count == 2, "b and c receive the event");
        Assert.Equal(["b:[1,\"two\"]", "c:[1,\"two\"]"], seen.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Server_side_emit_with_ack_gathers_one_answer_per_node()
    {
        await Cluster.Start(3);
        foreach (var node in Cluster.Nodes)
            node.Server.OnServerSideEmit("who", (args, ack) => ack!(node.Name + ":" + (string?)args[0]));

        var answers = await Eventually.Within(Cluster[0].Server.ServerSideEmitWithAck("who", "?"), "the answers");

        Assert.Equal(["b:?", "c:?"], answers.Select(a => (string)a!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Fetch_sockets_returns_remote_sockets_that_can_be_operated()
    {
        await Cluster.Start(2);
        var a = await Cluster[0].Connect();
        var b = await Cluster[1].Connect();
        b.Socket.Data = new { name = "bob", age = 7 };
        b.Socket.Join("room1");
        await Eventually.Holds(async () => Assert.Single(await Cluster[1].Server.In("room1").Local.FetchSockets()), "b joined room1");

        var sockets = await Eventually.Within(Cluster[0].Server.FetchSockets(), "fetchSockets");

        Assert.Equal(new[] { a.Socket.Id, b.Socket.Id }.Order(StringComparer.Ordinal), sockets.Select(s => s.Id).Order(StringComparer.Ordinal));
        var remote = sockets.Single(s => s.Id == b.Socket.Id);
        Assert.Equal(new HashSet<string> { b.Socket.Id, "room1" }, remote.Rooms);
        Assert.Equal("{\"name\":\"bob\",\"age\":7}", Assert.IsAssignableFrom<JToken>(remote.Data).ToString(Formatting.None));
        Assert.Equal(b.Id, remote.Handshake.Headers["x-client"]);
        Assert.Equal("127.0.0.1", remote.Handshake.Address);
        Assert.Equal(b.Socket.Handshake.Time, remote.Handshake.Time);

        remote.Emit("hi", "remote");
        await b.Expect("2[\"hi\",\"remote\"]");

        remote.Join("joined");
        await Eventually.Holds(() => b.Socket.Rooms.Contains("joined"), "the remote socket joins");
        remote.Leave("room1");
        await Eventually.Holds(() => !b.Socket.Rooms.Contains("room1"), "the remote socket leaves");

        remote.Disconnect();
        await b.Expect("1");
        await Eventually.Holds(() => b.Socket.Disconnected, "the remote socket is disconnected");
    }

    [Fact]
    public async Task Fetch_sockets_of_a_room_selects_on_every_node()
    {
        await Cluster.Start(3);
        await Cluster[0].Connect();
        var b = await Cluster[1].Connect();
        var c = await Cluster[2].Connect();
        b.Socket.Join("vip");
        c.Socket.Join("vip");
        await Eventually.Holds(async () => Assert.Single(await Cluster[2].Server.In("vip").Local.FetchSockets()), "c joined vip");
        await Eventually.Holds(async () => Assert.Single(await Cluster[1].Server.In("vip").Local.FetchSockets()), "b joined vip");

        var sockets = await Cluster[0].Server.In("vip").FetchSockets();

        Assert.Equal(new[] { b.Socket.Id, c.Socket.Id }.Order(StringComparer.Ordinal), sockets.Select(s => s.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Sockets_join_leave_and_disconnect_apply_on_every_node_before_completing()
    {
        await Cluster.Start(3);
        var a = await Cluster[0].Connect();
        var b = await Cluster[1].Connect();
        var c = await Cluster[2].Connect();
        c.Socket.Join("quiet");
        await Eventually.Holds(async () => Assert.Single(await Cluster[2].Server.In("quiet").Local.FetchSockets()), "c joined quiet");

        await Cluster[0].Server.Except("quiet").SocketsJoin("news");
        Assert.Contains("news", a.Socket.Rooms);
        Assert.Contains("news", b.Socket.Rooms);
        Assert.DoesNotContain("news", c.Socket.Rooms);

        Cluster[0].Server.To("news").Emit("n");
        await a.Expect("2[\"n\"]");
        await b.Expect("2[\"n\"]");

        await Cluster[2].Server.In("news").SocketsLeave("news");
        Assert.DoesNotContain("news", a.Socket.Rooms);
        Assert.DoesNotContain("news", b.Socket.Rooms);

        await Cluster[0].Server.In("quiet").DisconnectSockets();
        await c.Expect("1");
        Cluster[0].Server.Emit("end");
        await b.Expect("2[\"end\"]");
    }

    [Fact]
    public async Task Room_events_of_other_nodes_reach_subscribers_as_remote_room_events()
    {
        await Cluster.Start(2);
        var (_, received) = Recorder.Start(Cluster[1].System, typeof(ClusterEvents.RemoteRoomEvent));
        var a = await Cluster[0].Connect();

        a.Socket.Join("lobby");
        a.Socket.Leave("lobby");

        var origin = Cluster[0].Cluster.NodeId;
        var expected = new object[]
        {
            new ClusterEvents.RemoteRoomEvent(origin, new RoomEvents.RoomCreated("/", "lobby")),
            new ClusterEvents.RemoteRoomEvent(origin, new RoomEvents.SocketJoinedRoom("/", "lobby", a.Socket.Id)),
            new ClusterEvents.RemoteRoomEvent(origin, new RoomEvents.SocketLeftRoom("/", "lobby", a.Socket.Id)),
            new ClusterEvents.RemoteRoomEvent(origin, new RoomEvents.RoomDeleted("/", "lobby")),
        };
        await Eventually.Holds(() => received.Count(e => ((ClusterEvents.RemoteRoomEvent)e).Event.Room == "lobby") == 4, "b sees the four lobby events");
        Assert.Equal(expected, received.Where(e => ((ClusterEvents.RemoteRoomEvent)e).Event.Room == "lobby"));
    }
}
