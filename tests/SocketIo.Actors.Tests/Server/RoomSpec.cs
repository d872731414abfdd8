using Akka.TestKit;
using Newtonsoft.Json.Linq;
using static SocketIo.Actors.Rooms.RoomEvents;

namespace SocketIo.Actors.Tests.Server;

/// <summary>Rooms, broadcasts and their exclusions, room events, and the disconnect sequence.</summary>
public sealed class RoomSpec : ServerSpec
{
    [Fact]
    public async Task Joining_and_leaving_a_room_publishes_room_events_in_order()
    {
        var events = SubscribeToRoomEvents();
        var (_, socket) = await ConnectAsync();
        await events.ExpectMsgAsync<IRoomEvent>(new RoomCreated("/", socket.Id));
        await events.ExpectMsgAsync<IRoomEvent>(new SocketJoinedRoom("/", socket.Id, socket.Id));

        socket.Join("lobby");
        socket.Leave("lobby");

        await events.ExpectMsgAsync<IRoomEvent>(new RoomCreated("/", "lobby"));
        await events.ExpectMsgAsync<IRoomEvent>(new SocketJoinedRoom("/", "lobby", socket.Id));
        await events.ExpectMsgAsync<IRoomEvent>(new SocketLeftRoom("/", "lobby", socket.Id));
        await events.ExpectMsgAsync<IRoomEvent>(new RoomDeleted("/", "lobby"));
        Assert.Equal([socket.Id], socket.Rooms);
    }

    [Fact]
    public async Task A_room_is_deleted_only_when_its_last_member_leaves()
    {
        var (_, first) = await ConnectAsync();
        var (_, second) = await ConnectAsync();
        var events = SubscribeToRoomEvents();

        first.Join("lobby");
        second.Join(["lobby", "lobby"]);
        first.Leave("lobby");
        second.Leave("lobby");

        await events.ExpectMsgAsync<IRoomEvent>(new RoomCreated("/", "lobby"));
        await events.ExpectMsgAsync<IRoomEvent>(new SocketJoinedRoom("/", "lobby", first.Id));
        await events.ExpectMsgAsync<IRoomEvent>(new SocketJoinedRoom("/", "lobby", second.Id));
        await events.ExpectMsgAsync<IRoomEvent>(new SocketLeftRoom("/", "lobby", first.Id));
        await events.ExpectMsgAsync<IRoomEvent>(new SocketLeftRoom("/", "lobby", second.Id));
        await events.ExpectMsgAsync<IRoomEvent>(new RoomDeleted("/", "lobby"));
    }

    [Fact]
    public async Task Socket_actor_leaves_rooms_on_disconnect()
    {
        var (client, socket) = await ConnectAsync();
        var events = SubscribeToRoomEvents();
        socket.Join(["a", "b"]);
        await events.ReceiveNMessagesAsync(4);
        var watch = WatchDisconnect(socket);

        client.Send("1");

        await watch.ExpectMsgAsync("disconnecting:client namespace disconnect");
        await watch.ExpectMsgAsync("disconnect:client namespace disconnect");
        var seen = (await events.ReceiveNMessagesAsync(6)).Cast<IRoomEvent>().ToList();
        foreach (var room in new[] { socket.Id, "a", "b" })
        {
            var left = seen.IndexOf(new SocketLeftRoom("/", room, socket.Id));
            var deleted = seen.IndexOf(new RoomDeleted("/", room));
            Assert.True(left >= 0 && deleted > left, $"room {room}: {string.Join(", ", seen)}");
        }

        Assert.Empty(socket.Rooms);
        Assert.False(Server.Sockets.Sockets.ContainsKey(socket.Id));
        Assert.True(socket.Disconnected);
    }

    [Fact]
    public async Task Disconnecting_listeners_still_see_the_rooms()
    {
        var (client, socket) = await ConnectAsync();
        socket.Join("lobby");
        var seen = CreateTestProbe();
        socket.OnDisconnecting(_ => seen.Ref.Tell(string.Join(",", socket.Rooms.Order(StringComparer.Ordinal)), null));

        client.Send("1");

        await seen.ExpectMsgAsync(string.Join(",", new[] { socket.Id, "lobby" }.Order(StringComparer.Ordinal)));
    }

