using Newtonsoft.Json.Linq;
using static SocketIo.Actors.Rooms.RoomEvents;

namespace SocketIo.Actors.Tests.Server;

/// <summary>Rooms, broadcasts and their exclusions, room events, and the disconnect sequence.</summary>
public sealed class RoomSpec : ServerSpec
{
    [Fact]
    public void Joining_and_leaving_a_room_publishes_room_events_in_order()
    {
        var events = SubscribeToRoomEvents();
        var (_, socket) = Connect();
        events.ExpectMsg<IRoomEvent>(new RoomCreated("/", socket.Id));
        events.ExpectMsg<IRoomEvent>(new SocketJoinedRoom("/", socket.Id, socket.Id));

        socket.Join("lobby");
        socket.Leave("lobby");

        events.ExpectMsg<IRoomEvent>(new RoomCreated("/", "lobby"));
        events.ExpectMsg<IRoomEvent>(new SocketJoinedRoom("/", "lobby", socket.Id));
        events.ExpectMsg<IRoomEvent>(new SocketLeftRoom("/", "lobby", socket.Id));
        events.ExpectMsg<IRoomEvent>(new RoomDeleted("/", "lobby"));
        Assert.Equal([socket.Id], socket.Rooms);
    }

    [Fact]
    public void A_room_is_deleted_only_when_its_last_member_leaves()
    {
        var (_, first) = Connect();
        var (_, second) = Connect();
        var events = SubscribeToRoomEvents();

        first.Join("lobby");
        second.Join(["lobby", "lobby"]);
        first.Leave("lobby");
        second.Leave("lobby");

        events.ExpectMsg<IRoomEvent>(new RoomCreated("/", "lobby"));
        events.ExpectMsg<IRoomEvent>(new SocketJoinedRoom("/", "lobby", first.Id));
        events.ExpectMsg<IRoomEvent>(new SocketJoinedRoom("/", "lobby", second.Id));
        events.ExpectMsg<IRoomEvent>(new SocketLeftRoom("/", "lobby", first.Id));
        events.ExpectMsg<IRoomEvent>(new SocketLeftRoom("/", "lobby", second.Id));
        events.ExpectMsg<IRoomEvent>(new RoomDeleted("/", "lobby"));
    }

