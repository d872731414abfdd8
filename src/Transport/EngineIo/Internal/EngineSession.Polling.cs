using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using SocketIo.Transport.EngineIo.Protocol;

namespace SocketIo.Transport.EngineIo.Internal;

/// <summary>HTTP long-polling: one held GET drains the queue, POST bodies carry client packets.</summary>
internal sealed partial class EngineSession
{
    /// <summary>How long a session closed by the client's close packet waits for the GET it owes a noop (see CloseNoLock).</summary>
    internal static readonly TimeSpan ClosedPollGrace = TimeSpan.FromSeconds(2);

    private PendingPoll? _poll;
    private bool _postInFlight;
    private bool _owesNoop;

    /// <summary>True while a POST body is being read (diagnostics and tests).</summary>
    public bool IsPostInFlight
    {
        get
        {
            lock (_gate)
            {
                return _postInFlight;
            }
        }
    }

    /// <summary>
    /// A GET: waits until packets are queued (or the session closes, or an upgrade probe needs the poll
    /// released) and writes them as one payload. A second GET while one is held closes the session with
    /// <c>transport error</c> and is answered 400 with an empty body, as the reference.
    /// </summary>
    public async Task HandlePollAsync(HttpContext context)
    {
        PendingPoll? poll = null;
        var overlap = false;
        var closed = false;
        lock (_gate)
        {
            ExpireOverdueHeartbeatNoLock();
            if (_state == SessionState.Closed)
            {
                closed = true;
            }
            else if (_poll is not null)
            {
                overlap = true;
            }
            else
            {
                poll = new PendingPoll();
                _poll = poll;
                TryReleasePollNoLock();
            }
        }

        if (closed)
        {
            _inbound.Drain();
            await _server.WriteErrorAsync(context, EngineErrors.UnknownSid, null, isWebSocket: false);
            return;
        }

        if (overlap)
        {
            Fail(EngineCloseReasons.TransportError, "overlap from client");
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        PollBatch batch;
        if (poll!.Task.IsCompleted)
        {
            batch = poll.Task.Result;
        }
        else
        {
            using (context.RequestAborted.Register(static state => ((PollAbort)state!).Fire(), new PollAbort(this, poll)))
            {
                batch = await poll.Task;
            }
        }

        // A drain notification the release may have posted.
        _inbound.Drain();
        await WritePayloadAsync(context, batch.Packets);
        if (batch.ClosesSession)
        {
            lock (_gate)
            {
                CloseNoLock(_closeReason, null, CloseFlavor.Delivered);
            }

            _inbound.Drain();
        }
    }

    /// <summary>
    /// Answers the GET that a session closed by the client's close packet owed a noop (the server hands it at most
    /// one such GET, see <see cref="CloseNoLock"/>); the session is then gone for good.
    /// </summary>
    public Task AnswerOwedNoopAsync(HttpContext context)
    {
        lock (_gate)
        {
            ForgetClosedNoLock();
        }

        return WritePayloadAsync(context, [EnginePacket.Control(EnginePacketType.Noop)]);
    }

    /// <summary>Ends the wait of a closed session that owed a noop (answered, timed out or shut down); idempotent.</summary>
    private void ForgetClosedNoLock()
    {
        if (!_owesNoop)
        {
            return;
        }

        _owesNoop = false;
        _timer.Dispose();
        _server.ForgetOwedNoop(this);
    }

    /// <summary>
    /// A POST: reads the body incrementally up to MaxHttpBufferSize (413 beyond, session kept, as the
    /// reference), decodes it and answers <c>ok</c>. Malformed payloads close the session with
    /// <c>parse error</c> after the packets before the error were delivered; the POST is still answered
    /// <c>ok</c> (reference behaviour). While receiving is paused the <c>ok</c> waits for the resume or the
    /// close; a client that drops the request meanwhile closes the session with <c>transport error</c>.
    /// </summary>
    public async Task HandlePostAsync(HttpContext context)
    {
        var overlap = false;
        var closed = false;
        lock (_gate)
        {
            ExpireOverdueHeartbeatNoLock();
            if (_state == SessionState.Closed)
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
            _inbound.Drain();
            await _server.WriteErrorAsync(context, EngineErrors.UnknownSid, null, isWebSocket: false);
            return;
        }

        if (overlap)
        {
            Fail(EngineCloseReasons.TransportError, "data request overlap from client");
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        try
        {
            await ReadPostAsync(context);
        }
        finally
        {
            lock (_gate)
            {
                _postInFlight = false;
            }
        }
    }

    private async Task ReadPostAsync(HttpContext context)
    {
        var packets = new List<EnginePacket>();
        var (outcome, error) = await PollingHttp.ReadPayloadAsync(context, Protocol, _settings.MaxHttpBufferSize, packets, _server.Metrics, _logger, Id);
        switch (outcome)
        {
            case PollingHttp.PostOutcome.InvalidContent:
                Fail(EngineCloseReasons.TransportError, "invalid content");
                return;
            case PollingHttp.PostOutcome.TooLarge:
                return;
            case PollingHttp.PostOutcome.Aborted:
                Fail(EngineCloseReasons.TransportError, "data request connection closed prematurely");
                return;
        }

        Deliver(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(packets), error);

        // Flow control: the client sends its next POST only once this one is answered.
        var resumed = WhenPostMayComplete();
        if (!resumed.IsCompleted)
        {
            try
            {
                await resumed.WaitAsync(context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                Fail(EngineCloseReasons.TransportError, "data request connection closed prematurely");
                return;
            }
        }

        await PollingHttp.WriteOkAsync(context);
    }

    private Task WritePayloadAsync(HttpContext context, EnginePacket[] packets) =>
        PollingHttp.WritePayloadAsync(context, packets, Protocol, _supportsBinary, _server.Metrics, _logger, Id);

    /// <summary>Releases the held GET when there is something to send, or with a noop while an upgrade probe waits for the poll to end.</summary>
    private void TryReleasePollNoLock()
    {
        if (_poll is not { } poll)
        {
            return;
        }

        EnginePacket[] packets;
        var closes = false;
        if (_queue.Count > 0)
        {
            packets = TakeAllNoLock(out closes);
        }
        else if (_upgrade == UpgradeState.Probed)
        {
            packets = [EnginePacket.Control(EnginePacketType.Noop)];
        }
        else
        {
            return;
        }

        _poll = null;
        poll.Release(new PollBatch(packets, closes));
    }

    private void OnPollAborted(PendingPoll poll)
    {
        lock (_gate)
        {
            if (!ReferenceEquals(_poll, poll))
            {
                return;
            }

            // CloseNoLock releases the held poll, so its request completes (writing to an aborted response is a no-op).
            CloseNoLock(EngineCloseReasons.TransportError, "poll connection closed prematurely", CloseFlavor.Server);
        }

        _inbound.Drain();
    }

    private sealed record PollAbort(EngineSession Session, PendingPoll Poll)
    {
        public void Fire() => Session.OnPollAborted(Poll);
    }
}

/// <summary>A held GET waiting for packets.</summary>
internal sealed class PendingPoll
{
    private readonly TaskCompletionSource<PollBatch> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<PollBatch> Task => _completion.Task;

    public void Release(PollBatch batch) => _completion.TrySetResult(batch);
}

/// <summary>Packets for one GET response; <see cref="ClosesSession"/> when it carries a graceful close packet.</summary>
internal readonly record struct PollBatch(EnginePacket[] Packets, bool ClosesSession);
