using System.IO.Pipelines;
using System.Net.WebSockets;
using System.Text;
using Akka.Actor;
using Akka.Configuration;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using SocketIo.Node.Forwarding;
using SocketIo.Transport.EngineIo;
using AkkaCluster = Akka.Cluster.Cluster;

namespace SocketIo.Node.Tests.Forwarding;

/// <summary>
/// Two cluster members in one process, each with an Engine.IO server (an echo handler) and its
/// <see cref="EngineSessionForwarder"/>: requests for a session of node A sent to node B's engine are served by A,
/// which keeps the session, over polling and over a relayed WebSocket; once A is gone, B answers unknown sid.
/// </summary>
public sealed class TwoNodeForwardingSpec : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private const string ClusterConfig = """
        akka.loglevel = WARNING
        akka.actor.provider = cluster
        akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0 }
        akka.cluster {
          roles = [socketio]
          downing-provider-class = ""
          gossip-interval = 200ms
          leader-actions-interval = 200ms
          unreachable-nodes-reaper-interval = 250ms
        }
        akka.coordinated-shutdown.run-by-clr-shutdown-hook = off
        """;

    private Node _a = null!;
    private Node _b = null!;

    private sealed record Node(ActorSystem System, EngineSessionForwarder Forwarder, EngineIoServer Engine);

    public async Task InitializeAsync()
    {
        _a = await StartNode(null);
        _b = await StartNode(AkkaCluster.Get(_a.System).SelfAddress);
        await Eventually(() => _a.Forwarder.PeerTags.Contains(_b.Forwarder.LocalTag) && _b.Forwarder.PeerTags.Contains(_a.Forwarder.LocalTag),
            "each forwarder knows the other member");
    }

    public async Task DisposeAsync()
    {
        foreach (var node in new[] { _b, _a })
        {
            if (node is null) continue;
            await node.Engine.DisposeAsync();
            await node.System.Terminate().WaitAsync(Timeout);
        }
    }

    private static async Task<Node> StartNode(Address? seed)
    {
        var system = ActorSystem.Create("forwarding-two-nodes",
            ConfigurationFactory.ParseString(ClusterConfig).WithFallback(EngineForwardingSerializer.SerializationConfig));
        var forwarder = EngineSessionForwarder.Start(system, "socketio");
        var options = new EngineIoOptions { PingInterval = TimeSpan.FromSeconds(30) };
        forwarder.ApplyTo(options);
        var engine = new EngineIoServer(new EchoHandler(), options);
        var cluster = AkkaCluster.Get(system);
        var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        cluster.RegisterOnMemberUp(() => up.TrySetResult());
        cluster.Join(seed ?? cluster.SelfAddress);
        await up.Task.WaitAsync(TimeSpan.FromSeconds(20));
        return new Node(system, forwarder, engine);
    }

    [Fact]
    public async Task Polling_requests_for_a_session_of_node_a_sent_to_node_b_are_served_by_a()
    {
        var (status, handshake) = await Request(_a.Engine, "GET", "EIO=4&transport=polling");
        Assert.Equal(200, status);
        var sid = handshake.Split('"')[3];
        Assert.StartsWith(_a.Forwarder.LocalTag, sid);

        Assert.Equal((200, "ok"), await Request(_b.Engine, "POST", $"EIO=4&transport=polling&sid={sid}", "4hello\u001e4world"));
        Assert.Equal((200, "4hello\u001e4world"), await Request(_b.Engine, "GET", $"EIO=4&transport=polling&sid={sid}"));

        // A GET held on A through B is released by what A sends later (here the echo of a POST sent to A itself).
        var held = Request(_b.Engine, "GET", $"EIO=4&transport=polling&sid={sid}");
        await Task.Delay(200);
        Assert.False(held.IsCompleted);
        Assert.Equal((200, "ok"), await Request(_a.Engine, "POST", $"EIO=4&transport=polling&sid={sid}", "4later"));
        Assert.Equal((200, "4later"), await held.WaitAsync(Timeout));
        Assert.Equal((1, 0), (_a.Engine.ClientsCount, _b.Engine.ClientsCount));
    }

    [Fact]
    public async Task Bodies_larger_than_an_akka_remote_frame_cross_in_fragments_unchanged()
    {
        var sid = await OpenSessionOnA();
        // Akka.Remote's default maximum-frame-size is 128,000 bytes; maxHttpBufferSize is 1,000,000.
        var large = "4" + string.Concat(Enumerable.Range(0, 200_000).Select(i => (char)('a' + (i % 26)))) + "é☃";
        Assert.Equal((200, "ok"), await Request(_b.Engine, "POST", $"EIO=4&transport=polling&sid={sid}", large + "\u001e4small"));
        Assert.Equal((200, large + "\u001e4small"), await Request(_b.Engine, "GET", $"EIO=4&transport=polling&sid={sid}"));

        var (client, served) = await UpgradeThroughB(sid);
        using (client)
        {
            // A large message between two small ones: all three arrive, whole and in order.
            await Send(client, "4first");
            await Send(client, large);
            await Send(client, "4last");
            Assert.Equal("4first", await Receive(client));
            Assert.Equal(large, await Receive(client));
            Assert.Equal("4last", await Receive(client));
            await client.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).WaitAsync(Timeout);
        }

        await served.WaitAsync(Timeout);
    }

    [Fact]
    public async Task A_paused_session_on_node_a_slows_the_client_of_its_websocket_relayed_through_node_b()
    {
        var sid = await OpenSessionOnA();
        var (client, served) = await UpgradeThroughB(sid);
        using (client)
        {
            _a.Engine.GetSession(sid)!.PauseReceiving();

            // 200 messages of 32 KiB (6.4 MiB): the relay stops reading the client once about its window (1 MiB) is unacknowledged.
            const int count = 200;
            var sent = 0;
            var sending = Task.Run(async () =>
            {
                for (var i = 0; i < count; i++)
                {
                    await client.SendAsync(Encoding.UTF8.GetBytes($"4{i:D5}" + new string('p', 32 * 1024)), WebSocketMessageType.Text, true, CancellationToken.None);
                    Interlocked.Increment(ref sent);
                }
            });
            await Task.Delay(1500);
            Assert.False(sending.IsCompleted);
            Assert.InRange(Volatile.Read(ref sent), 1, count / 2);

            // Resumed, everything arrives, whole and in order (the echoes come back the same way).
            _a.Engine.GetSession(sid)!.ResumeReceiving();
            for (var i = 0; i < count; i++)
            {
                var echo = await Receive(client);
                Assert.StartsWith($"4{i:D5}", echo);
                Assert.Equal(32 * 1024 + 6, echo.Length);
            }

            await sending.WaitAsync(Timeout);
            await client.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).WaitAsync(Timeout);
        }

        await served.WaitAsync(Timeout);
    }

    [Fact]
    public async Task A_stopping_node_answers_the_gets_it_holds_for_other_members_at_once_and_forwards_no_more()
    {
        var sid = await OpenSessionOnA();
        var held = Request(_b.Engine, "GET", $"EIO=4&transport=polling&sid={sid}");
        await Task.Delay(300);
        Assert.False(held.IsCompleted);
        _b.Forwarder.StopRelaying();
        const string unknown = """{"code":1,"message":"Session ID unknown"}""";
        Assert.Equal((400, unknown), await held.WaitAsync(TimeSpan.FromSeconds(2)));
        // The owner dropped its side of that GET, as for a client gone mid-poll: the session is closed.
        await Eventually(() => _a.Engine.ClientsCount == 0, "node A closes the session");
        Assert.Equal((400, unknown), await Request(_b.Engine, "GET", $"EIO=4&transport=polling&sid={_a.Forwarder.LocalTag}abcdefghijklmnopqrst"));
    }

    [Fact]
    public async Task Sids_of_no_member_and_gone_sessions_of_this_member_are_unknown_sid()
    {
        const string unknown = """{"code":1,"message":"Session ID unknown"}""";
        Assert.Equal((400, unknown), await Request(_b.Engine, "GET", "EIO=4&transport=polling&sid=ZZZZZZZZabcdefghijklmnopqrst"));
        Assert.Equal((400, unknown), await Request(_b.Engine, "GET", $"EIO=4&transport=polling&sid={_b.Forwarder.LocalTag}abcdefghijklmnopqrst"));
        // A session A no longer holds, asked through B: A's own answer comes back.
        Assert.Equal((400, unknown), await Request(_b.Engine, "POST", $"EIO=4&transport=polling&sid={_a.Forwarder.LocalTag}abcdefghijklmnopqrst", "4x"));
    }

    [Fact]
    public async Task A_websocket_upgrade_through_node_b_is_relayed_to_node_a_which_keeps_the_session()
    {
        var sid = await OpenSessionOnA();
        var (client, served) = await UpgradeThroughB(sid);
        using (client)
        {
            await Send(client, "4over the relay");
            Assert.Equal("4over the relay", await Receive(client));
            var binary = new byte[] { 0, 1, 2, 255 };
            await client.SendAsync(binary, WebSocketMessageType.Binary, true, CancellationToken.None).WaitAsync(Timeout);
            var buffer = new byte[16];
            var result = await client.ReceiveAsync(buffer, CancellationToken.None).WaitAsync(Timeout);
            Assert.Equal((WebSocketMessageType.Binary, 4), (result.MessageType, result.Count));
            Assert.Equal(binary, buffer[..4]);
            Assert.Equal("websocket", _a.Engine.GetSession(sid)!.Transport);
            Assert.Equal((1, 0), (_a.Engine.ClientsCount, _b.Engine.ClientsCount));

            // The client closes: the close travels to A, whose session ends, and back.
            await client.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).WaitAsync(Timeout);
            result = await client.ReceiveAsync(buffer, CancellationToken.None).WaitAsync(Timeout);
            Assert.Equal(WebSocketMessageType.Close, result.MessageType);
        }

        await served.WaitAsync(Timeout);
        await Eventually(() => _a.Engine.ClientsCount == 0, "node A closes the session");
    }

    [Fact]
    public async Task Once_node_a_has_left_node_b_answers_its_sids_as_unknown()
    {
        var sid = await OpenSessionOnA();
        var held = Request(_b.Engine, "GET", $"EIO=4&transport=polling&sid={sid}");
        await Task.Delay(200);
        await AkkaCluster.Get(_a.System).LeaveAsync().WaitAsync(Timeout);
        await Eventually(() => !_b.Forwarder.PeerTags.Contains(_a.Forwarder.LocalTag), "node B drops node A");
        // The GET held through B for A (whose engine still holds it) fails at once, as an unknown sid: the client reconnects.
        const string unknown = """{"code":1,"message":"Session ID unknown"}""";
        Assert.Equal((400, unknown), await held.WaitAsync(Timeout));
        Assert.Equal((400, unknown), await Request(_b.Engine, "GET", $"EIO=4&transport=polling&sid={sid}"));
    }

    /// <summary>Opens a polling session on node A; returns its sid.</summary>
    private async Task<string> OpenSessionOnA()
    {
        var (_, handshake) = await Request(_a.Engine, "GET", "EIO=4&transport=polling");
        return handshake.Split('"')[3];
    }

    /// <summary>
    /// Upgrades session <paramref name="sid"/> to WebSocket through node B (<c>2probe</c>, <c>3probe</c>, <c>5</c>):
    /// the client end, and B's serving of the upgrade request, which completes when the socket closes.
    /// </summary>
    private async Task<(WebSocket Client, Task Served)> UpgradeThroughB(string sid)
    {
        var (context, client) = WebSocketRequest($"EIO=4&transport=websocket&sid={sid}");
        var served = _b.Engine.HandleRequestAsync(context);
        await Send(client, "2probe");
        Assert.Equal("3probe", await Receive(client));
        await Send(client, "5");
        return (client, served);
    }

    /// <summary>One HTTP request served by <paramref name="engine"/> on a synthetic context: its status and body.</summary>
    private static async Task<(int Status, string Body)> Request(EngineIoServer engine, string method, string query, string? body = null)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Path = "/socket.io/";
        context.Request.QueryString = new QueryString("?" + query);
        if (body is not null)
        {
            var bytes = Encoding.UTF8.GetBytes(body);
            context.Request.Body = new MemoryStream(bytes);
            context.Request.ContentLength = bytes.Length;
            context.Request.ContentType = "text/plain;charset=UTF-8";
        }

        var response = new MemoryStream();
        context.Response.Body = response;
        await engine.HandleRequestAsync(context).WaitAsync(TimeSpan.FromSeconds(40));
        return (context.Response.StatusCode, Encoding.UTF8.GetString(response.ToArray()));
    }

    /// <summary>A WebSocket upgrade request whose accepted socket is the server end of an in-memory pair; the client end is returned.</summary>
    private static (HttpContext Context, WebSocket Client) WebSocketRequest(string query)
    {
        var toServer = new Pipe();
        var toClient = new Pipe();
        var server = WebSocket.CreateFromStream(new DuplexPipeStream(toServer.Reader, toClient.Writer), new WebSocketCreationOptions { IsServer = true });
        var client = WebSocket.CreateFromStream(new DuplexPipeStream(toClient.Reader, toServer.Writer), new WebSocketCreationOptions { IsServer = false });
        var context = new DefaultHttpContext();
        context.Features.Set<IHttpWebSocketFeature>(new AcceptingFeature(server));
        context.Request.Method = "GET";
        context.Request.Path = "/socket.io/";
        context.Request.QueryString = new QueryString("?" + query);
        return (context, client);
    }

    private static Task Send(WebSocket socket, string text) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None).WaitAsync(Timeout);

    private static async Task<string> Receive(WebSocket socket)
    {
        var buffer = new byte[4096];
        var message = new MemoryStream();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, CancellationToken.None).WaitAsync(Timeout);
            Assert.Equal(WebSocketMessageType.Text, result.MessageType);
            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage) return Encoding.UTF8.GetString(message.ToArray());
        }
    }

    private static async Task Eventually(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"timed out waiting until {what}");
            await Task.Delay(50);
        }
    }

    private sealed class AcceptingFeature(WebSocket socket) : IHttpWebSocketFeature
    {
        public bool IsWebSocketRequest => true;

        public Task<WebSocket> AcceptAsync(WebSocketAcceptContext context) => Task.FromResult(socket);
    }

    /// <summary>Echoes every message back on its session.</summary>
    private sealed class EchoHandler : IEngineHandler
    {
        public IEngineSessionHandler OnOpen(IEngineSession session) => new Echo(session);

        private sealed class Echo(IEngineSession session) : IEngineSessionHandler
        {
            public void OnMessage(EngineMessage message) => session.Send(message);

            public void OnClose(string reason, string? description)
            {
            }
        }
    }
}