    [Fact]
    public async Task Disconnect_listeners_see_the_socket_out_of_every_room()
    {
        var (client, socket) = await ConnectAsync();
        socket.Join("lobby");
        var seen = CreateTestProbe();
        socket.OnDisconnect(_ => seen.Ref.Tell("rooms:" + string.Join(",", socket.Rooms), null));

        client.Send("1");

        await seen.ExpectMsgAsync("rooms:");
    }

    [Fact]
    public async Task A_room_left_while_its_socket_disconnects_is_deleted()
    {
        var (client, socket) = await ConnectAsync();
        var events = SubscribeToRoomEvents();
        socket.Join("lobby");
        await events.ReceiveNMessagesAsync(2);
        socket.OnDisconnecting(_ => socket.Leave("lobby"));

        client.Send("1");

        var seen = (await events.ReceiveNMessagesAsync(4)).Cast<IRoomEvent>().ToList();
        Assert.Contains(new RoomDeleted("/", "lobby"), seen);
        Assert.Contains(new RoomDeleted("/", socket.Id), seen);
    }

    [Fact]
    public async Task A_socket_in_two_target_rooms_gets_the_packet_once()
    {
        var (inA, a) = await ConnectAsync();
        var (inB, b) = await ConnectAsync();
        var (inBoth, both) = await ConnectAsync();
        var (inNone, _) = await ConnectAsync();
        a.Join("a");
        b.Join("b");
        both.Join(["a", "b"]);

        Server.To("a").To("b").Emit("news", 1);
        Server.Emit("end");

        foreach (var client in new[] { inA, inB, inBoth })
        {
            await client.ExpectPacketAsync("2[\"news\",1]");
            await client.ExpectPacketAsync("2[\"end\"]");
        }

        await inNone.ExpectPacketAsync("2[\"end\"]");
    }

    [Fact]
    public async Task Socket_to_room_excludes_the_sender()
    {
        var (senderClient, sender) = await ConnectAsync();
        var (otherClient, other) = await ConnectAsync();
        sender.Join("lobby");
        other.Join("lobby");
        sender.On("say", (JArray args) => sender.To("lobby").Emit("said", args[0]));

        senderClient.Send("2[\"say\",\"hi\"]");

        await otherClient.ExpectPacketAsync("2[\"said\",\"hi\"]");
        sender.Emit("direct");
        await senderClient.ExpectPacketAsync("2[\"direct\"]");
    }

    [Fact]
    public async Task Socket_broadcast_reaches_everyone_but_the_sender()
    {
        var (senderClient, sender) = await ConnectAsync();
        var (otherClient, _) = await ConnectAsync();
        var (thirdClient, _) = await ConnectAsync();

        sender.Broadcast.Emit("hey");
        Server.Emit("end");

        await otherClient.ExpectPacketAsync("2[\"hey\"]");
        await thirdClient.ExpectPacketAsync("2[\"hey\"]");
        await senderClient.ExpectPacketAsync("2[\"end\"]");
    }

    [Fact]
    public async Task Io_except_room_skips_its_members()
    {
        var (bannedClient, banned) = await ConnectAsync();
        var (okClient, _) = await ConnectAsync();
        banned.Join("banned");

        Server.Except("banned").Emit("news");
        Server.Emit("end");

        await okClient.ExpectPacketAsync("2[\"news\"]");
        await okClient.ExpectPacketAsync("2[\"end\"]");
        await bannedClient.ExpectPacketAsync("2[\"end\"]");
    }

