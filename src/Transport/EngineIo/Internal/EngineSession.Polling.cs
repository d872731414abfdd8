using Microsoft.AspNetCore.Http;
using SocketIo.Transport.EngineIo.Internal.Streams;
using SocketIo.Transport.EngineIo.Protocol;

namespace SocketIo.Transport.EngineIo.Internal;

/// <summary>
/// HTTP long-polling for a session graph: a GET is held here until the transport stage releases it with a batch, a
/// POST's body goes to the transport stage (which decodes it into one frame) and its <c>ok</c> waits until the session asks for more
/// (so a paused session holds the client's next POST back). Two GETs (or POSTs) at once close the session with
/// <c>transport error</c>, the second answered 400, as the reference.
/// </summary>
internal sealed partial class EngineSession
{
    /// <summary>How long a session closed by the client's close packet waits for the GET it owes a noop (see <see cref="CloseNow"/>).</summary>
    internal static readonly TimeSpan ClosedPollGrace = TimeSpan.FromSeconds(2);

    private readonly bool _supportsBinary;
    private TaskCompletionSource<PollBatch>? _poll;
    private bool _postInFlight;
    private readonly StageInbox<object> _transportCommands = new();

    public bool IsPostInFlight
    {
        get
        {
            lock (this)
            {
                return _postInFlight;
            }
        }
    }

    public async Task HandlePollAsync(HttpContext context)
    {
        TaskCompletionSource<PollBatch>? poll = null;
        var overlap = false;
        var closed = false;
        lock (this)
        {
            ExpireOverdueHeartbeatNoLock();
            if (!_registered)
            {
                closed = true;
            }
            else if (_poll is not null)
            {
                overlap = true;
            }
            else
            {
                poll = new TaskCompletionSource<PollBatch>(TaskCreationOptions.RunContinuationsAsynchronously);
                _poll = poll;
            }
        }

        if (closed)
        {
            await EngineHttp.WriteErrorAsync(context, EngineErrors.UnknownSid, null, isWebSocket: false);
            return;
        }

        if (overlap)
        {
            CloseImmediately(EngineCloseReasons.TransportError, "overlap from client");
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        PostTransport(EngineTransportStage.PollingCommand.Poll.Instance);
        PollBatch batch;
        using (context.RequestAborted.Register(static state => ((PollAbort)state!).Fire(), new PollAbort(this, poll!)))
        {
            batch = await poll!.Task;
        }

        await PollingHttp.WritePayloadAsync(context, batch.Packets, Protocol, _supportsBinary, Metrics, Logger, Id);
        if (batch.ClosesSession)
        {
            Unregister();
        }
    }

    public async Task HandlePostAsync(HttpContext context)
    {
        var overlap = false;
        var closed = false;
        lock (this)
        {
            ExpireOverdueHeartbeatNoLock();
            if (!_registered)
            {
                closed = true;
            }
            else if (_postInFlight)
            {
                overlap = true;
            }
            else
            {
                _postInFlight = true;
            }
        }

        if (closed)
        {
            await EngineHttp.WriteErrorAsync(context, EngineErrors.UnknownSid, null, isWebSocket: false);
            return;
        }

        if (overlap)
        {
            CloseImmediately(EngineCloseReasons.TransportError, "data request overlap from client");
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        bool delivered;
        try
        {
            delivered = await ReadPostAsync(context);
        }
        finally
        {
            // Released before "ok" is written: the client may send its next POST as soon as it reads it, before this
            // thread runs again (a preempted thread on a busy server), and that POST is no overlap.
            lock (this)
            {
                _postInFlight = false;
            }
        }

        if (delivered)
        {
            await PollingHttp.WriteOkAsync(context);
        }
    }

    /// <summary>Answers the GET a session closed by the client's close packet owed a noop; the session is then gone for good.</summary>
    public Task AnswerOwedNoopAsync(HttpContext context) =>
        PollingHttp.WritePayloadAsync(context, [EnginePacket.Control(EnginePacketType.Noop)], Protocol, _supportsBinary, Metrics, Logger, Id);

    /// <summary>Releases the held GET with <paramref name="packets"/>; false when no GET is held (the caller keeps them for the next).</summary>
    internal bool TryReleasePoll(EnginePacket[] packets, bool closesSession)
    {
        TaskCompletionSource<PollBatch>? poll;
        lock (this)
        {
            poll = _poll;
            _poll = null;
        }

        return poll is not null && poll.TrySetResult(new PollBatch(packets, closesSession));
    }

    /// <summary>The transport stage started: its commands posted before are handed over in order.</summary>
    internal void TransportStarted(Action<object> command) => _transportCommands.Started(command);

    /// <summary>Reads the POST's body and hands it to the transport stage; true once it was delivered and is to be answered <c>ok</c>.</summary>
    private async Task<bool> ReadPostAsync(HttpContext context)
    {
        var (outcome, body, isBinary) = await PollingHttp.ReadBodyAsync(context, Protocol, Settings.MaxHttpBufferSize, Metrics, Logger, Id);
        switch (outcome)
        {
            case PollingHttp.PostOutcome.InvalidContent:
                CloseImmediately(EngineCloseReasons.TransportError, "invalid content");
                return false;
            case PollingHttp.PostOutcome.TooLarge:
                return false;
            case PollingHttp.PostOutcome.Aborted:
                CloseImmediately(EngineCloseReasons.TransportError, "data request connection closed prematurely");
                return false;
        }

        // The transport stage answers once the session asked for more after these packets (at once unless paused), or
        // when the session closes.
        var ok = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        PostTransport(new EngineTransportStage.PollingCommand.Posted(body, isBinary, ok));
        try
        {
            await ok.Task.WaitAsync(context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            CloseImmediately(EngineCloseReasons.TransportError, "data request connection closed prematurely");
            return false;
        }

        return true;
    }

    /// <summary>
    /// Applies a heartbeat deadline that has passed but whose timer has not fired yet, before a request is served:
    /// whether a request made just after the deadline finds the session closed then depends on the clock only, not on
    /// how late the timer is (the official suites poll right at the deadline).
    /// </summary>
    private void ExpireOverdueHeartbeatNoLock()
    {
        var now = Environment.TickCount64;
        if (!_open || _paused || now < _heartbeatExpiry || now - Volatile.Read(ref _lastInbound) < _silenceTimeout)
        {
            return;
        }

        // Under this object's lock: CloseNow takes it again (re-entrant), and the stage hears of it through its callback.
        CloseImmediately(EngineCloseReasons.PingTimeout, null);
    }

    private void OnPollAborted(TaskCompletionSource<PollBatch> poll)
    {
        lock (this)
        {
            if (!ReferenceEquals(_poll, poll))
            {
                return;
            }
        }

        // CloseNow releases the held poll, so its request completes (writing to an aborted response is a no-op).
        CloseImmediately(EngineCloseReasons.TransportError, "poll connection closed prematurely");
    }

    private void PostTransport(object command) => _transportCommands.Post(command);

    private sealed record PollAbort(EngineSession Session, TaskCompletionSource<PollBatch> Poll)
    {
        public void Fire() => Session.OnPollAborted(Poll);
    }
}

/// <summary>Packets for one GET response; <see cref="ClosesSession"/> when it carries a graceful close's packet.</summary>
internal readonly record struct PollBatch(EnginePacket[] Packets, bool ClosesSession);
