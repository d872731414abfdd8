using System.Net;

namespace SocketIo.Transport.Tests.Integration;

[Collection(TimingSensitive.Name)]
public sealed class HeartbeatTests
{
    [Fact]
    public async Task A_v4_client_that_never_answers_pings_is_closed_with_ping_timeout()
    {
        await using var server = await TestServer.StartAsync(o =>
        {
            o.PingInterval = TimeSpan.FromMilliseconds(300);
            o.PingTimeout = TimeSpan.FromMilliseconds(300);
        });
        var (sid, body) = await server.HandshakeAsync();
        Assert.Contains("\"pingInterval\":300,\"pingTimeout\":300", body);
        Assert.Equal("2", await server.PollAsync(sid));
        Assert.Equal("ping timeout", (await server.Handler.Get(sid).Closed).Reason);
        using var later = await server.GetAsync($"EIO=4&transport=polling&sid={sid}");
        Assert.Equal(HttpStatusCode.BadRequest, later.StatusCode);
    }

    [Fact]
    public async Task A_v4_client_answering_pings_stays_open()
    {
        await using var server = await TestServer.StartAsync(o =>
        {
            o.PingInterval = TimeSpan.FromMilliseconds(100);
            o.PingTimeout = TimeSpan.FromSeconds(2);
        });
        using var socket = await server.ConnectWebSocketAsync("EIO=4&transport=websocket");
        var sid = TestServer.SidOf(await socket.ReceiveTextAsync());
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal("2", await socket.ReceiveTextAsync());
            await socket.SendTextAsync("3");
        }

        Assert.False(server.Handler.Get(sid).IsClosed);
        Assert.True(server.Handler.Get(sid).Session.IsOpen);
    }

    [Fact]
    public async Task A_v3_ping_is_answered_with_a_pong_and_silence_closes_the_session()
    {
        await using var server = await TestServer.StartAsync(o =>
        {
            o.PingInterval = TimeSpan.FromMilliseconds(400);
            o.PingTimeout = TimeSpan.FromMilliseconds(400);
        });
        var (sid, _) = await server.HandshakeAsync("3");
        await server.SendAsync(sid, "1:2", "3");
        Assert.Equal("1:3", await server.PollAsync(sid, "3"));
        var closed = await server.Handler.Get(sid).Closed;
        Assert.Equal("ping timeout", closed.Reason);
    }
}