    [Fact]
    public async Task To_a_room_except_another_room_reaches_the_difference()
    {
        var (onlyLobbyClient, onlyLobby) = await ConnectAsync();
        var (bothClient, both) = await ConnectAsync();
        onlyLobby.Join("lobby");
        both.Join(["lobby", "muted"]);

        Server.To("lobby").Except("muted").Emit("news");
        Server.Emit("end");

        await onlyLobbyClient.ExpectPacketAsync("2[\"news\"]");
        await bothClient.ExpectPacketAsync("2[\"end\"]");
    }

    [Fact]
    public async Task A_socket_s_own_id_is_a_room()
    {
        var (client, socket) = await ConnectAsync();
        var (otherClient, _) = await ConnectAsync();

        Server.To(socket.Id).Emit("private", "msg");
        Server.Emit("end");

        await client.ExpectPacketAsync("2[\"private\",\"msg\"]");
        await otherClient.ExpectPacketAsync("2[\"end\"]");
    }

    [Fact]
    public async Task A_broadcast_to_an_empty_room_reaches_nobody()
    {
        var (client, _) = await ConnectAsync();

        Server.To("nobody-here").Emit("lost");
        Server.Emit("end");

        await client.ExpectPacketAsync("2[\"end\"]");
    }

    [Fact]
    public async Task A_room_broadcast_is_encoded_once_and_the_same_bytes_go_to_every_member()
    {
        var clients = new List<(TestClient Client, Socket Socket)>();
        for (var i = 0; i < 3; i++) clients.Add(await ConnectAsync());
        foreach (var (_, socket) in clients) socket.Join("lobby");

        Server.To("lobby").Emit("shared", "payload");

        var sent = new List<Sent>();
        foreach (var (client, _) in clients) sent.Add(await client.ExpectPacketAsync("2[\"shared\",\"payload\"]"));
        Assert.All(sent, s => Assert.True(s.Text.Equals(sent[0].Text), "each member got its own copy of the bytes"));
    }

    [Fact]
    public async Task A_namespace_broadcast_is_encoded_once_and_the_same_bytes_go_to_every_socket()
    {
        var clients = new List<(TestClient Client, Socket Socket)>();
        for (var i = 0; i < 3; i++) clients.Add(await ConnectAsync());

        Server.Emit("shared", new byte[] { 9 });

        var sent = new List<Sent>();
        foreach (var (client, _) in clients) sent.Add(await client.ExpectPacketAsync("51-[\"shared\",{\"_placeholder\":true,\"num\":0}]"));
        Assert.All(sent, s => Assert.True(s.Text.Equals(sent[0].Text), "each socket got its own copy of the bytes"));
        Assert.All(sent, s => Assert.Equal([9], Assert.Single(s.Attachments)));
    }

    [Fact]
    public async Task Broadcasts_from_one_caller_arrive_in_the_order_they_were_emitted()
    {
        var (client, socket) = await ConnectAsync();
        socket.Join(["a", "b"]);

        for (var i = 0; i < 20; i++)
        {
            Server.To("a").Emit("n", 3 * i);
            Server.To("b").Emit("n", (3 * i) + 1);
            Server.Emit("n", (3 * i) + 2);
        }

        for (var i = 0; i < 60; i++)
            await client.ExpectPacketAsync($"2[\"n\",{i}]");
    }

    [Fact]
    public async Task A_volatile_broadcast_skips_sockets_that_are_not_writable()
    {
        var (slowClient, slow) = await ConnectAsync();
        var (fastClient, fast) = await ConnectAsync();
        slow.Join("lobby");
        fast.Join("lobby");
        slowClient.Connection.Writable = false;

        Server.To("lobby").Volatile.Emit("position", 1);
        Server.To("lobby").Emit("end");

        await fastClient.ExpectPacketAsync("2[\"position\",1]");
        await fastClient.ExpectPacketAsync("2[\"end\"]");
        await slowClient.ExpectPacketAsync("2[\"end\"]");
    }

    [Fact]
    public async Task A_client_namespace_disconnect_has_the_reason_client_namespace_disconnect()
    {
        var (client, socket) = await ConnectAsync();
        var watch = WatchDisconnect(socket);

        client.Send("1");

        await watch.ExpectMsgAsync("disconnecting:client namespace disconnect");
        await watch.ExpectMsgAsync("disconnect:client namespace disconnect");
        Assert.True(client.Connection.IsOpen);
        Assert.False(client.Wire.HasMessages);
    }

