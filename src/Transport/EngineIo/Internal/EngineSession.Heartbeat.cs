using SocketIo.Transport.EngineIo.Protocol;

namespace SocketIo.Transport.EngineIo.Internal;

/// <summary>
/// Heartbeats on one re-armed <see cref="ITimer"/> per session (a TimeProvider timer lives in the runtime's
/// shared timer queue, so there is no OS timer per session).
/// v4: the server pings every PingInterval and expects a pong within PingTimeout.
/// v3: the client pings; the server answers <c>3</c> and closes after PingInterval + PingTimeout of silence.
/// As the current reference, any packet received within the timeout keeps the session alive.
/// While receiving is paused (<see cref="IEngineSession.PauseReceiving"/>) the answer may be sitting unread behind
/// the pause, so a deadline that passes does not close the session: v4 goes on pinging (the client closes when it
/// hears no ping for PingInterval + PingTimeout), v3 waits another timeout, and the resume restarts the deadline.
/// </summary>
internal sealed partial class EngineSession
{
    private readonly ITimer _timer;
    private TimerPhase _timerPhase;
    private long _deadline;
    private long _lastInbound;

    private enum TimerPhase
    {
        /// <summary>v4: the next ping is due at the deadline.</summary>
        PingDue,

        /// <summary>v4: a ping was sent; the pong is due at the deadline.</summary>
        AwaitingPong,

        /// <summary>v3: the client's next ping is due at the deadline.</summary>
        AwaitingClientPing,

        /// <summary>A graceful close gives up at the deadline.</summary>
        Closing,
    }

    private TimeSpan V3Timeout => _settings.PingInterval + _settings.PingTimeout;

    private void StartHeartbeatNoLock()
    {
        if (Protocol == 3)
        {
            _timerPhase = TimerPhase.AwaitingClientPing;
            ArmNoLock(V3Timeout);
        }
        else
        {
            _timerPhase = TimerPhase.PingDue;
            ArmNoLock(_settings.PingInterval);
        }
    }

    private void ArmNoLock(TimeSpan due)
    {
        var provider = _settings.TimeProvider;
        _deadline = provider.GetTimestamp() + (long)(due.TotalSeconds * provider.TimestampFrequency);
        _timer.Change(due, Timeout.InfiniteTimeSpan);
    }

    private void ArmAfterDeadlineNoLock(TimeSpan due, long now)
    {
        var provider = _settings.TimeProvider;
        _deadline += (long)(due.TotalSeconds * provider.TimestampFrequency);
        _timer.Change(now < _deadline ? provider.GetElapsedTime(now, _deadline) : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
    }

    /// <summary>
    /// Applies a heartbeat deadline that has passed but whose timer callback has not run yet, before a request of
    /// the client is served: whether a request made just after the deadline finds the session closed then depends
    /// on the clock only, not on how late the timer thread is (the official suites poll right at the deadline).
    /// </summary>
    private void ExpireOverdueHeartbeatNoLock()
    {
        if (_state != SessionState.Open)
        {
            return;
        }

        var now = _settings.TimeProvider.GetTimestamp();
        if (now < _deadline)
        {
            return;
        }

        if (_timerPhase == TimerPhase.AwaitingPong)
        {
            CheckSilenceNoLock(_settings.PingTimeout, now);
        }
        else if (_timerPhase == TimerPhase.AwaitingClientPing)
        {
            CheckSilenceNoLock(V3Timeout, now);
        }
    }

    private void OnClientPingNoLock()
    {
        _timerPhase = TimerPhase.AwaitingClientPing;
        ArmNoLock(V3Timeout);

        // The reference answers a v3 heartbeat with a bare pong; only the upgrade probe echoes "probe".
        // A pong still waiting in the queue answers this ping too: a client that floods pings and never
        // reads (pongs are not counted by MaxOutboundQueue) must not grow the queue without bound.
        if (_queuedPongs > 0)
        {
            return;
        }

        _queuedPongs++;
        EnqueueControlNoLock(EnginePacket.Control(EnginePacketType.Pong));
    }

    private void OnClientPongNoLock()
    {
        _timerPhase = TimerPhase.PingDue;
        ArmNoLock(_settings.PingInterval);
    }

    private void OnTimer()
    {
        lock (_gate)
        {
            if (_state == SessionState.Closed)
            {
                // The grace of a client close that owed a noop has run out (see CloseNoLock).
                ForgetClosedNoLock();
                return;
            }

            var provider = _settings.TimeProvider;
            var now = provider.GetTimestamp();
            if (now < _deadline)
            {
                // A callback of an earlier arming, or a timer that fired a little early.
                _timer.Change(provider.GetElapsedTime(now, _deadline), Timeout.InfiniteTimeSpan);
                return;
            }

            switch (_timerPhase)
            {
                case TimerPhase.PingDue:
                    _timerPhase = TimerPhase.AwaitingPong;
                    // From when the ping was due, not from this (possibly late) callback: timer lateness must not
                    // add up across the two phases.
                    ArmAfterDeadlineNoLock(_settings.PingTimeout, now);
                    EnqueueControlNoLock(EnginePacket.Control(EnginePacketType.Ping));
                    break;
                case TimerPhase.AwaitingPong:
                    CheckSilenceNoLock(_settings.PingTimeout, now);
                    break;
                case TimerPhase.AwaitingClientPing:
                    CheckSilenceNoLock(V3Timeout, now);
                    break;
                case TimerPhase.Closing:
                    CloseNoLock(_closeReason, "close timeout", CloseFlavor.Server);
                    break;
            }
        }

        _inbound.Drain();
    }

    private void CheckSilenceNoLock(TimeSpan timeout, long now)
    {
        var silence = _settings.TimeProvider.GetElapsedTime(_lastInbound, now);
        if (silence < timeout)
        {
            ArmNoLock(timeout - silence);
            return;
        }

        if (_receivingPaused)
        {
            // The server is not reading, not the client silent: a slow handler must not cost a healthy client
            // its session. v4: the next ping goes out about PingInterval after the unanswered one (at once when
            // PingTimeout is the longer), so the client's own timer keeps hearing from the server.
            if (_timerPhase == TimerPhase.AwaitingPong)
            {
                _timerPhase = TimerPhase.PingDue;
                ArmNoLock(_settings.PingInterval > timeout ? _settings.PingInterval - timeout : TimeSpan.Zero);
            }
            else
            {
                ArmNoLock(timeout);
            }

            return;
        }

        CloseNoLock(EngineCloseReasons.PingTimeout, null, CloseFlavor.Server);
    }

    /// <summary>
    /// Receiving resumed: silence counts from now (the server was not listening), and a pending pong or client
    /// ping gets a full timeout from now, however long the pause lasted.
    /// </summary>
    private void RestartHeartbeatDeadlineNoLock()
    {
        _lastInbound = _settings.TimeProvider.GetTimestamp();
        if (_timerPhase == TimerPhase.AwaitingPong)
        {
            ArmNoLock(_settings.PingTimeout);
        }
        else if (_timerPhase == TimerPhase.AwaitingClientPing)
        {
            ArmNoLock(V3Timeout);
        }
    }
}
