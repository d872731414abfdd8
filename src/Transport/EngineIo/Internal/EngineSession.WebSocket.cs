using System.Net.WebSockets;
using SocketIo.Transport.EngineIo.Protocol;

namespace SocketIo.Transport.EngineIo.Internal;

/// <summary>
/// WebSocket as the session's transport, and the polling → WebSocket upgrade:
/// probe <c>2probe</c> → <c>3probe</c> (and the held GET is released with a noop, as are GETs until the
/// upgrade ends), then <c>5</c> switches the transport and the writer flushes what was queued meanwhile.
/// A probe that does not finish within UpgradeTimeout, or sends anything else, is closed; the session
/// stays on polling.
/// </summary>
internal sealed partial class EngineSession
{
    private WebSocketConnection? _webSocket;
    private WebSocketConnection? _probe;
    private ITimer? _upgradeTimer;
    private UpgradeState _upgrade;

    private enum UpgradeState
    {
        None,
        Probing,
        Probed,
        Upgraded,
    }

    /// <summary>Makes <paramref name="connection"/> the transport of a session opened over WebSocket.</summary>
    internal void AttachWebSocket(WebSocketConnection connection)
    {
        lock (_gate)
        {
            _webSocket = connection;
            Volatile.Write(ref _transport, WebSocketName);
            connection.StartWriter();
        }
    }

    /// <summary>An upgrade request on the accepted <paramref name="socket"/>: the probe runs on it, and it carries the session once upgraded.</summary>
    public async Task UpgradeAsync(WebSocket socket)
    {
        using var connection = new WebSocketConnection(socket, this, _server);
        if (!TryBeginUpgrade(connection))
        {
            // As the reference: a second probe, an upgraded or closed session gets the socket closed at once.
            connection.RequestClose(WebSocketCloseStatus.NormalClosure);
        }

        await connection.RunAsync();
    }

    /// <summary>Registers a probe WebSocket; false (the caller closes it) when the session cannot upgrade now.</summary>
    internal bool TryBeginUpgrade(WebSocketConnection probe)
    {
        lock (_gate)
        {
            if (_state != SessionState.Open || _webSocket is not null || _upgrade != UpgradeState.None || !_server.UpgradesAllowed)
            {
                return false;
            }

            _probe = probe;
            _upgrade = UpgradeState.Probing;
            _upgradeTimer = _settings.TimeProvider.CreateTimer(
                static state => ((UpgradeTimeout)state!).Fire(),
                new UpgradeTimeout(this, probe),
                _settings.UpgradeTimeout,
                Timeout.InfiniteTimeSpan);
            return true;
        }
    }

    /// <summary>One decoded packet from a WebSocket: the session's transport, or a probe.</summary>
    internal async ValueTask OnWebSocketPacketAsync(WebSocketConnection connection, EnginePacket packet)
    {
        var answerProbe = false;
        lock (_gate)
        {
            if (ReferenceEquals(connection, _webSocket))
            {
                HandleInboundNoLock(packet);
            }
            else if (ReferenceEquals(connection, _probe))
            {
                if (packet.Type == EnginePacketType.Ping && packet.Data.Span.SequenceEqual("probe"u8))
                {
                    _upgrade = UpgradeState.Probed;
                    answerProbe = true;
                    TryReleasePollNoLock();
                }
                else if (packet.Type == EnginePacketType.Upgrade)
                {
                    CompleteUpgradeNoLock(connection);
                }
                else
                {
                    AbandonUpgradeNoLock("unexpected packet during upgrade");
                }
            }
        }

        _inbound.Drain();
        if (answerProbe)
        {
            await connection.SendTextAsync("3probe"u8.ToArray());
        }
    }

    internal void OnWebSocketParseError(WebSocketConnection connection, EngineParseError error)
    {
        lock (_gate)
        {
            if (ReferenceEquals(connection, _webSocket))
            {
                ParseFailedNoLock(error);
            }
            else if (ReferenceEquals(connection, _probe))
            {
                AbandonUpgradeNoLock(EngineParseErrors.Describe(error));
            }
        }

        _inbound.Drain();
    }

    /// <summary>The WebSocket's receive side ended (close frame, disconnect, oversized message, I/O error).</summary>
    internal void OnWebSocketClosed(WebSocketConnection connection, string reason, string? description, WebSocketCloseStatus status)
    {
        lock (_gate)
        {
            if (ReferenceEquals(connection, _webSocket))
            {
                CloseNoLock(reason, description, reason == EngineCloseReasons.TransportClose ? CloseFlavor.Client : CloseFlavor.Server, status);
            }
            else if (ReferenceEquals(connection, _probe))
            {
                AbandonUpgradeNoLock(description ?? reason);
            }
        }

        _inbound.Drain();
    }

    /// <summary>
    /// Called by the writer loop: every queued packet, even after close (so a server close flushes first).
    /// <paramref name="closes"/> reports the graceful-close marker, which is not written on WebSocket (as the reference).
    /// </summary>
    internal EnginePacket[] TakeOutbound(WebSocketConnection connection, out bool closes)
    {
        EnginePacket[] packets;
        lock (_gate)
        {
            closes = false;
            if (!ReferenceEquals(connection, _webSocket))
            {
                return [];
            }

            packets = TakeAllNoLock(out closes);
            connection.IsWriting = packets.Length > 0;
        }

        // A drain notification the take may have posted.
        _inbound.Drain();
        return packets;
    }

    /// <summary>The writer reached the graceful-close marker: finish the close.</summary>
    internal void OnCloseDelivered()
    {
        lock (_gate)
        {
            CloseNoLock(_closeReason, null, CloseFlavor.Delivered);
        }

        _inbound.Drain();
    }

    private void CompleteUpgradeNoLock(WebSocketConnection connection)
    {
        _upgradeTimer?.Dispose();
        _upgradeTimer = null;
        _probe = null;
        _upgrade = UpgradeState.Upgraded;
        if (_poll is { } poll)
        {
            // Queued packets stay for the WebSocket so that nothing is reordered across transports.
            _poll = null;
            poll.Release(new PollBatch([EnginePacket.Control(EnginePacketType.Noop)], false));
        }

        _webSocket = connection;
        Volatile.Write(ref _transport, WebSocketName);
        connection.StartWriter();
        _server.Metrics.Upgrades.Add(1);
        EngineLog.UpgradeCompleted(_logger, Id);
    }

    private void AbandonUpgradeNoLock(string reason)
    {
        _upgradeTimer?.Dispose();
        _upgradeTimer = null;
        var probe = _probe;
        _probe = null;
        _upgrade = UpgradeState.None;
        if (probe is not null)
        {
            EngineLog.UpgradeAbandoned(_logger, Id, reason);
            probe.RequestClose(WebSocketCloseStatus.NormalClosure);
        }
    }

    private sealed record UpgradeTimeout(EngineSession Session, WebSocketConnection Probe)
    {
        public void Fire()
        {
            lock (Session._gate)
            {
                if (ReferenceEquals(Session._probe, Probe))
                {
                    Session.AbandonUpgradeNoLock("upgrade timeout");
                }
            }
        }
    }
}
