using System.Collections.Concurrent;
using System.Text;
using SocketIo.Actors;
using SocketIo.Node.Hosting;
using SocketIo.Transport.EngineIo;

namespace SocketIo.Node.Tests.Hosting;

/// <summary>The adapter between the Engine.IO session port and the Socket.IO connection port passes each call through.</summary>
public sealed class SocketIoEngineHandlerSpec : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    private readonly SocketIoServer _server = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_drain_of_the_engine_session_runs_the_drain_listeners_of_its_socket()
    {
        var connected = new TaskCompletionSource<Socket>(TaskCreationOptions.RunContinuationsAsynchronously);
        _server.Of("/").OnConnection(socket => connected.TrySetResult(socket));
        var session = new FakeSession();
        var inbound = new SocketIoEngineHandler(_server).OnOpen(session);

        inbound.OnMessage(EngineMessage.Text("0"));
        var socket = await connected.Task.WaitAsync(Timeout);
        var drained = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        socket.OnDrain(() => drained.TrySetResult(socket.IsBackpressured));

        inbound.OnDrain();

        Assert.False(await drained.Task.WaitAsync(Timeout));
        Assert.Equal([$"0{{\"sid\":\"{socket.Id}\"}}"], session.Sent);
    }

    /// <summary>An open Engine.IO 4 session over WebSocket that accepts every message and records the text ones.</summary>
    private sealed class FakeSession : IEngineSession
    {
        private readonly ConcurrentQueue<string> _sent = new();

        public IReadOnlyList<string> Sent => [.. _sent];

        public string Id => "sid1";

        public int Protocol => 4;

        public string Transport => "websocket";

        public EngineHandshake Handshake { get; } = new(
            new Dictionary<string, string>(), new Dictionary<string, string>(), "127.0.0.1", "/socket.io/?EIO=4", false,
            new DateTimeOffset(2026, 12, 5, 0, 0, 0, TimeSpan.Zero));

        public bool IsWritable => true;

        public bool IsOpen => true;

        public bool Send(EngineMessage message)
        {
            if (!message.IsBinary) _sent.Enqueue(Encoding.UTF8.GetString(message.Data.Span));
            return true;
        }

        public bool Send(ReadOnlySpan<EngineMessage> messages)
        {
            foreach (var message in messages) Send(message);
            return true;
        }

        public void PauseReceiving()
        {
        }

        public void ResumeReceiving()
        {
        }

        public void Close(string reason = EngineCloseReasons.ForcedClose)
        {
        }
    }
}
