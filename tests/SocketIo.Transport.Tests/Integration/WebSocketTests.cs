using System.Net;
using System.Net.WebSockets;
using SocketIo.Transport.EngineIo;

namespace SocketIo.Transport.Tests.Integration;

/// <summary>The WebSocket transport through ASP.NET Core's WebSocket middleware; <see cref="DirectWebSocketTests"/> runs the same specs on the connection-layer path.</summary>
public class WebSocketTests
{
    /// <summary>Whether the servers of these specs serve WebSocket handshakes on Kestrel's connection layer.</summary>
    protected virtual bool Direct => false;

    private Task<TestServer> StartAsync(Action<EngineIoOptions>? configure = null) => TestServer.StartAsync(configure, directWebSockets: Direct);

    [Fact]
    public async Task WebSocket_handshake_sends_the_open_packet_and_echoes_text_and_binary()
    {
        await using var server = await StartAsync();
        using var socket = await server.ConnectWebSocketAsync("EIO=4&transport=websocket");
        var open = await socket.ReceiveTextAsync();
        var sid = TestServer.SidOf(open);
        Assert.Equal("0{\"sid\":\"" + sid + "\",\"upgrades\":[],\"pingInterval\":25000,\"pingTimeout\":20000,\"maxPayload\":1000000}", open);
        var recorder = server.Handler.Get(sid);
        Assert.Equal("websocket", recorder.Session.Transport);

        await socket.SendTextAsync("4hello €");
        Assert.Equal("4hello €", await socket.ReceiveTextAsync());
        Assert.Equal("hello €", await recorder.NextTextAsync());

        await socket.SendBinaryAsync([1, 2, 3]);
        var frame = await socket.ReceiveFrameAsync();
        Assert.Equal(WebSocketMessageType.Binary, frame.Type);
        Assert.Equal(new byte[] { 1, 2, 3 }, frame.Data);

        // Many queued packets arrive one per frame, in order.
        Assert.True(recorder.Session.Send([.. Enumerable.Range(0, 50).Select(i => EngineMessage.Text("m" + i))]));
        for (var i = 0; i < 50; i++)
        {
            Assert.Equal("4m" + i, await socket.ReceiveTextAsync());
        }

        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).WaitAsync(TestServer.Timeout);
        Assert.Equal("transport close", (await recorder.Closed).Reason);
        Assert.False(recorder.Overlapped);
    }

    [Fact]
    public async Task A_websocket_message_over_max_http_buffer_size_closes_with_1009()
    {
        await using var server = await StartAsync(o => o.MaxHttpBufferSize = 100);
        using var socket = await server.ConnectWebSocketAsync("EIO=4&transport=websocket");
        var sid = TestServer.SidOf(await socket.ReceiveTextAsync());
        await socket.SendTextAsync("4" + new string('a', 99));
        Assert.Equal("4" + new string('a', 99), await socket.ReceiveTextAsync());
        await socket.SendTextAsync("4" + new string('a', 5000));
        var frame = await socket.ReceiveFrameAsync();
        Assert.Equal(WebSocketMessageType.Close, frame.Type);
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, frame.CloseStatus);
        Assert.Equal("transport error", (await server.Handler.Get(sid).Closed).Reason);
    }

    [Fact]
    public async Task A_malformed_frame_closes_the_session_with_parse_error()
    {
        await using var server = await StartAsync();
        using var socket = await server.ConnectWebSocketAsync("EIO=4&transport=websocket");
        var sid = TestServer.SidOf(await socket.ReceiveTextAsync());
        await socket.SendTextAsync("9nonsense");
        Assert.Equal(WebSocketMessageType.Close, (await socket.ReceiveFrameAsync()).Type);
        Assert.Equal("parse error", (await server.Handler.Get(sid).Closed).Reason);
    }

    [Fact]
    public async Task A_v4_client_ping_is_a_transport_error()
    {
        await using var server = await StartAsync();
        using var socket = await server.ConnectWebSocketAsync("EIO=4&transport=websocket");
        var sid = TestServer.SidOf(await socket.ReceiveTextAsync());
        await socket.SendTextAsync("2");
        var closed = await server.Handler.Get(sid).Closed;
        Assert.Equal(("transport error", "invalid heartbeat direction"), closed);
    }

    [Fact]
    public async Task Upgrade_from_polling_keeps_every_queued_packet_in_order()
    {
        await using var server = await StartAsync();
        var (sid, body) = await server.HandshakeAsync();
        Assert.Contains("\"upgrades\":[\"websocket\"]", body);
        var recorder = server.Handler.Get(sid);
        var session = recorder.Session;
        var poll = server.PollAsync(sid);
        await Wait.UntilAsync(() => session.IsWritable, "the GET is held");

        using var socket = await server.ConnectWebSocketAsync($"EIO=4&transport=websocket&sid={sid}");
        await socket.SendTextAsync("2probe");
        Assert.Equal("3probe", await socket.ReceiveTextAsync());
        Assert.Equal("6", await poll);
        Assert.Equal("polling", session.Transport);

        // Sent while the upgrade is in flight: nothing may be lost or reordered.
        Assert.True(session.Send(EngineMessage.Text("during-1")));
        Assert.True(session.Send(EngineMessage.Binary(new byte[] { 7 })));
        Assert.True(session.Send(EngineMessage.Text("during-2")));

        await socket.SendTextAsync("5");
        Assert.Equal("4during-1", await socket.ReceiveTextAsync());
        Assert.Equal(new byte[] { 7 }, (await socket.ReceiveFrameAsync()).Data);
        Assert.Equal("4during-2", await socket.ReceiveTextAsync());
        Assert.Equal("websocket", session.Transport);

        await socket.SendTextAsync("4after");
        Assert.Equal("4after", await socket.ReceiveTextAsync());

        using var stalePoll = await server.GetAsync($"EIO=4&transport=polling&sid={sid}");
        await ErrorTests.AssertErrorAsync(stalePoll, HttpStatusCode.BadRequest, "{\"code\":3,\"message\":\"Bad request\"}");

        // A second WebSocket for an upgraded session is closed at once.
        using var extra = await server.ConnectWebSocketAsync($"EIO=4&transport=websocket&sid={sid}");
        Assert.Equal(WebSocketMessageType.Close, (await extra.ReceiveFrameAsync()).Type);
        Assert.True(session.IsOpen);
        Assert.False(recorder.Overlapped);
    }

    [Fact]
    public async Task Packets_queued_before_the_probe_are_delivered_by_polling()
    {
        await using var server = await StartAsync();
        var (sid, _) = await server.HandshakeAsync();
        var session = server.Handler.Get(sid).Session;
        using var socket = await server.ConnectWebSocketAsync($"EIO=4&transport=websocket&sid={sid}");
        await socket.SendTextAsync("2probe");
        Assert.Equal("3probe", await socket.ReceiveTextAsync());
        session.Send(EngineMessage.Text("via-polling"));
        Assert.Equal("4via-polling", await server.PollAsync(sid));
        Assert.Equal("6", await server.PollAsync(sid));
        await socket.SendTextAsync("5");
        session.Send(EngineMessage.Text("via-websocket"));
        Assert.Equal("4via-websocket", await socket.ReceiveTextAsync());
    }

    [Fact]
    public async Task A_probe_that_never_completes_is_closed_and_the_session_stays_on_polling()
    {
        await using var server = await StartAsync(o => o.UpgradeTimeout = TimeSpan.FromMilliseconds(500));
        var (sid, _) = await server.HandshakeAsync();
        using var socket = await server.ConnectWebSocketAsync($"EIO=4&transport=websocket&sid={sid}");
        await socket.SendTextAsync("2probe");
        Assert.Equal("3probe", await socket.ReceiveTextAsync());
        Assert.Equal(WebSocketMessageType.Close, (await socket.ReceiveFrameAsync()).Type);

        var session = server.Handler.Get(sid).Session;
        Assert.True(session.IsOpen);
        Assert.Equal("polling", session.Transport);
        await server.SendAsync(sid, "4still polling");
        Assert.Equal("4still polling", await server.PollAsync(sid));
    }

    [Fact]
    public async Task A_probe_sending_anything_else_is_closed()
    {
        await using var server = await StartAsync();
        var (sid, _) = await server.HandshakeAsync();
        using var socket = await server.ConnectWebSocketAsync($"EIO=4&transport=websocket&sid={sid}");
        await socket.SendTextAsync("4too early");
        Assert.Equal(WebSocketMessageType.Close, (await socket.ReceiveFrameAsync()).Type);
        Assert.True(server.Handler.Get(sid).Session.IsOpen);
    }

    [Fact]
    public async Task A_server_close_flushes_then_closes_the_websocket()
    {
        await using var server = await StartAsync();
        using var socket = await server.ConnectWebSocketAsync("EIO=4&transport=websocket");
        var sid = TestServer.SidOf(await socket.ReceiveTextAsync());
        var recorder = server.Handler.Get(sid);
        recorder.Session.Send(EngineMessage.Text("bye"));
        recorder.Session.Close();
        Assert.Equal("4bye", await socket.ReceiveTextAsync());
        var frame = await socket.ReceiveFrameAsync();
        Assert.Equal(WebSocketMessageType.Close, frame.Type);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, frame.CloseStatus);
        Assert.Equal("forced close", (await recorder.Closed).Reason);
    }
}
