using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using SocketIo.Transport.EngineIo;
using SocketIo.Transport.EngineIo.Internal;

namespace SocketIo.Transport.Tests.Integration;

public sealed partial class PollingTests
{
    [Fact]
    public async Task Polling_handshake_answers_the_open_packet()
    {
        await using var server = await TestServer.StartAsync();
        using var response = await server.GetAsync("EIO=4&transport=polling");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain; charset=UTF-8", response.Content.Headers.ContentType!.ToString());
        Assert.Equal("no-store", response.Headers.CacheControl!.ToString());
        var body = await response.Content.ReadAsStringAsync();
        var sid = TestServer.SidOf(body);
        Assert.Matches(SidPattern(), sid);
        Assert.Equal("0{\"sid\":\"" + sid + "\",\"upgrades\":[\"websocket\"],\"pingInterval\":25000,\"pingTimeout\":20000,\"maxPayload\":1000000}", body);
        var recorder = await server.Handler.NextOpenedAsync();
        Assert.Equal(sid, recorder.Session.Id);
        Assert.Equal(4, recorder.Session.Protocol);
        Assert.Equal("polling", recorder.Session.Transport);
        Assert.Equal("4", recorder.Session.Handshake.Query["EIO"]);
        Assert.Equal("127.0.0.1", recorder.Session.Handshake.Address);
    }

    [Fact]
    public async Task Sids_are_unique()
    {
        await using var server = await TestServer.StartAsync();
        var sids = new HashSet<string>();
        for (var i = 0; i < 20; i++)
        {
            Assert.True(sids.Add((await server.HandshakeAsync()).Sid));
        }
    }

    [Fact]
    public async Task Posted_messages_are_delivered_in_order_and_echoed_in_one_payload()
    {
        await using var server = await TestServer.StartAsync();
        var (sid, _) = await server.HandshakeAsync();
        var recorder = server.Handler.Get(sid);
        using var post = await server.PostAsync($"EIO=4&transport=polling&sid={sid}", "4hello\u001e4€😀\u001ebAQID");
        Assert.Equal(HttpStatusCode.OK, post.StatusCode);
        Assert.Equal("text/html", post.Content.Headers.ContentType!.ToString());
        Assert.Equal("ok", await post.Content.ReadAsStringAsync());
        Assert.Equal("hello", await recorder.NextTextAsync());
        Assert.Equal("€😀", await recorder.NextTextAsync());
        var binary = await recorder.NextMessageAsync();
        Assert.True(binary.IsBinary);
        Assert.Equal(new byte[] { 1, 2, 3 }, binary.Data.ToArray());
        Assert.Equal("4hello\u001e4€😀\u001ebAQID", await server.PollAsync(sid));
        Assert.False(recorder.Overlapped);
    }

    [Fact]
    public async Task A_held_get_is_answered_when_a_message_is_sent()
    {
        await using var server = await TestServer.StartAsync();
        var (sid, _) = await server.HandshakeAsync();
        var session = server.Handler.Get(sid).Session;
        var poll = server.PollAsync(sid);
        await Wait.UntilAsync(() => session.IsWritable, "the GET is held");
        Assert.True(session.Send(EngineMessage.Text("pushed")));
        Assert.Equal("4pushed", await poll);
    }

