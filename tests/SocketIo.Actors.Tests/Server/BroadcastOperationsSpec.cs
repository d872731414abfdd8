using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace SocketIo.Actors.Tests.Server;

/// <summary>Broadcast acknowledgements and the operations on selected sockets (fetch, join, leave, disconnect).</summary>
public sealed class BroadcastOperationsSpec : ServerSpec
{
    [Fact]
    public async Task A_broadcast_with_ack_gathers_the_first_argument_of_every_answer()
    {
        var (first, _) = await ConnectAsync();
        var (second, _) = await ConnectAsync();

        var answers = Server.EmitWithAck("vote", "?");
        await first.ExpectPacketAsync("20[\"vote\",\"?\"]");
        await second.ExpectPacketAsync("20[\"vote\",\"?\"]");
        first.Send("30[\"yes\",\"ignored\"]");
        Assert.False(answers.IsCompleted);
        second.Send("30[{\"no\":1}]");

        var result = Await(answers).Select(a => a!.ToString(Formatting.None)).Order(StringComparer.Ordinal);
        Assert.Equal(["\"yes\"", "{\"no\":1}"], result);
    }

    [Fact]
    public async Task A_room_broadcast_with_ack_waits_only_for_the_room_s_members()
    {
        var (member, socket) = await ConnectAsync();
        var (outsider, _) = await ConnectAsync();
        socket.Join("lobby");

        var answers = Server.To("lobby").EmitWithAck("ping");
        Server.Emit("end");
        await member.ExpectPacketAsync("20[\"ping\"]");
        await outsider.ExpectPacketAsync("2[\"end\"]");
        member.Send("30[\"pong\"]");

        Assert.Equal("pong", (string?)Assert.Single(Await(answers)));
    }

    [Fact]
    public async Task A_broadcast_with_ack_to_nobody_completes_at_once_with_no_answers()
    {
        await ConnectAsync();

        var answers = Server.To("empty").EmitWithAck("ping");

        Assert.Empty(Await(answers));
    }

    [Fact]
    public async Task A_broadcast_with_ack_times_out_listing_the_answers_that_came()
    {
        var (first, socket) = await ConnectAsync();
        var (second, _) = await ConnectAsync();
        socket.On("barrier", (JArray _, Ack? ack) => ack!());

        var answers = Server.Timeout(TimeSpan.FromSeconds(5)).EmitWithAck("vote");
        await first.ExpectPacketAsync("20[\"vote\"]");
        await second.ExpectPacketAsync("20[\"vote\"]");
        first.Send("30[\"yes\"]");
        first.Send("21[\"barrier\"]");
        await first.ExpectPacketAsync("31[]");
        Clock.Advance(TimeSpan.FromSeconds(5));

        var error = AwaitFailure<AckTimeoutException>(answers);
        Assert.Equal(2, error.Expected);
        Assert.Equal("yes", (string?)Assert.Single(error.Responses));
    }

    [Fact]
    public async Task A_socket_s_broadcast_with_ack_excludes_the_sender()
    {
        var (senderClient, sender) = await ConnectAsync();
        var (other, _) = await ConnectAsync();

        var answers = sender.Broadcast.EmitWithAck("ping");
        await other.ExpectPacketAsync("20[\"ping\"]");
        other.Send("30[1]");

        Assert.Equal(1, (int?)Assert.Single(Await(answers)));
        Assert.False(senderClient.Wire.HasMessages);
    }

    [Fact]
    public async Task FetchSockets_returns_the_sockets_of_the_target_rooms()
    {
        var (_, a) = await ConnectAsync();
        var (_, b) = await ConnectAsync();
        var (_, c) = await ConnectAsync();
        a.Join("red");
        b.Join(["red", "blue"]);
        c.Join("blue");
        a.Data = "data of a";

        var all = Await(Server.FetchSockets());
        var red = Await(Server.In("red").FetchSockets());
        var redNotBlue = Await(Server.In("red").Except("blue").FetchSockets());

        Assert.Equal(new[] { a.Id, b.Id, c.Id }.Order(StringComparer.Ordinal), all.Select(s => s.Id).Order(StringComparer.Ordinal));
        Assert.Equal(new[] { a.Id, b.Id }.Order(StringComparer.Ordinal), red.Select(s => s.Id).Order(StringComparer.Ordinal));
        var only = Assert.Single(redNotBlue);
        Assert.Equal(a.Id, only.Id);
        Assert.Equal("data of a", only.Data);
        Assert.Equal(new[] { a.Id, "red" }.Order(StringComparer.Ordinal), only.Rooms.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_fetched_socket_can_be_emitted_to_and_asked_for_an_ack()
    {
        var (client, socket) = await ConnectAsync();
        var fetched = Assert.Single(Await(Server.FetchSockets()));

        fetched.Emit("hi");
        var answer = fetched.EmitWithAck(TimeSpan.FromSeconds(5), "q");

        await client.ExpectPacketAsync("2[\"hi\"]");
        await client.ExpectPacketAsync("20[\"q\"]");
        client.Send("30[\"a\"]");
        Assert.Equal("[\"a\"]", Await(answer).ToString(Formatting.None));
        Assert.Equal(socket.Id, fetched.Id);
    }

    [Fact]
    public async Task SocketsJoin_and_SocketsLeave_change_the_rooms_of_the_target_sockets()
    {
        var (redClient, red) = await ConnectAsync();
        var (otherClient, other) = await ConnectAsync();
        red.Join("red");

        Await(Server.In("red").SocketsJoin("vip", "gold"));
        Assert.Contains("vip", red.Rooms);
        Assert.Contains("gold", red.Rooms);
        Assert.DoesNotContain("vip", other.Rooms);

        Server.To("vip").Emit("welcome");
        Server.Emit("end");
        await redClient.ExpectPacketAsync("2[\"welcome\"]");
        await otherClient.ExpectPacketAsync("2[\"end\"]");

        Await(Server.SocketsLeave("gold"));
        Assert.DoesNotContain("gold", red.Rooms);
        Assert.Contains("vip", red.Rooms);
    }

    [Fact]
    public async Task DisconnectSockets_disconnects_the_target_sockets_from_the_namespace()
    {
        var (redClient, red) = await ConnectAsync();
        var (otherClient, other) = await ConnectAsync();
        red.Join("red");
        var watch = WatchDisconnect(red);

        Await(Server.In("red").DisconnectSockets());

        await watch.ExpectMsgAsync("disconnecting:server namespace disconnect");
        await redClient.ExpectPacketAsync("1");
        await watch.ExpectMsgAsync("disconnect:server namespace disconnect");
        Assert.True(redClient.Connection.IsOpen);
        Assert.True(other.Connected);
        Assert.False(otherClient.Wire.HasMessages);
    }

    [Fact]
    public async Task DisconnectSockets_with_close_closes_their_connections()
    {
        var (redClient, red) = await ConnectAsync();
        var (otherClient, _) = await ConnectAsync();
        red.Join("red");
        var watch = WatchDisconnect(red);

        Await(Server.In("red").DisconnectSockets(close: true));

        await redClient.ExpectPacketAsync("1");
        await redClient.ExpectClosedAsync();
        await watch.ExpectMsgAsync("disconnecting:server namespace disconnect");
        await watch.ExpectMsgAsync("disconnect:server namespace disconnect");
        Assert.True(otherClient.Connection.IsOpen);
    }
}
