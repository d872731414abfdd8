using System.Net;
using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using SocketIo.Transport.Tests.Integration;

namespace SocketIo.Transport.Tests.Robustness;

/// <summary>
/// HTTP-level abuse against a real Kestrel server: every bad request gets the reference's answer, closes at most
/// its own session, and a healthy WebSocket session keeps exchanging messages throughout.
/// </summary>
public sealed class HttpAbuseTests
{
    [Fact]
    public async Task Unknown_sids_and_garbage_queries_are_refused_and_the_healthy_session_keeps_talking()
    {
        await using var server = await TestServer.StartAsync();
        await using var healthy = await Healthy.ConnectAsync(server);
        var random = new Random(8);
        for (var i = 0; i < 200; i++)
        {
            var sid = Convert.ToBase64String(Enumerable.Range(0, random.Next(1, 30)).Select(_ => (byte)random.Next(256)).ToArray());
            using var get = await server.GetAsync("EIO=4&transport=polling&sid=" + Uri.EscapeDataString(sid));
            Assert.Equal(HttpStatusCode.BadRequest, get.StatusCode);
            Assert.Equal("{\"code\":1,\"message\":\"Session ID unknown\"}", await get.Content.ReadAsStringAsync());
            using var post = await server.PostAsync("EIO=4&transport=polling&sid=" + Uri.EscapeDataString(sid), "4x");
            Assert.Equal(HttpStatusCode.BadRequest, post.StatusCode);
            var garbage = Uri.EscapeDataString(new string((char)random.Next(32, 127), random.Next(0, 40)));
            using var junk = await server.GetAsync($"EIO={garbage}&transport={garbage}&sid={garbage}");
            Assert.Equal(HttpStatusCode.BadRequest, junk.StatusCode);
            if (i % 20 == 0)
            {
                await healthy.ExchangeAsync(5);
            }
        }

        await healthy.ExchangeAsync(20);
        Assert.Equal(1, server.Engine.ClientsCount);
    }

    [Theory]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    [InlineData("PATCH")]
    [InlineData("HEAD")]
    public async Task Other_methods_on_a_session_get_500_as_the_reference_and_the_session_survives(string method)
    {
        await using var server = await TestServer.StartAsync();
        var (sid, _) = await server.HandshakeAsync();
        using var request = new HttpRequestMessage(new HttpMethod(method), $"/socket.io/?EIO=4&transport=polling&sid={sid}");
        using var response = await server.Http.SendAsync(request).WaitAsync(TestServer.Timeout);
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        using var handshake = new HttpRequestMessage(new HttpMethod(method), "/socket.io/?EIO=4&transport=polling");
        using var refused = await server.Http.SendAsync(handshake).WaitAsync(TestServer.Timeout);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        await server.SendAsync(sid, "4still here");
        Assert.Equal("still here", await server.Handler.Get(sid).NextTextAsync());
    }

    [Fact]
    public async Task A_chunked_body_that_never_ends_is_cut_at_max_http_buffer_size_and_the_session_survives()
    {
        const int limit = 64 * 1024;
        await using var server = await TestServer.StartAsync(o => o.MaxHttpBufferSize = limit);
        await using var healthy = await Healthy.ConnectAsync(server);
        var (sid, _) = await server.HandshakeAsync();
        await using var raw = await RawHttp.ConnectAsync(server);
        await raw.WriteAsync($"POST /socket.io/?EIO=4&transport=polling&sid={sid} HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n");
        var chunk = Encoding.ASCII.GetBytes("1000\r\n" + new string('a', 0x1000) + "\r\n");
        var response = raw.ReadUntilAsync("\r\n\r\n", TimeSpan.FromSeconds(10));
        long sent = 0;
        // "Endless": keep sending until the server answers (bounded at 64 times the limit).
        while (!response.IsCompleted && sent < 64L * limit)
        {
            try
            {
                await raw.WriteAsync(chunk);
            }
            catch (Exception exception) when (exception is IOException or TimeoutException)
            {
                break;
            }

            sent += 0x1000;
        }

        Assert.StartsWith("HTTP/1.1 413", await response);
        Assert.True(server.Handler.Get(sid).Session.IsOpen);
        await server.SendAsync(sid, "4after");
        Assert.Equal("after", await server.Handler.Get(sid).NextTextAsync());
        await healthy.ExchangeAsync(10);
    }