    [Fact]
    public async Task A_held_get_whose_client_goes_away_closes_the_session_with_transport_error()
    {
        await using var server = await TestServer.StartAsync();
        var (sid, _) = await server.HandshakeAsync();
        var recorder = server.Handler.Get(sid);
        using var cancel = new CancellationTokenSource();
        var poll = server.Http.GetAsync($"/socket.io/?EIO=4&transport=polling&sid={sid}", cancel.Token);
        await Wait.UntilAsync(() => recorder.Session.IsWritable, "the GET is held");
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => poll.WaitAsync(TestServer.Timeout));
        Assert.Equal(("transport error", "poll connection closed prematurely"), await recorder.Closed);
    }

    [Fact]
    public async Task Close_packet_releases_the_held_get_with_a_noop_and_forgets_the_session()
    {
        await using var server = await TestServer.StartAsync();
        var (sid, _) = await server.HandshakeAsync();
        var recorder = server.Handler.Get(sid);
        var poll = server.PollAsync(sid);
        await Wait.UntilAsync(() => recorder.Session.IsWritable, "the GET is held");
        await server.SendAsync(sid, "1");
        Assert.Equal("6", await poll);
        Assert.Equal(("transport close", (string?)null), await recorder.Closed);
        using var later = await server.GetAsync($"EIO=4&transport=polling&sid={sid}");
        await ErrorTests.AssertErrorAsync(later, HttpStatusCode.BadRequest, "{\"code\":1,\"message\":\"Session ID unknown\"}");
        Assert.Equal(1, recorder.CloseCalls);
        Assert.False(recorder.Session.IsOpen);
        Assert.False(recorder.Session.Send(EngineMessage.Text("late")));
    }

    [Fact]
    public async Task A_close_packet_handled_before_the_get_still_answers_that_get_with_a_noop_then_forgets_the_session()
    {
        await using var server = await TestServer.StartAsync();
        var (sid, _) = await server.HandshakeAsync();
        var recorder = server.Handler.Get(sid);
        // The POST is handled with no GET held: the order the official suite's race sometimes produces.
        await server.SendAsync(sid, "1");
        Assert.Equal(("transport close", (string?)null), await recorder.Closed);
        Assert.Equal("6", await server.PollAsync(sid));
        using var later = await server.GetAsync($"EIO=4&transport=polling&sid={sid}");
        await ErrorTests.AssertErrorAsync(later, HttpStatusCode.BadRequest, "{\"code\":1,\"message\":\"Session ID unknown\"}");
        using var post = await server.PostAsync($"EIO=4&transport=polling&sid={sid}", "4late");
        await ErrorTests.AssertErrorAsync(post, HttpStatusCode.BadRequest, "{\"code\":1,\"message\":\"Session ID unknown\"}");
        Assert.Equal(1, recorder.CloseCalls);
        Assert.Equal(0, server.Engine.ClientsCount);
    }

    [Fact]
    public async Task A_post_after_a_close_packet_is_refused_and_owes_nothing()
    {
        await using var server = await TestServer.StartAsync();
        var (sid, _) = await server.HandshakeAsync();
        await server.SendAsync(sid, "1");
        Assert.Equal(("transport close", (string?)null), await server.Handler.Get(sid).Closed);
        using var post = await server.PostAsync($"EIO=4&transport=polling&sid={sid}", "4late");
        await ErrorTests.AssertErrorAsync(post, HttpStatusCode.BadRequest, "{\"code\":1,\"message\":\"Session ID unknown\"}");
        Assert.Equal("6", await server.PollAsync(sid));
    }

    [Fact]
    public async Task An_overlapping_get_is_refused_and_closes_the_session_with_transport_error()
    {
        await using var server = await TestServer.StartAsync();
        var (sid, _) = await server.HandshakeAsync();
        var recorder = server.Handler.Get(sid);
        var first = server.PollAsync(sid);
        await Wait.UntilAsync(() => recorder.Session.IsWritable, "the GET is held");
        using var second = await server.GetAsync($"EIO=4&transport=polling&sid={sid}");
        Assert.Equal(HttpStatusCode.BadRequest, second.StatusCode);
        Assert.Equal("", await second.Content.ReadAsStringAsync());
        Assert.Equal("1", await first);
        Assert.Equal("transport error", (await recorder.Closed).Reason);
        using var later = await server.GetAsync($"EIO=4&transport=polling&sid={sid}");
        await ErrorTests.AssertErrorAsync(later, HttpStatusCode.BadRequest, "{\"code\":1,\"message\":\"Session ID unknown\"}");
    }

    [Fact]
    public async Task An_overlapping_post_is_refused_and_closes_the_session_with_transport_error()
    {
        await using var server = await TestServer.StartAsync();
        var (sid, _) = await server.HandshakeAsync();
        var recorder = server.Handler.Get(sid);
        var slow = new SlowContent();
        var first = server.Http.PostAsync($"/socket.io/?EIO=4&transport=polling&sid={sid}", slow);
        await Wait.UntilAsync(() => ((EngineSession)recorder.Session).IsPostInFlight, "the first POST is being read");
        using var second = await server.PostAsync($"EIO=4&transport=polling&sid={sid}", "4b");
        Assert.Equal(HttpStatusCode.BadRequest, second.StatusCode);
        Assert.Equal("transport error", (await recorder.Closed).Reason);
        slow.Release();
        try
        {
            (await first.WaitAsync(TestServer.Timeout)).Dispose();
        }
        catch (HttpRequestException)
        {
            // The server may drop the first request once its session is gone.
        }
    }

    [Fact]
    public async Task A_post_sent_while_the_previous_ok_is_being_written_is_no_overlap()
    {
        // A client sends its next POST as soon as it reads "ok", possibly before the server's thread that wrote it runs
        // again (a preempted thread on a busy server); the next POST is sent here from inside that write. The session
        // once let go of a POST only after writing its "ok": that client got 400 and a closed session.
        await using var server = await TestServer.StartAsync();
        server.Handler.Echo = false;
        var (sid, _) = await server.HandshakeAsync();
        var recorder = server.Handler.Get(sid);
        HttpStatusCode? next = null;
        var context = PostContext("4a", async () =>
        {
            using var response = await server.PostAsync($"EIO=4&transport=polling&sid={sid}", "4b");
            next = response.StatusCode;
        });

        await ((EngineSession)recorder.Session).HandlePostAsync(context).WaitAsync(TestServer.Timeout);

        Assert.Equal(HttpStatusCode.OK, next);
        Assert.Equal("ok", ((WriteHookStream)context.Response.Body).Text);
        Assert.Equal("a", await recorder.NextTextAsync());
        Assert.Equal("b", await recorder.NextTextAsync());
        Assert.False(recorder.IsClosed);
    }

    [Fact]
    public async Task A_get_sent_while_the_previous_payload_is_being_written_is_no_overlap()
    {
        await using var server = await TestServer.StartAsync();
        server.Handler.Echo = false;
        var (sid, _) = await server.HandshakeAsync();
        var recorder = server.Handler.Get(sid);
        string? next = null;
        var context = HookedContext("GET", async () =>
        {
            recorder.Session.Send(EngineMessage.Text("second"));
            next = await server.PollAsync(sid);
        });
        recorder.Session.Send(EngineMessage.Text("first"));

        await ((EngineSession)recorder.Session).HandlePollAsync(context).WaitAsync(TestServer.Timeout);

        Assert.Equal("4first", ((WriteHookStream)context.Response.Body).Text);
        Assert.Equal("4second", next);
        Assert.False(recorder.IsClosed);
    }

    private static DefaultHttpContext PostContext(string payload, Func<Task> onWrite)
    {
        var body = Encoding.UTF8.GetBytes(payload);
        var context = HookedContext("POST", onWrite);
        context.Request.ContentType = "text/plain;charset=UTF-8";
        context.Request.ContentLength = body.Length;
        context.Request.Body = new MemoryStream(body);
        return context;
    }

    /// <summary>A request whose response body runs <paramref name="onWrite"/> inside its first write (see <see cref="WriteHookStream"/>).</summary>
    private static DefaultHttpContext HookedContext(string method, Func<Task> onWrite)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Response.Body = new WriteHookStream(onWrite);
        return context;
    }

    /// <summary>A response body that runs a hook (the client's next request) inside the first write, before keeping the bytes.</summary>
    private sealed class WriteHookStream(Func<Task> onWrite) : Stream
    {
        private readonly MemoryStream _written = new();
        private Func<Task>? _onWrite = onWrite;

        public string Text => Encoding.UTF8.GetString(_written.ToArray());

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => _written.Length;
        public override long Position { get => _written.Position; set => throw new NotSupportedException(); }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (Interlocked.Exchange(ref _onWrite, null) is { } hook)
            {
                await hook().WaitAsync(TestServer.Timeout, cancellationToken);
            }

            _written.Write(buffer.Span);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();
        public override void Flush() { }
        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }

    [Fact]
    public async Task A_malformed_payload_closes_only_that_session_with_parse_error()
    {
        await using var server = await TestServer.StartAsync();
        var (sid, _) = await server.HandshakeAsync();
        var (other, _) = await server.HandshakeAsync();
        var recorder = server.Handler.Get(sid);
        var poll = server.PollAsync(sid);
        await Wait.UntilAsync(() => recorder.Session.IsWritable, "the GET is held");

        // As the reference, the POST itself is answered "ok"; the packets before the error are delivered.
        await server.SendAsync(sid, "4good\u001ex");
        Assert.Equal("1", await poll);
        Assert.Equal("good", await recorder.NextTextAsync());
        var closed = await recorder.Closed;
        Assert.Equal("parse error", closed.Reason);
        Assert.Equal("unknown packet type", closed.Description);
        using var later = await server.GetAsync($"EIO=4&transport=polling&sid={sid}");
        Assert.Equal(HttpStatusCode.BadRequest, later.StatusCode);

        await server.SendAsync(other, "4still here");
        Assert.Equal("4still here", await server.PollAsync(other));
    }

    [Theory]
    [InlineData("")]
    [InlineData("4a\u001e")]
    [InlineData("bnot-base64")]
    [InlineData("0{}")]
    public async Task Every_kind_of_malformed_post_is_a_parse_error(string payload)
    {
        await using var server = await TestServer.StartAsync();
        var (sid, _) = await server.HandshakeAsync();
        await server.SendAsync(sid, payload);
        Assert.Equal("parse error", (await server.Handler.Get(sid).Closed).Reason);
    }

    [Fact]
    public async Task A_post_over_max_http_buffer_size_gets_413_and_the_session_stays_open()
    {
        await using var server = await TestServer.StartAsync(o => o.MaxHttpBufferSize = 100);
        var (sid, _) = await server.HandshakeAsync();
        using var exact = await server.PostAsync($"EIO=4&transport=polling&sid={sid}", "4" + new string('a', 99));
        Assert.Equal(HttpStatusCode.OK, exact.StatusCode);
        using var tooLarge = await server.PostAsync($"EIO=4&transport=polling&sid={sid}", "4" + new string('a', 100));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        Assert.Equal("4" + new string('a', 99), await server.PollAsync(sid));

        // Chunked (no Content-Length): the limit applies while reading.
        var chunked = new SlowContent(new string('4', 300), release: true);
        using var chunkedResponse = await server.Http.PostAsync($"/socket.io/?EIO=4&transport=polling&sid={sid}", chunked).WaitAsync(TestServer.Timeout);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, chunkedResponse.StatusCode);
        Assert.True(server.Handler.Get(sid).Session.IsOpen);
    }

    [Fact]
    public async Task A_binary_post_is_refused_in_protocol_4()
    {
        await using var server = await TestServer.StartAsync();
        var (sid, _) = await server.HandshakeAsync();
        using var response = await server.PostBytesAsync($"EIO=4&transport=polling&sid={sid}", [1, 2, 3], "application/octet-stream");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("transport error", (await server.Handler.Get(sid).Closed).Reason);
    }

    [Fact]
    public async Task The_outbound_queue_is_bounded()
    {
        await using var server = await TestServer.StartAsync(o => o.MaxOutboundQueue = 2);
        var (sid, _) = await server.HandshakeAsync();
        var session = server.Handler.Get(sid).Session;
        Assert.True(session.Send(EngineMessage.Text("a")));
        Assert.True(session.Send(EngineMessage.Text("b")));
        Assert.False(session.Send(EngineMessage.Text("c")));
        Assert.Equal("4a\u001e4b", await server.PollAsync(sid));
        Assert.False(session.Send([EngineMessage.Text("x"), EngineMessage.Text("y"), EngineMessage.Text("z")]));
        Assert.True(session.Send([EngineMessage.Text("x"), EngineMessage.Binary(new byte[] { 9 })]));
        Assert.Equal("4x\u001ebCQ==", await server.PollAsync(sid));
    }

    [Fact]
    public async Task A_server_close_flushes_the_queue_then_sends_the_close_packet_in_a_later_poll()
    {
        await using var server = await TestServer.StartAsync();
        var (sid, _) = await server.HandshakeAsync();
        var recorder = server.Handler.Get(sid);
        recorder.Session.Send(EngineMessage.Text("bye"));
        recorder.Session.Close();
        Assert.False(recorder.Session.IsOpen);
        // Clients handle a payload's packets one tick apart: the close must not share the last messages' payload.
        Assert.Equal("4bye", await server.PollAsync(sid));
        Assert.Equal("1", await server.PollAsync(sid));
        Assert.Equal("forced close", (await recorder.Closed).Reason);
        using var later = await server.GetAsync($"EIO=4&transport=polling&sid={sid}");
        Assert.Equal(HttpStatusCode.BadRequest, later.StatusCode);
    }

    [Fact]
    public async Task Messages_sent_in_on_open_ride_with_the_open_packet()
    {
        await using var server = await TestServer.StartAsync();
        server.Handler.OnOpened = session => session.Send(EngineMessage.Text("welcome"));
        var (sid, body) = await server.HandshakeAsync();
        Assert.EndsWith("}\u001e4welcome", body);
        Assert.StartsWith("0{\"sid\":\"" + sid, body);
    }

    [Fact]
    public async Task The_cookie_option_sets_the_sid_cookie_on_the_handshake()
    {
        await using var server = await TestServer.StartAsync(o => o.Cookie = new EngineIoCookieOptions());
        using var response = await server.GetAsync("EIO=4&transport=polling");
        var sid = TestServer.SidOf(await response.Content.ReadAsStringAsync());
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith("io=" + sid + ";", cookie);
        Assert.Contains("path=/", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);

        await using var plain = await TestServer.StartAsync();
        using var noCookie = await plain.GetAsync("EIO=4&transport=polling");
        Assert.False(noCookie.Headers.Contains("Set-Cookie"));
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{20}$")]
    private static partial Regex SidPattern();

    /// <summary>A chunked body that writes its text, then waits until released.</summary>
    private sealed class SlowContent(string text = "4a", bool release = false) : HttpContent
    {
        private readonly TaskCompletionSource _release = CreateRelease(release);

        public void Release() => _release.TrySetResult();

        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            await stream.WriteAsync(System.Text.Encoding.UTF8.GetBytes(text));
            await stream.FlushAsync();
            await _release.Task.WaitAsync(TestServer.Timeout);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = -1;
            return false;
        }

        private static TaskCompletionSource CreateRelease(bool released)
        {
            var source = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (released)
            {
                source.SetResult();
            }

            return source;
        }
    }
}
