using Akka.TestKit;
using Newtonsoft.Json.Linq;

namespace SocketIo.Actors.Tests.Server;

/// <summary>Bad input closes only the offending connection, with socket.io's reasons.</summary>
public sealed class ProtocolViolationSpec : ServerSpec
{
    [Fact]
    public async Task Malformed_text_closes_the_connection_with_parse_error()
    {
        var (client, socket) = await ConnectAsync();
        var watch = WatchDisconnect(socket);

        client.Send("2[");

        await client.ExpectClosedAsync();
        await watch.ExpectMsgAsync("disconnecting:parse error");
        await watch.ExpectMsgAsync("disconnect:parse error");
        Assert.Contains(Logs.Entries, e => e.EventId == 2001);
        Assert.Equal(0, Server.ConnectionCount);
    }

    [Theory]
    [InlineData("9")]
    [InlineData("")]
    [InlineData("2\"not an array\"")]
    [InlineData("2[]")]
    [InlineData("2[1]")]
    [InlineData("3")]
    public async Task Undecodable_packets_close_the_connection(string packet)
    {
        var (client, _) = await ConnectAsync();

        client.Send(packet);

        await client.ExpectClosedAsync();
    }

    [Fact]
    public async Task An_event_for_a_namespace_not_joined_closes_the_connection_with_forced_server_close()
    {
        var (client, socket) = await ConnectAsync();
        var watch = WatchDisconnect(socket);

        client.Send("2/other,[\"x\"]");

        await client.ExpectClosedAsync();
        await watch.ExpectMsgAsync("disconnecting:forced server close");
        await watch.ExpectMsgAsync("disconnect:forced server close");
        Assert.Contains(Logs.Entries, e => e.EventId == 2002);
    }

    [Fact]
    public async Task A_second_connect_to_a_joined_namespace_closes_the_connection()
    {
        var (client, socket) = await ConnectAsync();
        var watch = WatchDisconnect(socket);

        client.Send("0");

        await client.ExpectClosedAsync();
        await watch.ExpectMsgAsync("disconnecting:forced server close");
    }

    [Fact]
    public async Task A_binary_message_with_no_pending_packet_closes_the_connection_with_parse_error()
    {
        var (client, socket) = await ConnectAsync();
        var watch = WatchDisconnect(socket);

        client.SendBinary(1, 2, 3);

        await client.ExpectClosedAsync();
        await watch.ExpectMsgAsync("disconnecting:parse error");
        await watch.ExpectMsgAsync("disconnect:parse error");
    }

    [Fact]
    public async Task Binary_attachments_are_put_back_in_place()
    {
        var (client, socket) = await ConnectAsync();
        var seen = CreateTestProbe();
        socket.On("upload", (JArray args) => seen.Ref.Tell(Convert.ToHexString((byte[])args[0]["file"]!) + "|" + (string?)args[1], null));

        client.Send("51-[\"upload\",{\"file\":{\"_placeholder\":true,\"num\":0}},\"name\"]");
        client.SendBinary(0xCA, 0xFE);

        await seen.ExpectMsgAsync("CAFE|name");
    }

    [Fact]
    public async Task Attachments_that_never_arrive_close_the_connection_after_the_attachment_timeout()
    {
        Options.AttachmentTimeout = TimeSpan.FromSeconds(30);
        var (client, socket) = await ConnectAsync();
        var watch = WatchDisconnect(socket);

        client.Send("52-[\"upload\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]");
        client.SendBinary(1);
        Clock.Advance(TimeSpan.FromSeconds(29));
        Assert.True(client.Connection.IsOpen);
        Clock.Advance(TimeSpan.FromSeconds(1));

        await client.ExpectClosedAsync();
        await watch.ExpectMsgAsync("disconnecting:parse error");
        await watch.ExpectMsgAsync("disconnect:parse error");
    }

    [Fact]
    public async Task Attachments_that_arrive_in_time_stop_the_attachment_timeout()
    {
        Options.AttachmentTimeout = TimeSpan.FromSeconds(30);
        var (client, socket) = await ConnectAsync();
        var seen = CreateTestProbe();
        socket.On("upload", (JArray args) => seen.Ref.Tell(((byte[])args[0]!).Length, null));

        client.Send("51-[\"upload\",{\"_placeholder\":true,\"num\":0}]");
        client.SendBinary(1, 2);
        await seen.ExpectMsgAsync(2);
        Clock.Advance(TimeSpan.FromMinutes(5));
        socket.Emit("alive");

        await client.ExpectPacketAsync("2[\"alive\"]");
        Assert.Equal(0, client.Connection.CloseCount);
    }

    [Fact]
    public async Task The_attachment_timeout_starts_again_for_each_binary_packet()
    {
        Options.AttachmentTimeout = TimeSpan.FromSeconds(30);
        var (client, socket) = await ConnectAsync();
        var seen = CreateTestProbe();
        socket.On("upload", (JArray args) => seen.Ref.Tell("upload", null));

        client.Send("51-[\"upload\",{\"_placeholder\":true,\"num\":0}]");
        Clock.Advance(TimeSpan.FromSeconds(20));
        client.SendBinary(1);
        await seen.ExpectMsgAsync("upload");
        client.Send("51-[\"upload\",{\"_placeholder\":true,\"num\":0}]");
        Clock.Advance(TimeSpan.FromSeconds(20));

        Assert.True(client.Connection.IsOpen);
        Clock.Advance(TimeSpan.FromSeconds(10));
        await client.ExpectClosedAsync();
    }

    [Fact]
    public async Task Too_many_attachments_close_the_connection()
    {
        Options.MaxAttachments = 10;
        var (client, _) = await ConnectAsync();

        client.Send("511-[\"upload\"]");

        await client.ExpectClosedAsync();
    }

    [Fact]
    public async Task A_bad_connection_does_not_disturb_another()
    {
        var (bad, _) = await ConnectAsync();
        var (good, goodSocket) = await ConnectAsync();

        bad.Send("2[");
        await bad.ExpectClosedAsync();
        Server.Emit("news");

        await good.ExpectPacketAsync("2[\"news\"]");
        Assert.True(goodSocket.Connected);
    }

    [Fact]
    public async Task Packets_after_the_connection_closed_are_ignored()
    {
        var (client, socket) = await ConnectAsync();
        var seen = CreateTestProbe();
        socket.On("late", (JArray _) => seen.Ref.Tell("late event ran", null));
        var watch = WatchDisconnect(socket);
        client.Send("2[");
        await client.ExpectClosedAsync();
        await watch.ExpectMsgAsync("disconnecting:parse error");
        await watch.ExpectMsgAsync("disconnect:parse error");

        client.Send("2[\"late\"]");
        client.SendBinary(1);

        Assert.False(seen.HasMessages);
        Assert.Equal(1, client.Connection.CloseCount);
    }
}
