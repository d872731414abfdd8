using SocketIo.Transport.EngineIo;

namespace SocketIo.Transport.Tests.Integration;

/// <summary>
/// <see cref="IEngineSessionHandler.OnDrain"/>: once a send found the outbound queue at or above half a bound (or
/// refused a message), the handler hears that everything queued has been handed to the transport, once.
/// </summary>
public class DrainTests
{
    private static readonly TimeSpan Idle = TimeSpan.FromMilliseconds(300);

    private static Task<TestServer> StartAsync() => TestServer.StartAsync(o => o.MaxOutboundQueue = 4, directWebSockets: true);

    /// <summary>A WebSocket session whose handler does not echo, past its open packet.</summary>
    private static async Task<(System.Net.WebSockets.ClientWebSocket Socket, SessionRecorder Recorder)> OpenWebSocketAsync(TestServer server)
    {
        server.Handler.Echo = false;
        var socket = await server.ConnectWebSocketAsync("EIO=4&transport=websocket");
        return (socket, server.Handler.Get(TestServer.SidOf(await socket.ReceiveTextAsync())));
    }

    [Fact]
    public async Task A_websocket_session_reports_drain_once_after_a_send_reached_half_the_queue_and_all_was_written()
    {
        await using var server = await StartAsync();
        var (socket, recorder) = await OpenWebSocketAsync(server);
        using var _ = socket;

        // Sent in one go from the handler's side: the second finds the queue at half of MaxOutboundQueue = 4.
        Assert.True(recorder.Session.Send([EngineMessage.Text("a"), EngineMessage.Text("b")]));
        Assert.Equal("4a", await socket.ReceiveTextAsync());
        Assert.Equal("4b", await socket.ReceiveTextAsync());
        await recorder.NextDrainAsync();
        await Task.Delay(Idle);
        Assert.Equal(0, recorder.PendingDrains);
        Assert.True(recorder.Session.IsWritable);
        Assert.False(recorder.Overlapped);
    }

    [Fact]
    public async Task A_session_whose_queue_stays_under_half_its_bounds_reports_no_drain()
    {
        await using var server = await StartAsync();
        var (socket, recorder) = await OpenWebSocketAsync(server);
        using var _ = socket;

        Assert.True(recorder.Session.Send(EngineMessage.Text("a")));
        Assert.Equal("4a", await socket.ReceiveTextAsync());
        Assert.True(recorder.Session.Send(EngineMessage.Text("b")));
        Assert.Equal("4b", await socket.ReceiveTextAsync());
        await Task.Delay(Idle);
        Assert.Equal(0, recorder.PendingDrains);
    }

    [Fact]
    public async Task A_polling_session_reports_drain_once_the_poll_took_a_queue_filled_to_half()
    {
        await using var server = await StartAsync();
        server.Handler.Echo = false;
        var (sid, _) = await server.HandshakeAsync();
        var recorder = server.Handler.Get(sid);

        Assert.True(recorder.Session.Send([EngineMessage.Text("a"), EngineMessage.Text("b")]));
        Assert.Equal(0, recorder.PendingDrains);
        var poll = await server.GetAsync($"EIO=4&transport=polling&sid={sid}");
        Assert.Equal("4a\u001e4b", await poll.Content.ReadAsStringAsync());
        await recorder.NextDrainAsync();
        Assert.Equal(0, recorder.PendingDrains);
    }
}
