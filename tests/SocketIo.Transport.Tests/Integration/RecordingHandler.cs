using System.Collections.Concurrent;
using System.Text;
using System.Threading.Channels;
using SocketIo.Transport.EngineIo;

namespace SocketIo.Transport.Tests.Integration;

/// <summary>Echo handler that records sessions, messages and closes, and checks calls never overlap.</summary>
internal sealed class RecordingHandler : IEngineHandler
{
    private readonly ConcurrentDictionary<string, SessionRecorder> _sessions = new();
    private readonly Channel<SessionRecorder> _opened = Channel.CreateUnbounded<SessionRecorder>();

    /// <summary>Echo every message back (default true).</summary>
    public bool Echo { get; set; } = true;

    /// <summary>Runs inside OnOpen.</summary>
    public Action<IEngineSession>? OnOpened { get; set; }

    /// <summary>Runs inside each OnMessage before the message is recorded, so a test that has read a message also sees what the hook did.</summary>
    public Action<IEngineSession, EngineMessage>? OnReceived { get; set; }

    public IEngineSessionHandler OnOpen(IEngineSession session)
    {
        var recorder = new SessionRecorder(session, Echo, OnReceived);
        _sessions[session.Id] = recorder;
        OnOpened?.Invoke(session);
        _opened.Writer.TryWrite(recorder);
        return recorder;
    }

    public SessionRecorder Get(string sid) => _sessions[sid];

    public async Task<SessionRecorder> NextOpenedAsync() => await _opened.Reader.ReadAsync().AsTask().WaitAsync(TestServer.Timeout);
}

internal sealed class SessionRecorder : IEngineSessionHandler
{
    private readonly bool _echo;
    private readonly Action<IEngineSession, EngineMessage>? _onReceived;
    private readonly Channel<EngineMessage> _messages = Channel.CreateUnbounded<EngineMessage>();
    private readonly TaskCompletionSource<(string Reason, string? Description)> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Channel<bool> _drains = Channel.CreateUnbounded<bool>();
    private int _inCall;
    private int _closeCalls;

    public SessionRecorder(IEngineSession session, bool echo, Action<IEngineSession, EngineMessage>? onReceived = null)
    {
        Session = session;
        _echo = echo;
        _onReceived = onReceived;
    }

    public IEngineSession Session { get; }

    public bool Overlapped { get; private set; }

    public int CloseCalls => Volatile.Read(ref _closeCalls);

    public Task<(string Reason, string? Description)> Closed => _closed.Task.WaitAsync(TestServer.Timeout);

    public bool IsClosed => _closed.Task.IsCompleted;

    public void OnMessage(EngineMessage message)
    {
        Enter();
        try
        {
            // The hook runs first, so a test that has read a message also sees what the hook did with it.
            _onReceived?.Invoke(Session, message);
            _messages.Writer.TryWrite(message);
            if (_echo)
            {
                Session.Send(message);
            }
        }
        finally
        {
            Exit();
        }
    }

    public void OnClose(string reason, string? description)
    {
        Enter();
        try
        {
            Interlocked.Increment(ref _closeCalls);
            _closed.TrySetResult((reason, description));
        }
        finally
        {
            Exit();
        }
    }

    public void OnDrain()
    {
        Enter();
        try
        {
            _drains.Writer.TryWrite(true);
        }
        finally
        {
            Exit();
        }
    }

    /// <summary>Drain notifications received and not yet taken by <see cref="NextDrainAsync"/>.</summary>
    public int PendingDrains => _drains.Reader.Count;

    public async Task NextDrainAsync() => await _drains.Reader.ReadAsync().AsTask().WaitAsync(TestServer.Timeout);

    /// <summary>Messages delivered and not yet taken by <see cref="NextMessageAsync"/>.</summary>
    public int PendingMessages => _messages.Reader.Count;

    public async Task<EngineMessage> NextMessageAsync() => await _messages.Reader.ReadAsync().AsTask().WaitAsync(TestServer.Timeout);

    public async Task<string> NextTextAsync()
    {
        var message = await NextMessageAsync();
        Assert.False(message.IsBinary);
        return Encoding.UTF8.GetString(message.Data.Span);
    }

    private void Enter()
    {
        if (Interlocked.Exchange(ref _inCall, 1) != 0)
        {
            Overlapped = true;
        }
    }

    private void Exit() => Volatile.Write(ref _inCall, 0);
}
