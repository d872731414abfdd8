using System.Diagnostics;
using System.Net.WebSockets;
using Microsoft.Extensions.Logging;
using SocketIo.Transport.EngineIo.Protocol;

namespace SocketIo.Transport.EngineIo.Internal;

/// <summary>
/// One Engine.IO session: the transport stage between one client and its <see cref="IEngineSessionHandler"/>.
/// Inbound packets are decoded by the transports and handed over in order by an <see cref="InboundDispatcher"/>;
/// outbound packets wait in one bounded queue that survives the polling → WebSocket upgrade and is drained
/// either by the pending GET (several packets per payload) or by the WebSocket writer loop.
/// All state is guarded by <see cref="_gate"/>; handler code never runs under it.
/// </summary>
internal sealed partial class EngineSession : IServerSession
{
    internal const string PollingName = "polling";
    internal const string WebSocketName = "websocket";

    private readonly object _gate = new();
    private readonly EngineIoServer _server;
    private readonly EngineSettings _settings;
    private readonly ILogger _logger;
    private readonly InboundDispatcher _inbound;
    private readonly Queue<EnginePacket> _queue = new();
    private readonly bool _supportsBinary;
    private int _queuedMessages;
    private long _queuedBytes;
    private int _queuedPongs;
    private bool _drainWanted;
    private SessionState _state = SessionState.Open;
    private string _transport;
    private string _closeReason = EngineCloseReasons.ForcedClose;

