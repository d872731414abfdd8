using System.Net;
using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using SocketIo.Transport.EngineIo;
using SocketIo.Transport.EngineIo.Internal;

namespace SocketIo.Transport.Tests.Integration;

/// <summary>
/// Inbound flow control (<see cref="IEngineSession.PauseReceiving"/>): the handler pauses the session from inside
/// OnMessage when it receives <c>pause</c>, as the Socket.IO layer does when its backlog is full.
/// </summary>
public sealed class FlowControlTests
{
    /// <summary>How long a test lets a paused session sit: several heartbeat rounds of the short settings below.</summary>
    private static readonly TimeSpan Idle = TimeSpan.FromMilliseconds(300);

    [Fact]
    public async Task A_paused_websocket_session_reads_no_further_message_until_resumed_then_delivers_them_all_in_order()
    {
        await using var server = await StartPausingAsync();
        using var socket = await server.ConnectWebSocketAsync("EIO=4&transport=websocket");
        var sid = TestServer.SidOf(await socket.ReceiveTextAsync());
        var recorder = server.Handler.Get(sid);
        var session = (EngineSession)recorder.Session;

        await socket.SendTextAsync("4pause");
        for (var i = 0; i < 5; i++)
        {
            await socket.SendTextAsync("4m" + i);
        }

        Assert.Equal("pause", await recorder.NextTextAsync());
        Assert.True(session.IsReceivingPaused);
        session.PauseReceiving();
        await Task.Delay(Idle);
        Assert.Equal(0, recorder.PendingMessages);

        // Only the receive side stops: the server still writes.
        Assert.True(session.Send(EngineMessage.Text("out")));
        Assert.Equal("4out", await socket.ReceiveTextAsync());

        session.ResumeReceiving();
        session.ResumeReceiving();
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal("m" + i, await recorder.NextTextAsync());
        }