    [Fact]
    public void Socket_actor_leaves_rooms_on_disconnect()
    {
        var (client, socket) = Connect();
        var events = SubscribeToRoomEvents();
        socket.Join(["a", "b"]);
        events.ReceiveN(4);
        var watch = WatchDisconnect(socket);

        client.Send("1");

        watch.ExpectMsg("disconnecting:client namespace disconnect");
        watch.ExpectMsg("disconnect:client namespace disconnect");
        var seen = events.ReceiveN(6).Cast<IRoomEvent>().ToList();
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
    public void Disconnecting_listeners_still_see_the_rooms()
    {
        var (client, socket) = Connect();
        socket.Join("lobby");
        var seen = CreateTestProbe();
        socket.OnDisconnecting(_ => seen.Ref.Tell(string.Join(",", socket.Rooms.Order(StringComparer.Ordinal)), null));

        client.Send("1");

        seen.ExpectMsg(string.Join(",", new[] { socket.Id, "lobby" }.Order(StringComparer.Ordinal)));
    }

    [Fact]
    public void Disconnect_listeners_see_the_socket_out_of_every_room()
    {
        var (client, socket) = Connect();
        socket.Join("lobby");
        var seen = CreateTestProbe();
        socket.OnDisconnect(_ => seen.Ref.Tell("rooms:" + string.Join(",", socket.Rooms), null));

        client.Send("1");

        seen.ExpectMsg("rooms:");
    }

    [Fact]
    public void A_room_left_while_its_socket_disconnects_is_deleted()
    {
        var (client, socket) = Connect();
        var events = SubscribeToRoomEvents();
        socket.Join("lobby");
        events.ReceiveN(2);
        socket.OnDisconnecting(_ => socket.Leave("lobby"));

        client.Send("1");

        var seen = events.ReceiveN(4).Cast<IRoomEvent>().ToList();
        Assert.Contains(new RoomDeleted("/", "lobby"), seen);
        Assert.Contains(new RoomDeleted("/", socket.Id), seen);
    }

    [Fact]
    public void A_socket_in_two_target_rooms_gets_the_packet_once()
    {
        var (inA, a) = Connect();
        var (inB, b) = Connect();
        var (inBoth, both) = Connect();
        var (inNone, _) = Connect();
        a.Join("a");
        b.Join("b");
        both.Join(["a", "b"]);

        Server.To("a").To("b").Emit("news", 1);
        Server.Emit("end");

        foreach (var client in new[] { inA, inB, inBoth })
        {
            client.ExpectPacket("2[\"news\",1]");
            client.ExpectPacket("2[\"end\"]");
        }

        inNone.ExpectPacket("2[\"end\"]");
    }

    [Fact]
    public void Socket_to_room_excludes_the_sender()
    {
        var (senderClient, sender) = Connect();
        var (otherClient, other) = Connect();
        sender.Join("lobby");
        other.Join("lobby");
        sender.On("say", (JArray args) => sender.To("lobby").Emit("said", args[0]));

        senderClient.Send("2[\"say\",\"hi\"]");

        otherClient.ExpectPacket("2[\"said\",\"hi\"]");
        sender.Emit("direct");
        senderClient.ExpectPacket("2[\"direct\"]");
    }

    [Fact]
    public void Socket_broadcast_reaches_everyone_but_the_sender()
    {
        var (senderClient, sender) = Connect();
        var (otherClient, _) = Connect();
        var (thirdClient, _) = Connect();

        sender.Broadcast.Emit("hey");
        Server.Emit("end");

        otherClient.ExpectPacket("2[\"hey\"]");
        thirdClient.ExpectPacket("2[\"hey\"]");
        senderClient.ExpectPacket("2[\"end\"]");
    }

    [Fact]
    public void Io_except_room_skips_its_members()
    {
        var (bannedClient, banned) = Connect();
        var (okClient, _) = Connect();
        banned.Join("banned");

        Server.Except("banned").Emit("news");
        Server.Emit("end");

        okClient.ExpectPacket("2[\"news\"]");
        okClient.ExpectPacket("2[\"end\"]");
        bannedClient.ExpectPacket("2[\"end\"]");
    }

    [Fact]
    public void To_a_room_except_another_room_reaches_the_difference()
    {
        var (onlyLobbyClient, onlyLobby) = Connect();
        var (bothClient, both) = Connect();
        onlyLobby.Join("lobby");
        both.Join(["lobby", "muted"]);

        Server.To("lobby").Except("muted").Emit("news");
        Server.Emit("end");

        onlyLobbyClient.ExpectPacket("2[\"news\"]");
        bothClient.ExpectPacket("2[\"end\"]");
    }

    [Fact]
    public void A_socket_s_own_id_is_a_room()
    {
        var (client, socket) = Connect();
        var (otherClient, _) = Connect();

        Server.To(socket.Id).Emit("private", "msg");
        Server.Emit("end");

        client.ExpectPacket("2[\"private\",\"msg\"]");
        otherClient.ExpectPacket("2[\"end\"]");
    }

    [Fact]
    public void A_broadcast_to_an_empty_room_reaches_nobody()
    {
        var (client, _) = Connect();

        Server.To("nobody-here").Emit("lost");
        Server.Emit("end");

        client.ExpectPacket("2[\"end\"]");
    }

    [Fact]
    public void A_room_broadcast_is_encoded_once_and_the_same_bytes_go_to_every_member()
    {
        var clients = Enumerable.Range(0, 3).Select(_ => Connect()).ToList();
        foreach (var (_, socket) in clients) socket.Join("lobby");

        Server.To("lobby").Emit("shared", "payload");

        var sent = clients.Select(c => c.Client.ExpectPacket("2[\"shared\",\"payload\"]")).ToList();
        Assert.All(sent, s => Assert.True(s.Text.Equals(sent[0].Text), "each member got its own copy of the bytes"));
    }

    [Fact]
    public void A_namespace_broadcast_is_encoded_once_and_the_same_bytes_go_to_every_socket()
    {
        var clients = Enumerable.Range(0, 3).Select(_ => Connect()).ToList();

        Server.Emit("shared", new byte[] { 9 });

        var sent = clients.Select(c => c.Client.ExpectPacket("51-[\"shared\",{\"_placeholder\":true,\"num\":0}]")).ToList();
        Assert.All(sent, s => Assert.True(s.Text.Equals(sent[0].Text), "each socket got its own copy of the bytes"));
        Assert.All(sent, s => Assert.Equal([9], Assert.Single(s.Attachments)));
    }

    [Fact]
    public void Broadcasts_from_one_caller_arrive_in_the_order_they_were_emitted()
    {
        var (client, socket) = Connect();
        socket.Join(["a", "b"]);

        for (var i = 0; i < 20; i++)
        {
            Server.To("a").Emit("n", 3 * i);
            Server.To("b").Emit("n", (3 * i) + 1);
            Server.Emit("n", (3 * i) + 2);
        }

        for (var i = 0; i < 60; i++)
            client.ExpectPacket($"2[\"n\",{i}]");
    }

    [Fact]
    public void A_volatile_broadcast_skips_sockets_that_are_not_writable()
    {
        var (slowClient, slow) = Connect();
        var (fastClient, fast) = Connect();
        slow.Join("lobby");
        fast.Join("lobby");
        slowClient.Connection.Writable = false;

        Server.To("lobby").Volatile.Emit("position", 1);
        Server.To("lobby").Emit("end");

        fastClient.ExpectPacket("2[\"position\",1]");
        fastClient.ExpectPacket("2[\"end\"]");
        slowClient.ExpectPacket("2[\"end\"]");
    }

    [Fact]
    public void A_client_namespace_disconnect_has_the_reason_client_namespace_disconnect()
    {
        var (client, socket) = Connect();
        var watch = WatchDisconnect(socket);

        client.Send("1");

        watch.ExpectMsg("disconnecting:client namespace disconnect");
        watch.ExpectMsg("disconnect:client namespace disconnect");
        Assert.True(client.Connection.IsOpen);
        Assert.False(client.Wire.HasMessages);
    }

    [Fact]
    public void A_transport_close_has_the_reason_transport_close()
    {
        var (client, socket) = Connect();
        var admin = Join(client, "/admin");
        var root = WatchDisconnect(socket);
        var other = WatchDisconnect(admin);

        client.Handler.OnClose("transport close");

        root.ExpectMsg("disconnecting:transport close");
        root.ExpectMsg("disconnect:transport close");
        other.ExpectMsg("disconnecting:transport close");
        other.ExpectMsg("disconnect:transport close");
        Assert.Equal(0, client.Connection.CloseCount);
        Assert.Equal(0, Server.ConnectionCount);
    }

    [Fact]
    public void A_server_disconnect_writes_disconnect_and_has_the_reason_server_namespace_disconnect()
    {
        var (client, socket) = Connect();
        var admin = Join(client, "/admin");
        var watch = WatchDisconnect(admin);

        admin.Disconnect();

        watch.ExpectMsg("disconnecting:server namespace disconnect");
        client.ExpectPacket("1/admin,");
        watch.ExpectMsg("disconnect:server namespace disconnect");
        Assert.True(client.Connection.IsOpen);
        socket.Emit("root", "still connected");
        client.ExpectPacket("2[\"root\",\"still connected\"]");
    }

    [Fact]
    public void A_server_disconnect_with_close_disconnects_every_namespace_and_closes_the_connection()
    {
        var (client, socket) = Connect();
        var admin = Join(client, "/admin");
        var root = WatchDisconnect(socket);
        var other = WatchDisconnect(admin);

        socket.Disconnect(close: true);

        var packets = new[] { client.Wire.ExpectMsg<Sent>().Packet, client.Wire.ExpectMsg<Sent>().Packet };
        Assert.Equal(["1", "1/admin,"], packets.Order(StringComparer.Ordinal));
        client.ExpectClosed();
        root.ExpectMsg("disconnecting:server namespace disconnect");
        root.ExpectMsg("disconnect:server namespace disconnect");
        other.ExpectMsg("disconnecting:server namespace disconnect");
        other.ExpectMsg("disconnect:server namespace disconnect");
    }

    [Fact]
    public void A_client_may_reconnect_to_a_namespace_right_after_leaving_it()
    {
        var client = NewClient();
        var first = Join(client, "/admin");
        var watch = WatchDisconnect(first);

        client.Send("1/admin,");
        var second = Join(client, "/admin");

        watch.ExpectMsg("disconnecting:client namespace disconnect");
        Assert.NotEqual(first.Id, second.Id);
        Assert.True(client.Connection.IsOpen);
        second.Emit("welcome", "back");
        client.ExpectPacket("2/admin,[\"welcome\",\"back\"]");
    }

    [Fact]
    public void A_client_may_reconnect_as_soon_as_it_reads_the_server_s_disconnect()
    {
        var client = NewClient();
        var first = Join(client, "/admin");
        client.Connection.OnSend = sent =>
        {
            if (sent.Packet == "1/admin,") client.Send("0/admin,");
        };

        first.Disconnect();

        client.ExpectPacket("1/admin,");
        var answer = client.Wire.ExpectMsg<Sent>();
        var second = ConnectionsOf("/admin").ExpectMsg<Socket>();
        Assert.Equal($"0/admin,{{\"sid\":\"{second.Id}\"}}", answer.Packet);
        Assert.Equal(0, client.Connection.CloseCount);
    }
}
