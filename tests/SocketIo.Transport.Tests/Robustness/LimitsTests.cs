using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using SocketIo.Transport.EngineIo;
using SocketIo.Transport.EngineIo.Internal;
using SocketIo.Transport.Tests.Integration;

namespace SocketIo.Transport.Tests.Robustness;

/// <summary>The transport's limits: max connections per server, and the outbound queue bounds that protect the server from slow consumers.</summary>
public sealed class LimitsTests
{
    [Fact]
    public void Limits_have_safe_defaults_and_refuse_nonsense()
    {
        var options = new EngineIoOptions();
        Assert.Equal(1_000_000, options.MaxHttpBufferSize);
        Assert.Equal(10_000, options.MaxOutboundQueue);
        Assert.Equal(16 * 1024 * 1024, options.MaxOutboundQueueBytes);
        Assert.Equal(100_000, options.MaxConnections);
        var handler = new RecordingHandler();
        Assert.Throws<ArgumentOutOfRangeException>(() => new EngineIoServer(handler, new EngineIoOptions { MaxConnections = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new EngineIoServer(handler, new EngineIoOptions { MaxOutboundQueueBytes = 0 }));
    }

    [Fact]
    public async Task Handshakes_beyond_max_connections_are_refused_with_503_and_code_4_until_a_session_closes()
    {
        await using var server = await TestServer.StartAsync(o => o.MaxConnections = 3);
        var sids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            sids.Add((await server.HandshakeAsync()).Sid);
        }

        using (var refused = await server.GetAsync("EIO=4&transport=polling"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.Equal("{\"code\":4,\"message\":\"Too many connections\"}", await refused.Content.ReadAsStringAsync());
            Assert.Equal("1", refused.Headers.RetryAfter?.ToString());
        }

        using (var socket = new ClientWebSocket())
        {
            socket.Options.CollectHttpResponseDetails = true;
            var uri = new UriBuilder(server.BaseUri) { Scheme = "ws", Path = "/socket.io/", Query = "EIO=4&transport=websocket" }.Uri;
            await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(uri, CancellationToken.None).WaitAsync(TestServer.Timeout));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, socket.HttpStatusCode);
        }

        // Existing sessions are served as usual, and a closed one frees its slot.
        await server.SendAsync(sids[0], "4hi");
        Assert.Equal("hi", await server.Handler.Get(sids[0]).NextTextAsync());
        await server.SendAsync(sids[1], "1");
        await server.Handler.Get(sids[1]).Closed;
        var (again, _) = await server.HandshakeAsync();
        Assert.Equal(3, server.Engine.ClientsCount);
        Assert.Equal(3, server.Engine.ReservedSlots);
        await server.SendAsync(again, "1");
        await server.Handler.Get(again).Closed;
        Assert.Equal(2, server.Engine.ReservedSlots);
    }

    [Fact]
    public async Task Concurrent_handshakes_never_exceed_max_connections()
    {
        await using var server = await TestServer.StartAsync(o => o.MaxConnections = 50);
        var results = await Task.WhenAll(Enumerable.Range(0, 200).Select(async _ =>
        {
            using var response = await server.GetAsync("EIO=4&transport=polling");
            return response.StatusCode;
        }));
        Assert.Equal(50, results.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(150, results.Count(s => s == HttpStatusCode.ServiceUnavailable));
        Assert.Equal(50, server.Engine.ClientsCount);
        Assert.Equal(50, server.Engine.ReservedSlots);
    }

    [Fact]
    public async Task A_websocket_client_that_stops_reading_is_bounded_by_the_queue_while_others_keep_their_throughput()
    {
        const long byteBound = 256 * 1024;
        await using var server = await TestServer.StartAsync(o => o.MaxOutboundQueueBytes = byteBound);
        await using var healthy = await HttpAbuseTests.Healthy.ConnectAsync(server);
        await server.Handler.NextOpenedAsync();

        // A raw client that completes the WebSocket handshake, then never reads again.
        using var stalled = new TcpClient { ReceiveBufferSize = 4096 };
        await stalled.ConnectAsync(server.BaseUri.Host, server.BaseUri.Port).WaitAsync(TestServer.Timeout);
        var stream = stalled.GetStream();
        var key = Convert.ToBase64String(Guid.NewGuid().ToByteArray());
        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            $"GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"));
        var opened = await server.Handler.NextOpenedAsync();
        var session = (EngineSession)opened.Session;
        var message = EngineMessage.Text(new string('x', 4096));
        var accepted = 0;
        var refusedAt = -1;
        var healthyRounds = 0;
        // Push 64 MiB at it (bounded loop): the queue refuses once the bound is reached.
        for (var i = 0; i < 16_384; i++)
        {
            if (!session.Send(message))
            {
                refusedAt = i;
                break;
            }

            accepted++;
            Assert.True(session.QueuedBytes <= byteBound, $"queued {session.QueuedBytes} bytes");
            if (i % 256 == 0)
            {
                await healthy.ExchangeAsync(5);
                healthyRounds++;
                await Task.Yield();
            }
        }

        Assert.True(refusedAt > 0, "the queue should have refused a message");
        Assert.True(session.QueuedBytes <= byteBound);
        Assert.False(session.IsWritable);
        // Others keep their throughput while the stalled client sits at its bound.
        await healthy.ExchangeAsync(200);

        // The stalled client vanishes: the blocked writer fails and the session closes, freeing its queue.
        stalled.Client.LingerState = new LingerOption(true, 0);
        stalled.Dispose();
        await Wait.UntilAsync(() => !session.IsOpen, "the stalled session closed");
        Assert.Equal(0, session.QueuedBytes);
        Assert.True(healthyRounds > 0);
    }
}