        Assert.False(session.IsReceivingPaused);
        Assert.True(session.IsOpen);
        Assert.False(recorder.Overlapped);
    }

    [Fact]
    public async Task A_paused_polling_session_delivers_the_posted_packets_and_withholds_ok_until_resumed()
    {
        await using var server = await StartPausingAsync();
        var (sid, _) = await server.HandshakeAsync();
        var recorder = server.Handler.Get(sid);
        var session = (EngineSession)recorder.Session;

        var post = server.PostAsync($"EIO=4&transport=polling&sid={sid}", "4pause\u001e4after");
        Assert.Equal("pause", await recorder.NextTextAsync());
        Assert.Equal("after", await recorder.NextTextAsync());
        await Task.Delay(Idle);
        Assert.False(post.IsCompleted);
        Assert.True(session.IsPostInFlight);

        Assert.True(session.Send(EngineMessage.Text("out")));
        Assert.Equal("4out", await server.PollAsync(sid));

        session.ResumeReceiving();
        using (var answer = await post)
        {
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            Assert.Equal("ok", await answer.Content.ReadAsStringAsync());
        }

        await server.SendAsync(sid, "4next");
        Assert.Equal("next", await recorder.NextTextAsync());
        Assert.True(session.IsOpen);
    }

    [Fact]
    public async Task Closing_a_paused_polling_session_answers_the_waiting_post()
    {
        await using var server = await StartPausingAsync(echo: true);
        var (sid, _) = await server.HandshakeAsync();
        var recorder = server.Handler.Get(sid);
        var post = server.PostAsync($"EIO=4&transport=polling&sid={sid}", "4pause");
        Assert.Equal("pause", await recorder.NextTextAsync());
        await Task.Delay(Idle);
        Assert.False(post.IsCompleted);

        recorder.Session.Close();

        using (var answer = await post)
        {
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            Assert.Equal("ok", await answer.Content.ReadAsStringAsync());
        }

        Assert.Equal("4pause", await server.PollAsync(sid));
        Assert.Equal("1", await server.PollAsync(sid));
        Assert.Equal("forced close", (await recorder.Closed).Reason);
    }

    [Fact]
    public async Task Closing_a_paused_websocket_session_ends_its_receive_loop()
    {
        var finished = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await StartPausingAsync(extra: app => app.Use(async (context, next) =>
        {
            await next();
            if (context.WebSockets.IsWebSocketRequest)
            {
                finished.TrySetResult();
            }
        }));
        using var socket = await server.ConnectWebSocketAsync("EIO=4&transport=websocket");
        var sid = TestServer.SidOf(await socket.ReceiveTextAsync());
        var recorder = server.Handler.Get(sid);
        await socket.SendTextAsync("4pause");
        await socket.SendTextAsync("4unread");
        Assert.Equal("pause", await recorder.NextTextAsync());

        recorder.Session.Close();

        // The client answers the server's close frame; the server's receive loop, released by the close, reads past
        // the unread message (ignored: the session is closing) to that answer and ends, and with it the request.
        var frame = await socket.ReceiveFrameAsync();
        Assert.Equal(WebSocketMessageType.Close, frame.Type);
        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).WaitAsync(TestServer.Timeout);
        await finished.Task.WaitAsync(TestServer.Timeout);
        Assert.Equal("forced close", (await recorder.Closed).Reason);
        Assert.Equal(0, recorder.PendingMessages);
    }

    [Fact]
    public async Task A_post_dropped_by_its_client_while_paused_closes_the_session_with_transport_error()
    {
        await using var server = await StartPausingAsync(echo: true);
        var (sid, _) = await server.HandshakeAsync();
        var recorder = server.Handler.Get(sid);
        using var cancel = new CancellationTokenSource();
        using var content = new StringContent("4pause", Encoding.UTF8);
        var post = server.Http.PostAsync($"/socket.io/?EIO=4&transport=polling&sid={sid}", content, cancel.Token);
        Assert.Equal("pause", await recorder.NextTextAsync());

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => post.WaitAsync(TestServer.Timeout));
        var closed = await recorder.Closed;
        Assert.Equal(("transport error", "data request connection closed prematurely"), closed);
    }

    [Fact]
    public async Task A_paused_v4_session_keeps_pinging_and_is_not_closed_by_ping_timeout_until_it_resumes()
    {
        // Long enough that a stall of the machine between the handshake and the pause (seen on a loaded 2-core
        // machine with 100/200 ms) cannot time the session out before it is paused.
        await using var server = await StartPausingAsync(o =>
        {
            o.PingInterval = TimeSpan.FromMilliseconds(250);
            o.PingTimeout = TimeSpan.FromMilliseconds(500);
        });
        using var socket = await server.ConnectWebSocketAsync("EIO=4&transport=websocket");
        var sid = TestServer.SidOf(await socket.ReceiveTextAsync());
        var recorder = server.Handler.Get(sid);
        await socket.SendTextAsync("4pause");
        Assert.Equal("pause", await recorder.NextTextAsync());

        // No pong is ever sent: unpaused, this session would close 750 ms after the handshake (HeartbeatTests).
        // Paused, the server cannot know whether a pong is waiting unread, so it keeps pinging instead.
        for (var i = 0; i < 6; i++)
        {
            Assert.Equal("2", await socket.ReceiveTextAsync());
        }

        Assert.False(recorder.IsClosed);
        Assert.True(recorder.Session.IsOpen);

        // Resumed, the deadline runs again (from the resume): still no pong, so the session times out.
        recorder.Session.ResumeReceiving();
        Assert.Equal("ping timeout", (await recorder.Closed).Reason);
    }

    [Fact]
    public async Task A_paused_v3_session_is_not_closed_for_missing_client_pings_until_it_resumes()
    {
        await using var server = await StartPausingAsync(o =>
        {
            o.PingInterval = TimeSpan.FromMilliseconds(100);
            o.PingTimeout = TimeSpan.FromMilliseconds(100);
        });
        var (sid, _) = await server.HandshakeAsync("3");
        var recorder = server.Handler.Get(sid);
        var post = server.PostAsync($"EIO=3&transport=polling&sid={sid}", "6:4pause");
        Assert.Equal("pause", await recorder.NextTextAsync());

        // Several v3 timeouts (ping interval + ping timeout = 200 ms) pass without a client ping.
        await Task.Delay(Idle * 3);
        Assert.False(recorder.IsClosed);
        Assert.False(post.IsCompleted);

        recorder.Session.ResumeReceiving();
        using (var answer = await post)
        {
            Assert.Equal("ok", await answer.Content.ReadAsStringAsync());
        }

        Assert.Equal("ping timeout", (await recorder.Closed).Reason);
    }

    /// <summary>A handler reaction that pauses the session when the text message <paramref name="text"/> arrives.</summary>
    /// <summary>A test server whose handler pauses a session's receiving when that session sends <c>pause</c>; it echoes only when asked.</summary>
    private static async Task<TestServer> StartPausingAsync(Action<EngineIoOptions>? configure = null, bool echo = false, Action<WebApplication>? extra = null)
    {
        var server = await TestServer.StartAsync(configure, extra: extra);
        server.Handler.Echo = echo;
        server.Handler.OnReceived = PauseOn("pause");
        return server;
    }

    private static Action<IEngineSession, EngineMessage> PauseOn(string text) => (session, message) =>
    {
        if (!message.IsBinary && Encoding.UTF8.GetString(message.Data.Span) == text)
        {
            session.PauseReceiving();
        }
    };
}