    public EngineSession(EngineIoServer server, string id, int protocol, EngineHandshake handshake, bool supportsBinary, string transport)
    {
        _server = server;
        _settings = server.Settings;
        _logger = server.Logger;
        Id = id;
        Protocol = protocol;
        Handshake = handshake;
        _supportsBinary = supportsBinary;
        _transport = transport;
        _inbound = new InboundDispatcher(OnHandlerFailed);
        _lastInbound = _settings.TimeProvider.GetTimestamp();
        _timer = _settings.TimeProvider.CreateTimer(static s => ((EngineSession)s!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    private enum SessionState
    {
        Open,
        Closing,
        Closed,
    }

    /// <summary>How a close treats the transport.</summary>
    private enum CloseFlavor
    {
        /// <summary>The client closed: a pending GET gets a noop, nothing more is written.</summary>
        Client,

        /// <summary>The server closed: a pending GET gets what is queued plus a close packet; the WebSocket drains its queue, then closes.</summary>
        Server,

        /// <summary>A graceful close whose close packet has been written.</summary>
        Delivered,
    }

    public string Id { get; }

    public int Protocol { get; }

    public string Transport => Volatile.Read(ref _transport);

    public EngineHandshake Handshake { get; }

    public bool IsOpen
    {
        get
        {
            lock (_gate)
            {
                return _state == SessionState.Open;
            }
        }
    }

    public bool IsWritable
    {
        get
        {
            lock (_gate)
            {
                if (_state != SessionState.Open)
                {
                    return false;
                }

                return _webSocket is { } socket
                    ? _queue.Count == 0 && !socket.IsWriting
                    : _poll is not null;
            }
        }
    }

    public bool Send(EngineMessage message)
    {
        lock (_gate)
        {
            if (_state != SessionState.Open || !HasRoomNoLock(1, message.Data.Length))
            {
                return false;
            }

            _queue.Enqueue(EnginePacket.FromMessage(message));
            _queuedMessages++;
            _queuedBytes += message.Data.Length;
            FlushNoLock();
            return true;
        }
    }

    public bool Send(ReadOnlySpan<EngineMessage> messages)
    {
        if (messages.IsEmpty)
        {
            return IsOpen;
        }

        long bytes = 0;
        foreach (var message in messages)
        {
            bytes += message.Data.Length;
        }

        lock (_gate)
        {
            if (_state != SessionState.Open || !HasRoomNoLock(messages.Length, bytes))
            {
                return false;
            }

            foreach (var message in messages)
            {
                _queue.Enqueue(EnginePacket.FromMessage(message));
            }

            _queuedMessages += messages.Length;
            _queuedBytes += bytes;
            FlushNoLock();
            return true;
        }
    }

    /// <summary>Message packets waiting in the outbound queue (diagnostics and tests).</summary>
    public int QueuedMessages
    {
        get
        {
            lock (_gate)
            {
                return _queuedMessages;
            }
        }
    }

    /// <summary>Bytes of message data waiting in the outbound queue (diagnostics and tests).</summary>
    public long QueuedBytes
    {
        get
        {
            lock (_gate)
            {
                return _queuedBytes;
            }
        }
    }

    /// <summary>
    /// Whether <paramref name="count"/> more messages of <paramref name="bytes"/> bytes fit the bounds. A batch larger
    /// than the byte bound still fits an empty queue, or it could never be sent at all.
    /// </summary>
    private bool HasRoomNoLock(int count, long bytes)
    {
        if (_queuedMessages + count <= _settings.MaxOutboundQueue
            && (_queuedMessages == 0 || _queuedBytes + bytes <= _settings.MaxOutboundQueueBytes))
        {
            if (2L * (_queuedMessages + count) >= _settings.MaxOutboundQueue || 2 * (_queuedBytes + bytes) >= _settings.MaxOutboundQueueBytes)
            {
                _drainWanted = true;
            }

            return true;
        }

        _drainWanted = true;
        EngineLog.OutboundQueueFull(_logger, Id, _queuedMessages, _queuedBytes);
        return false;
    }

    /// <summary>
    /// Graceful server close: what is queued is flushed, then a close packet (polling) or the WebSocket
    /// close handshake, then <c>OnClose(reason)</c>. A polling client that never polls again is dropped
    /// after <see cref="EngineSettings.CloseTimeout"/>, as the reference does.
    /// </summary>
    public void Close(string reason = EngineCloseReasons.ForcedClose)
    {
        lock (_gate)
        {
            if (_state != SessionState.Open)
            {
                return;
            }

            _state = SessionState.Closing;
            _closeReason = reason;
            ReleaseReceivingNoLock();
            if (_probe is not null)
            {
                AbandonUpgradeNoLock("session closing");
            }

            _queue.Enqueue(EnginePacket.Control(EnginePacketType.Close));
            _timerPhase = TimerPhase.Closing;
            ArmNoLock(_settings.CloseTimeout);
            FlushNoLock();
        }

        _inbound.Drain();
    }

    /// <summary>Queues the open packet, asks the handler for its session handler and starts the heartbeat. False when the handler threw.</summary>
    internal bool Start(IEngineHandler handler)
    {
        var open = new EngineOpenPacket(
            Id,
            _server.UpgradesFor(Transport),
            (long)_settings.PingInterval.TotalMilliseconds,
            (long)_settings.PingTimeout.TotalMilliseconds,
            Protocol == 3 ? null : _settings.MaxHttpBufferSize).ToPacket();
        lock (_gate)
        {
            _queue.Enqueue(open);
            StartHeartbeatNoLock();
        }

        IEngineSessionHandler sessionHandler;
        try
        {
            sessionHandler = handler.OnOpen(this);
        }
        catch (Exception exception)
        {
            EngineLog.HandlerFailed(_logger, exception, Id);
            lock (_gate)
            {
                CloseNoLock(EngineCloseReasons.TransportError, "handler failed on open", CloseFlavor.Server);
            }

            return false;
        }

        lock (_gate)
        {
            FlushNoLock();
        }

        _inbound.Start(sessionHandler);
        return true;
    }

    /// <summary>
    /// Closes with <c>server shutting down</c>, flushing what the transport can still write. A polling
    /// client between two polls gets the close packet on its next poll (a graceful close), so it learns
    /// that the server closed it instead of finding the server gone; the host gives such sessions a
    /// moment (<see cref="EngineIoServer.WaitForSessionsAsync"/>) before it stops listening.
    /// </summary>
    public void Shutdown()
    {
        bool betweenPolls;
        lock (_gate)
        {
            ForgetClosedNoLock();
            betweenPolls = _state == SessionState.Open && _webSocket is null && _poll is null;
        }

        if (betweenPolls)
        {
            Close(EngineCloseReasons.ServerShuttingDown);
            return;
        }

        lock (_gate)
        {
            CloseNoLock(EngineCloseReasons.ServerShuttingDown, null, CloseFlavor.Server, WebSocketCloseStatus.EndpointUnavailable);
        }

        _inbound.Drain();
    }

    /// <summary>Decoded packets from the current transport, in wire order.</summary>
    internal void Deliver(ReadOnlySpan<EnginePacket> packets, EngineParseError error)
    {
        lock (_gate)
        {
            foreach (var packet in packets)
            {
                HandleInboundNoLock(packet);
            }

            if (error != EngineParseError.None)
            {
                ParseFailedNoLock(error);
            }
        }

        _inbound.Drain();
    }

    internal void Fail(string reason, string description, WebSocketCloseStatus status = WebSocketCloseStatus.NormalClosure)
    {
        lock (_gate)
        {
            CloseNoLock(reason, description, CloseFlavor.Server, status);
        }

        _inbound.Drain();
    }

    private void ParseFailedNoLock(EngineParseError error)
    {
        if (_state == SessionState.Closed)
        {
            return;
        }

        var description = EngineParseErrors.Describe(error);
        EngineLog.ParseError(_logger, Id, description);
        CloseNoLock(EngineCloseReasons.ParseError, description, CloseFlavor.Server);
    }

    private void HandleInboundNoLock(in EnginePacket packet)
    {
        // As the reference: packets are ignored once the session is closing or closed.
        if (_state != SessionState.Open)
        {
            return;
        }

        _lastInbound = _settings.TimeProvider.GetTimestamp();
        _server.Metrics.PacketsIn.Add(1);
        switch (packet.Type)
        {
            case EnginePacketType.Message:
                _inbound.PostMessage(new EngineMessage(packet.Data, packet.IsBinary));
                break;
            case EnginePacketType.Ping:
                if (Protocol != 3)
                {
                    CloseNoLock(EngineCloseReasons.TransportError, "invalid heartbeat direction", CloseFlavor.Server);
                    return;
                }

                OnClientPingNoLock();
                break;
            case EnginePacketType.Pong:
                if (Protocol == 3)
                {
                    CloseNoLock(EngineCloseReasons.TransportError, "invalid heartbeat direction", CloseFlavor.Server);
                    return;
                }

                OnClientPongNoLock();
                break;
            case EnginePacketType.Close:
                CloseNoLock(EngineCloseReasons.TransportClose, null, CloseFlavor.Client);
                break;
            case EnginePacketType.Open:
                // Only the server opens a session.
                ParseFailedNoLock(EngineParseError.UnknownPacketType);
                break;
            default:
                // upgrade and noop on the established transport carry nothing (ignored by the reference too).
                break;
        }
    }

    private void EnqueueControlNoLock(in EnginePacket packet)
    {
        _queue.Enqueue(packet);
        FlushNoLock();
    }

    /// <summary>Moves queued packets towards the client if the current transport can take them now.</summary>
    private void FlushNoLock()
    {
        if (_state == SessionState.Closed)
        {
            return;
        }

        if (_webSocket is { } socket)
        {
            socket.SignalWriter();
        }
        else
        {
            TryReleasePollNoLock();
        }
    }

    /// <summary>Takes the queued packets up to the graceful-close marker; the marker alone is taken once nothing precedes it, and then <paramref name="closes"/> is true.</summary>
    private EnginePacket[] TakeAllNoLock(out bool closes)
    {
        closes = false;
        if (_queue.Count == 0)
        {
            return [];
        }

        var packets = new EnginePacket[_queue.Count];
        var count = 0;
        while (_queue.TryPeek(out var packet))
        {
            if (packet.Type == EnginePacketType.Close)
            {
                // As the reference does, the close packet goes out only once the buffer has drained, in a
                // payload of its own: clients decode a payload's packets one tick apart, and would otherwise
                // see the close before the messages queued ahead of it (a DISCONNECT, say).
                if (count > 0)
                {
                    break;
                }

                ClearQueueNoLock();
                packets[count++] = packet;
                closes = true;
                break;
            }

            _queue.Dequeue();
            if (packet.Type == EnginePacketType.Message)
            {
                _queuedMessages--;
                _queuedBytes -= packet.Data.Length;
            }
            else if (packet.Type == EnginePacketType.Pong)
            {
                _queuedPongs--;
            }

            packets[count++] = packet;
        }

        if (_drainWanted && _queue.Count == 0 && _state == SessionState.Open)
        {
            // Everything queued is handed to the transport: the senders may go on (IEngineSessionHandler.OnDrain).
            _drainWanted = false;
            _inbound.PostDrain();
        }

        return count == packets.Length ? packets : packets[..count];
    }

    private void CloseNoLock(string reason, string? description, CloseFlavor flavor, WebSocketCloseStatus status = WebSocketCloseStatus.NormalClosure)
    {
        Debug.Assert(Monitor.IsEntered(_gate));
        if (_state == SessionState.Closed)
        {
            return;
        }

        _state = SessionState.Closed;
        ReleaseReceivingNoLock();
        if (_probe is not null)
        {
            AbandonUpgradeNoLock("session closed");
        }

        var pollHeld = _poll is not null;
        if (_poll is { } poll)
        {
            _poll = null;
            EnginePacket[] packets;
            if (flavor == CloseFlavor.Client)
            {
                packets = [EnginePacket.Control(EnginePacketType.Noop)];
            }
            else
            {
                var queued = TakeAllNoLock(out var hasClose);
                packets = hasClose ? queued : [.. queued, EnginePacket.Control(EnginePacketType.Close)];
            }

            poll.Release(new PollBatch(packets, false));
        }

        // A client closing over polling always has a GET on its way or about to be (the one it held, or the next
        // after an answer), and requests on two connections may be handled in either order: the reference, taking
        // them one at a time in arrival order, answers such a GET with a noop. So a close packet that finds no GET
        // held leaves the session owing one noop, for a moment, to the next GET that names it, whatever the order.
        var owesNoop = flavor == CloseFlavor.Client && _webSocket is null && !pollHeld;

        if (_webSocket is { } socket)
        {
            if (flavor != CloseFlavor.Server)
            {
                ClearQueueNoLock();
            }

            // The writer drains what is still queued (Server flavor), then sends the close frame.
            socket.RequestClose(status);
        }
        else
        {
            ClearQueueNoLock();
        }

        _server.Remove(this);
        if (owesNoop)
        {
            _owesNoop = true;
            _server.OweNoop(this);
            _timer.Change(ClosedPollGrace, Timeout.InfiniteTimeSpan);
        }
        else
        {
            _timer.Dispose();
        }

        _server.Metrics.SessionsOpen.Add(-1);
        _server.Metrics.Closes.Add(1, new KeyValuePair<string, object?>("reason", reason));
        EngineLog.SessionClosed(_logger, Id, reason, description);
        _inbound.PostClose(reason, description);
    }

    private void ClearQueueNoLock()
    {
        _queue.Clear();
        _queuedMessages = 0;
        _queuedBytes = 0;
        _queuedPongs = 0;
    }

    private void OnHandlerFailed(Exception exception)
    {
        EngineLog.HandlerFailed(_logger, exception, Id);
        lock (_gate)
        {
            CloseNoLock(EngineCloseReasons.TransportError, "handler failed", CloseFlavor.Server);
        }
    }
}
