using System.Collections.Concurrent;
using System.Net;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Http;
using SocketIo.Transport.EngineIo;
using SocketIo.Transport.Tests.Robustness;

namespace SocketIo.Transport.Tests.Integration;

/// <summary>
/// The hook of a cluster without sticky sessions: <see cref="EngineIoOptions.SessionIdPrefix"/> tags the sids a server
/// generates, and <see cref="EngineIoOptions.SessionForwarder"/> is asked to serve a request naming a sid the server
/// does not hold, on the HTTP path and on the direct WebSocket path alike, before it would be refused as unknown.
/// </summary>
public sealed class SessionForwardingTests
{
    private const string Key = "dGhlIHNhbXBsZSBub25jZQ==";

    /// <summary>Records what it is asked; serves polling requests with <c>forwarded:{sid}</c> and echoes relayed WebSocket messages.</summary>
    private sealed class FakeForwarder(bool serves = true) : IEngineSessionForwarder
    {
        public ConcurrentQueue<string> Asked { get; } = new();

        public ConcurrentQueue<EngineIoServer> Attached { get; } = new();

        public void Attach(EngineIoServer server) => Attached.Enqueue(server);

        public async ValueTask<bool> TryForwardAsync(EngineIoServer server, HttpContext context, string sid, CancellationToken cancellationToken)
        {
            Asked.Enqueue($"{context.Request.Method} {sid} {(context.WebSockets.IsWebSocketRequest ? "websocket" : "http")}");
            if (!serves) return false;
            if (!context.WebSockets.IsWebSocketRequest)
            {
                var body = await new StreamReader(context.Request.Body).ReadToEndAsync(cancellationToken);
                context.Response.StatusCode = StatusCodes.Status200OK;
                context.Response.ContentType = "text/plain; charset=UTF-8";
                await context.Response.WriteAsync($"forwarded:{sid}:{body}", cancellationToken);
                return true;
            }

            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            var buffer = new byte[1024];
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer, cancellationToken);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cancellationToken);
                    return true;
                }

                await socket.SendAsync(buffer.AsMemory(0, result.Count), result.MessageType, result.EndOfMessage, cancellationToken);
            }
        }
    }

    [Fact]
    public async Task A_polling_get_and_post_for_an_unknown_sid_are_served_by_the_forwarder()
    {
        var forwarder = new FakeForwarder();
        await using var server = await TestServer.StartAsync(o => o.SessionForwarder = forwarder);
        Assert.Equal("forwarded:elsewhere:", await server.PollAsync("elsewhere"));
        using var post = await server.PostAsync("EIO=4&transport=polling&sid=elsewhere", "4hello");
        Assert.Equal(HttpStatusCode.OK, post.StatusCode);
        Assert.Equal("forwarded:elsewhere:4hello", await post.Content.ReadAsStringAsync().WaitAsync(TestServer.Timeout));
        Assert.Equal(["GET elsewhere http", "POST elsewhere http"], forwarder.Asked);
    }

    [Fact]
    public async Task Requests_for_a_local_session_never_ask_the_forwarder()
    {
        var forwarder = new FakeForwarder();
        await using var server = await TestServer.StartAsync(o => o.SessionForwarder = forwarder);
        var (sid, _) = await server.HandshakeAsync();
        await server.SendAsync(sid, "4hi");
        Assert.Equal("4hi", await server.PollAsync(sid));
        using var socket = await server.ConnectWebSocketAsync($"EIO=4&transport=websocket&sid={sid}");
        await socket.SendTextAsync("2probe");
        Assert.Equal("3probe", await socket.ReceiveTextAsync());
        Assert.Empty(forwarder.Asked);
    }

    [Fact]
    public async Task The_noop_owed_by_a_session_the_client_closed_comes_before_the_forwarder()
    {
        var forwarder = new FakeForwarder();
        await using var server = await TestServer.StartAsync(o => o.SessionForwarder = forwarder);
        var (sid, _) = await server.HandshakeAsync();
        await server.SendAsync(sid, "1");
        Assert.Equal("6", await server.PollAsync(sid));
        Assert.Empty(forwarder.Asked);
        // Once the noop is answered the session is unknown here: the forwarder is asked.
        Assert.Equal($"forwarded:{sid}:", await server.PollAsync(sid));
        Assert.Equal([$"GET {sid} http"], forwarder.Asked);
    }

    [Fact]
    public async Task A_forwarder_that_declines_leaves_the_reference_unknown_sid_error()
    {
        var forwarder = new FakeForwarder(serves: false);
        await using var server = await TestServer.StartAsync(o => o.SessionForwarder = forwarder);
        using var get = await server.GetAsync("EIO=4&transport=polling&sid=nope");
        await ErrorTests.AssertErrorAsync(get, HttpStatusCode.BadRequest, "{\"code\":1,\"message\":\"Session ID unknown\"}");
        using var post = await server.PostAsync("EIO=4&transport=polling&sid=nope", "4x");
        await ErrorTests.AssertErrorAsync(post, HttpStatusCode.BadRequest, "{\"code\":1,\"message\":\"Session ID unknown\"}");
        Assert.Equal(["GET nope http", "POST nope http"], forwarder.Asked);
    }

    [Fact]
    public async Task Every_server_built_with_a_forwarder_attaches_itself()
    {
        var forwarder = new FakeForwarder();
        await using var server = await TestServer.StartAsync(o => o.SessionForwarder = forwarder);
        Assert.Equal([server.Engine], forwarder.Attached);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Sids_start_with_the_prefix_and_keep_twenty_random_characters(bool direct)
    {
        await using var server = await TestServer.StartAsync(o => o.SessionIdPrefix = "Ab-_09xZ", directWebSockets: direct);
        var (pollingSid, _) = await server.HandshakeAsync();
        using var socket = await server.ConnectWebSocketAsync("EIO=4&transport=websocket");
        var webSocketSid = TestServer.SidOf(await socket.ReceiveTextAsync());
        foreach (var sid in new[] { pollingSid, webSocketSid })
        {
            Assert.StartsWith("Ab-_09xZ", sid);
            Assert.Equal(28, sid.Length);
        }

        Assert.NotEqual(pollingSid[8..], webSocketSid[8..]);
    }

    [Fact]
    public async Task Without_a_prefix_sids_are_twenty_characters_as_before()
    {
        await using var server = await TestServer.StartAsync();
        var (sid, _) = await server.HandshakeAsync();
        Assert.Equal(20, sid.Length);
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData("no spaces")]
    [InlineData("é")]
    [InlineData("123456789012345678901234567890123")]
    public void A_prefix_that_is_not_short_base64url_is_refused_when_the_server_is_built(string prefix)
    {
        var error = Assert.Throws<ArgumentException>(() => new EngineIoServer(new RecordingHandler(), new EngineIoOptions { SessionIdPrefix = prefix }));
        Assert.Contains("SessionIdPrefix", error.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_websocket_upgrade_for_an_unknown_sid_is_handed_to_the_forwarder_which_may_accept_it(bool direct)
    {
        var forwarder = new FakeForwarder();
        await using var server = await TestServer.StartAsync(o => o.SessionForwarder = forwarder, directWebSockets: direct);
        using var socket = await server.ConnectWebSocketAsync("EIO=4&transport=websocket&sid=elsewhere");
        await socket.SendTextAsync("2probe");
        Assert.Equal("2probe", await socket.ReceiveTextAsync());
        await socket.SendBinaryAsync([1, 2, 3]);
        var frame = await socket.ReceiveFrameAsync();
        Assert.Equal(WebSocketMessageType.Binary, frame.Type);
        Assert.Equal([1, 2, 3], frame.Data);
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).WaitAsync(TestServer.Timeout);
        Assert.Equal(["GET elsewhere websocket"], forwarder.Asked);
    }

    [Fact]
    public async Task A_direct_upgrade_the_forwarder_declines_gets_the_unknown_sid_refusal_on_the_connection()
    {
        var forwarder = new FakeForwarder(serves: false);
        await using var server = await TestServer.StartAsync(o => o.SessionForwarder = forwarder, directWebSockets: true);
        await using var raw = await RawHttp.ConnectAsync(server);
        await raw.WriteAsync(
            "GET /socket.io/?EIO=4&transport=websocket&sid=nope HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
            $"Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: {Key}\r\n\r\n");
        var (text, closed) = await raw.ReadUntilClosedAsync(TestServer.Timeout);
        Assert.True(closed);
        Assert.Equal(
            "HTTP/1.1 400 Bad Request\r\nContent-Type: text/html\r\nConnection: close\r\nContent-Length: 18\r\n\r\nSession ID unknown", text);
        Assert.Equal(["GET nope websocket"], forwarder.Asked);
    }

    [Fact]
    public async Task A_non_direct_upgrade_the_forwarder_declines_is_refused_400()
    {
        var forwarder = new FakeForwarder(serves: false);
        await using var server = await TestServer.StartAsync(o => o.SessionForwarder = forwarder);
        var error = await Assert.ThrowsAsync<WebSocketException>(() => server.ConnectWebSocketAsync("EIO=4&transport=websocket&sid=nope"));
        Assert.Contains("400", error.Message);
        Assert.Equal(["GET nope websocket"], forwarder.Asked);
    }
}
