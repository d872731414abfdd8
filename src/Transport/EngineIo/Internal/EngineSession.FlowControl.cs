namespace SocketIo.Transport.EngineIo.Internal;

/// <summary>
/// Inbound flow control (<see cref="IEngineSession.PauseReceiving"/>): while paused, the session's WebSocket
/// receive loop waits before it reads the next message and a polling POST withholds its <c>ok</c>, so the
/// client's own connection holds what it has not sent yet. An idle or unpaused session holds nothing for this
/// but a flag; the completion readers wait on is created by the first reader that has to wait, and dropped on
/// resume or close.
/// </summary>
internal sealed partial class EngineSession
{
    // Written under _gate; volatile so that the receive loop can skip the lock while not paused.
    private volatile bool _receivingPaused;
    private TaskCompletionSource? _receivingResumed;

    /// <summary>True while receiving is paused (diagnostics and tests).</summary>
    public bool IsReceivingPaused => _receivingPaused;

    public void PauseReceiving()
    {
        lock (_gate)
        {
            if (_receivingPaused || _state != SessionState.Open)
            {
                return;
            }

            _receivingPaused = true;
        }

        _server.Metrics.ReceivePauses.Add(1);
    }

    public void ResumeReceiving()
    {
        TaskCompletionSource? waiters;
        lock (_gate)
        {
            if (!_receivingPaused)
            {
                return;
            }

            waiters = EndPauseNoLock();
            if (_state == SessionState.Open)
            {
                RestartHeartbeatDeadlineNoLock();
            }
        }

        waiters?.TrySetResult();
    }

    /// <summary>
    /// Completes when <paramref name="connection"/> may read its next message: at once unless receiving is paused
    /// and the connection carries the session (an upgrade probe is never held: its <c>2probe</c> must be read for
    /// the upgrade to finish); otherwise on resume or when the session closes.
    /// </summary>
    internal Task WhenWebSocketMayReceive(WebSocketConnection connection)
    {
        lock (_gate)
        {
            return _receivingPaused && ReferenceEquals(connection, _webSocket) ? ResumedTaskNoLock() : Task.CompletedTask;
        }
    }

    /// <summary>Completes when a POST whose packets were delivered may be answered: on resume, or when the session closes.</summary>
    private Task WhenPostMayComplete()
    {
        lock (_gate)
        {
            return _receivingPaused ? ResumedTaskNoLock() : Task.CompletedTask;
        }
    }

    private Task ResumedTaskNoLock() =>
        (_receivingResumed ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    /// <summary>Clears the pause; returns the completion to set (outside the lock is fine, continuations run asynchronously).</summary>
    private TaskCompletionSource? EndPauseNoLock()
    {
        _receivingPaused = false;
        var waiters = _receivingResumed;
        _receivingResumed = null;
        return waiters;
    }

    /// <summary>The session leaves the open state: nothing may stay held (the close handshake must be read, a POST answered).</summary>
    private void ReleaseReceivingNoLock()
    {
        if (_receivingPaused)
        {
            EndPauseNoLock()?.TrySetResult();
        }
    }
}