    [Fact]
    public async Task A_transport_close_has_the_reason_transport_close()
    {
        var (client, socket) = await ConnectAsync();
        var admin = await JoinAsync(client, "/admin");
        var root = WatchDisconnect(socket);
        var other = WatchDisconnect(admin);

        client.Handler.OnClose("transport close");

        await root.ExpectMsgAsync("disconnecting:transport close");
        await root.ExpectMsgAsync("disconnect:transport close");
        await other.ExpectMsgAsync("disconnecting:transport close");
        await other.ExpectMsgAsync("disconnect:transport close");
        Assert.Equal(0, client.Connection.CloseCount);
        Assert.Equal(0, Server.ConnectionCount);
    }

    [Fact]
    public async Task A_server_disconnect_writes_disconnect_and_has_the_reason_server_namespace_disconnect()
    {
        var (client, socket) = await ConnectAsync();
        var admin = await JoinAsync(client, "/admin");
        var watch = WatchDisconnect(admin);

        admin.Disconnect();

        await watch.ExpectMsgAsync("disconnecting:server namespace disconnect");
        await client.ExpectPacketAsync("1/admin,");
        await watch.ExpectMsgAsync("disconnect:server namespace disconnect");
        Assert.True(client.Connection.IsOpen);
        socket.Emit("root", "still connected");
        await client.ExpectPacketAsync("2[\"root\",\"still connected\"]");
    }

    [Fact]
    public async Task A_server_disconnect_with_close_disconnects_every_namespace_and_closes_the_connection()
    {
        var (client, socket) = await ConnectAsync();
        var admin = await JoinAsync(client, "/admin");
        var root = WatchDisconnect(socket);
        var other = WatchDisconnect(admin);

        socket.Disconnect(close: true);

        var packets = new[] { (await client.Wire.ExpectMsgAsync<Sent>()).Packet, (await client.Wire.ExpectMsgAsync<Sent>()).Packet };
        Assert.Equal(["1", "1/admin,"], packets.Order(StringComparer.Ordinal));
        await client.ExpectClosedAsync();
        await root.ExpectMsgAsync("disconnecting:server namespace disconnect");
        await root.ExpectMsgAsync("disconnect:server namespace disconnect");
        await other.ExpectMsgAsync("disconnecting:server namespace disconnect");
        await other.ExpectMsgAsync("disconnect:server namespace disconnect");
    }

    [Fact]
    public async Task A_client_may_reconnect_to_a_namespace_right_after_leaving_it()
    {
        var client = NewClient();
        var first = await JoinAsync(client, "/admin");
        var watch = WatchDisconnect(first);

        client.Send("1/admin,");
        var second = await JoinAsync(client, "/admin");

        await watch.ExpectMsgAsync("disconnecting:client namespace disconnect");
        Assert.NotEqual(first.Id, second.Id);
        Assert.True(client.Connection.IsOpen);
        second.Emit("welcome", "back");
        await client.ExpectPacketAsync("2/admin,[\"welcome\",\"back\"]");
    }

    [Fact]
    public async Task A_client_may_reconnect_as_soon_as_it_reads_the_server_s_disconnect()
    {
        var client = NewClient();
        var first = await JoinAsync(client, "/admin");
        client.Connection.OnSend = sent =>
        {
            if (sent.Packet == "1/admin,") client.Send("0/admin,");
        };

        first.Disconnect();

        await client.ExpectPacketAsync("1/admin,");
        var answer = await client.Wire.ExpectMsgAsync<Sent>();
        var second = await ConnectionsOf("/admin").ExpectMsgAsync<Socket>();
        Assert.Equal($"0/admin,{{\"sid\":\"{second.Id}\"}}", answer.Packet);
        Assert.Equal(0, client.Connection.CloseCount);
    }
}