    [Fact]
    public async Task A_declared_huge_body_is_refused_before_it_is_read()
    {
        await using var server = await TestServer.StartAsync(o => o.MaxHttpBufferSize = 1000);
        var (sid, _) = await server.HandshakeAsync();
        await using var raw = await RawHttp.ConnectAsync(server);
        await raw.WriteAsync($"POST /socket.io/?EIO=4&transport=polling&sid={sid} HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 1000000000\r\n\r\n4a");
        Assert.StartsWith("HTTP/1.1 413", await raw.ReadUntilAsync("\r\n\r\n", TestServer.Timeout));
        Assert.True(server.Handler.Get(sid).Session.IsOpen);
    }

    [Fact]
    public async Task Slow_loris_headers_are_cut_by_kestrels_request_headers_timeout()
    {
        // Kestrel's default is 30 s; a short one here shows the mechanism (docs/RELIABILITY.md: host settings).
        await using var server = await TestServer.StartAsync(services: s => s.Configure<KestrelServerOptions>(k => k.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(1)));
        await using var healthy = await Healthy.ConnectAsync(server);
        await using var raw = await RawHttp.ConnectAsync(server);
        await raw.WriteAsync("GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: x\r\n");
        var closing = raw.ReadUntilClosedAsync(TimeSpan.FromSeconds(15));
        for (var i = 0; i < 20 && !closing.IsCompleted; i++)
        {
            try
            {
                await raw.WriteAsync($"X-Slow-{i}: a\r\n");
            }
            catch (IOException)
            {
                break;
            }

            await Task.WhenAny(closing, Task.Delay(300));
        }

        var (_, closed) = await closing;
        Assert.True(closed, "the slow-loris connection should have been closed");
        Assert.Equal(0, server.Engine.ReservedSlots - 1);
        await healthy.ExchangeAsync(10);
    }

    [Fact]
    public async Task A_trickled_post_body_is_cut_by_the_minimum_data_rate_and_closes_only_its_session()
    {
        await using var server = await TestServer.StartAsync(services: s => s.Configure<KestrelServerOptions>(k =>
            k.Limits.MinRequestBodyDataRate = new MinDataRate(bytesPerSecond: 100, gracePeriod: TimeSpan.FromSeconds(2))));
        await using var healthy = await Healthy.ConnectAsync(server);
        var (sid, _) = await server.HandshakeAsync();
        await using var raw = await RawHttp.ConnectAsync(server);
        await raw.WriteAsync($"POST /socket.io/?EIO=4&transport=polling&sid={sid} HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 10000\r\n\r\n4");
        var closing = raw.ReadUntilClosedAsync(TimeSpan.FromSeconds(15));
        for (var i = 0; i < 40 && !closing.IsCompleted; i++)
        {
            try
            {
                await raw.WriteAsync("a");
            }
            catch (IOException)
            {
                break;
            }

            await Task.WhenAny(closing, Task.Delay(250));
        }

        Assert.True((await closing).Closed, "the trickling connection should have been closed");
        Assert.Equal("transport error", (await server.Handler.Get(sid).Closed).Reason);
        await healthy.ExchangeAsync(10);
    }

    [Fact]
    public async Task Overlapping_gets_close_only_their_own_session()
    {
        await using var server = await TestServer.StartAsync();
        await using var healthy = await Healthy.ConnectAsync(server);
        var sessions = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            sessions.Add((await server.HandshakeAsync()).Sid);
        }

        await Task.WhenAll(sessions.Select(async sid =>
        {
            var first = server.GetAsync($"EIO=4&transport=polling&sid={sid}");
            await Wait.UntilAsync(() => !server.Handler.Get(sid).IsClosed, "held");
            await Task.Delay(20);
            using var second = await server.GetAsync($"EIO=4&transport=polling&sid={sid}");
            using var held = await first;
            Assert.Equal("transport error", (await server.Handler.Get(sid).Closed).Reason);
        }));
        await healthy.ExchangeAsync(10);
        Assert.Equal(1, server.Engine.ClientsCount);
    }

    [Fact]
    public async Task Thousands_of_handshakes_that_never_poll_or_upgrade_are_reaped_by_the_ping_timeout()
    {
        await using var server = await TestServer.StartAsync(o =>
        {
            o.PingInterval = TimeSpan.FromMilliseconds(200);
            o.PingTimeout = TimeSpan.FromMilliseconds(200);
        });
        await using var healthy = await Healthy.ConnectAsync(server);
        const int count = 2000;
        using var gate = new SemaphoreSlim(32);
        await Task.WhenAll(Enumerable.Range(0, count).Select(async _ =>
        {
            await gate.WaitAsync();
            try
            {
                await server.HandshakeAsync();
            }
            finally
            {
                gate.Release();
            }
        }));
        // The healthy session answers pings (Healthy does) and stays; every silent one is reaped.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (server.Engine.ClientsCount > 1 && DateTime.UtcNow < deadline)
        {
            await healthy.ExchangeAsync(1);
            await Task.Delay(100);
        }

        Assert.Equal(1, server.Engine.ClientsCount);
        Assert.Equal(1, server.Engine.ReservedSlots);
        await healthy.ExchangeAsync(10);
    }

    [Fact]
    public async Task Websocket_messages_over_the_limit_close_only_their_session_even_when_fragmented()
    {
        await using var server = await TestServer.StartAsync(o => o.MaxHttpBufferSize = 1000);
        await using var healthy = await Healthy.ConnectAsync(server);
        for (var i = 0; i < 10; i++)
        {
            using var socket = await server.ConnectWebSocketAsync("EIO=4&transport=websocket");
            var sid = TestServer.SidOf(await socket.ReceiveTextAsync());
            var fragment = Encoding.ASCII.GetBytes("4" + new string('x', 299));
            for (var f = 0; f < 4; f++)
            {
                await socket.SendAsync(fragment, WebSocketMessageType.Text, endOfMessage: false, CancellationToken.None).WaitAsync(TestServer.Timeout);
            }

            var frame = await socket.ReceiveFrameAsync();
            Assert.Equal(WebSocketCloseStatus.MessageTooBig, frame.CloseStatus);
            Assert.Equal("transport error", (await server.Handler.Get(sid).Closed).Reason);
            Assert.Empty(server.Handler.Get(sid).Session is { } s && s.IsOpen ? ["open"] : Array.Empty<string>());
            await healthy.ExchangeAsync(3);
        }
    }

    [Fact]
    public async Task A_v3_client_flooding_pings_without_reading_holds_at_most_one_queued_pong()
    {
        await using var server = await TestServer.StartAsync();
        var (sid, _) = await server.HandshakeAsync("3");
        // 1,000 pings per POST, never polled: the reference would queue 1,000 pongs per POST.
        var payload = string.Concat(Enumerable.Repeat("1:2", 1000));
        for (var i = 0; i < 20; i++)
        {
            await server.SendAsync(sid, payload, "3");
        }

        var session = (SocketIo.Transport.EngineIo.Internal.EngineSession)server.Handler.Get(sid).Session;
        Assert.Equal(0, session.QueuedMessages);
        Assert.Equal("1:3", await server.PollAsync(sid, "3"));
    }

    /// <summary>A WebSocket session that answers pings (in the background) and checks echoes: the "everyone else" of these tests.</summary>
    internal sealed class Healthy : IAsyncDisposable
    {
        private readonly ClientWebSocket _socket;
        private readonly SemaphoreSlim _send = new(1, 1);
        private readonly System.Threading.Channels.Channel<string> _received = System.Threading.Channels.Channel.CreateUnbounded<string>();
        private readonly Task _reader;
        private int _next;

        private Healthy(ClientWebSocket socket)
        {
            _socket = socket;
            _reader = Task.Run(ReadLoopAsync);
        }

        public static async Task<Healthy> ConnectAsync(TestServer server)
        {
            var socket = await server.ConnectWebSocketAsync("EIO=4&transport=websocket");
            await socket.ReceiveTextAsync();
            return new Healthy(socket);
        }

        /// <summary>Sends <paramref name="count"/> messages and receives each echo in order.</summary>
        public async Task ExchangeAsync(int count)
        {
            for (var i = 0; i < count; i++)
            {
                var text = "4healthy-" + _next++;
                await SendAsync(text);
                Assert.Equal(text, await _received.Reader.ReadAsync().AsTask().WaitAsync(TestServer.Timeout));
            }
        }

        public async ValueTask DisposeAsync()
        {
            _socket.Abort();
            await Task.WhenAny(_reader, Task.Delay(TestServer.Timeout));
            _socket.Dispose();
        }

        private async Task SendAsync(string text)
        {
            await _send.WaitAsync();
            try
            {
                await _socket.SendTextAsync(text);
            }
            finally
            {
                _send.Release();
            }
        }

        private async Task ReadLoopAsync()
        {
            var buffer = new byte[64 * 1024];
            try
            {
                while (true)
                {
                    var result = await _socket.ReceiveAsync(buffer, CancellationToken.None);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        _received.Writer.TryWrite("(closed)");
                        return;
                    }

                    var text = Encoding.UTF8.GetString(buffer, 0, result.Count);
                    if (text == "2")
                    {
                        await SendAsync("3");
                    }
                    else
                    {
                        _received.Writer.TryWrite(text);
                    }
                }
            }
            catch (Exception exception) when (exception is WebSocketException or ObjectDisposedException or OperationCanceledException)
            {
            }
        }
    }
}
