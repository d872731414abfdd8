using System.Net.WebSockets;
using Akka;
using Akka.Streams;
using Akka.Streams.Dsl;
using Microsoft.Extensions.Logging;
using SocketIo.Transport.EngineIo.Internal.Streams;
using SocketIo.Transport.EngineIo.Protocol;

namespace SocketIo.Transport.EngineIo.Internal;

/// <summary>
/// One Engine.IO session, run as one fused Akka.Streams graph (docs/ARCHITECTURE.md):
/// <code>
///   GET / POST, frames ⇄ EngineTransportStage ─ InboundFrame ─▶ EngineSessionStage ─▶ IEngineSessionHandler
///                                      ▲◀──── EnginePacket[] ──────────┘   ▲ Send, Close, Resume
/// </code>
/// This object is the graph's handle: the session as the layer above sees it (<see cref="IEngineSession"/>), and the
/// HTTP side of polling and of the upgrade (<c>EngineSession.Polling.cs</c>, <c>EngineSession.Upgrade.cs</c>). It owns
/// the bounded outbound queue under its lock, so <see cref="Send(EngineMessage)"/> still answers at once, and does the
/// part of a close that cannot wait for the graph (<see cref="CloseNow"/>). Messages for the stages go through their
/// <see cref="StageInbox{T}"/>s, which keep what is posted before the graph has started.
/// </summary>
internal sealed partial class EngineSession : IEngineSession
{
    internal const string PollingName = "polling";
    internal const string WebSocketName = "websocket";

    private readonly EngineIoServer _server;
    private WebSocket? _socket;
    private string _transport;
    private bool _closed;
    private bool _registered = true;
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // The outbound queue, shared by the callers of Send and the session stage, guarded by this object's lock. Senders
    // wake the stage with one async callback per burst (the first packet that finds it idle), not one per packet.
    private Queue<EnginePacket>? _queue;
    private int _queuedMessages;
    private long _queuedBytes;
    private bool _wakePending;
    private bool _drainWanted;
    private long _lastInbound = Environment.TickCount64;
    private long _heartbeatExpiry = long.MaxValue;
    private long _silenceTimeout;
    private readonly StageInbox<EngineSessionStage.Command> _commands = new();
    private int _remainingStages = 2;
    private volatile bool _open = true;
    private volatile bool _paused;
    private volatile bool _writing;
    // A batch the session stage took from the queue and pushed, not yet received by the transport stage: without it,
    // IsWritable would read true in that gap (nothing queued, nothing being written) while the client's socket is full.
    private volatile bool _handingOver;

    /// <summary>A session on <paramref name="socket"/> (opened over WebSocket), or over polling when it is null.</summary>
    public EngineSession(EngineIoServer server, WebSocket? socket, string id, int protocol, EngineHandshake handshake, bool supportsBinary)
    {
        _server = server;
        _socket = socket;
        _transport = socket is null ? PollingName : WebSocketName;
        _supportsBinary = supportsBinary;
        Id = id;
        Protocol = protocol;
        Handshake = handshake;
        _queue = new Queue<EnginePacket>();
        _queue.Enqueue(new EngineOpenPacket(
            id,
            server.UpgradesFor(_transport),
            (long)Settings.PingInterval.TotalMilliseconds,
            (long)Settings.PingTimeout.TotalMilliseconds,
            protocol == 3 ? null : Settings.MaxHttpBufferSize).ToPacket());
    }

    public string Id { get; }

    public int Protocol { get; }

    public string Transport => Volatile.Read(ref _transport);

    public EngineHandshake Handshake { get; }

    public bool IsOpen => _open;

    /// <summary>WebSocket: nothing queued and no frame being written. Polling: a GET is held.</summary>
    public bool IsWritable => _open && (IsWebSocket ? Volatile.Read(ref _queuedMessages) == 0 && !_writing && !_handingOver : Volatile.Read(ref _poll) is not null);

    public bool IsReceivingPaused => _paused;

    public int QueuedMessages => Volatile.Read(ref _queuedMessages);

    public long QueuedBytes => Interlocked.Read(ref _queuedBytes);

    internal EngineSettings Settings => _server.Settings;

    /// <summary>The WebSocket the session was opened on, or null for a polling session (the transport stage starts from it).</summary>
    internal WebSocket? Socket => _socket;

    internal bool IsWebSocket => Volatile.Read(ref _transport) == WebSocketName;

    /// <summary>The receiver of this session's inbound messages, set before the graph starts.</summary>
    internal IEngineSessionHandler Handler { get; private set; } = null!;

    internal ILogger Logger => _server.Logger;

    internal EngineMetrics Metrics => _server.Metrics;

    /// <summary>True while the transport stage is sending a batch (the stage's own state, read by <see cref="IsWritable"/> too).</summary>
    internal bool Writing
    {
        get => _writing;
        set => _writing = value;
    }

    /// <summary>The transport stage received the batch <see cref="TakeAll"/> took (after it marked itself <see cref="Writing"/>, if it writes it).</summary>
    internal void HandedOver() => _handingOver = false;

    internal WebSocketCloseStatus CloseStatus { get; private set; } = WebSocketCloseStatus.NormalClosure;

    /// <summary>The close handshake's send, once the transport started it (awaited before the request ends).</summary>
    internal Task? ClosingOutput { get; set; }

    /// <summary>Completes when both stages of the graph have stopped.</summary>
    internal Task Completion => _finished.Task;

    /// <summary>
    /// Completes when the graph has stopped and the close frame it started is out (waited for at most
    /// WebSocketCloseGrace): a WebSocket request must not end, and let its connection go, before that.
    /// </summary>
    internal async Task WebSocketEndedAsync()
    {
        await Completion;
        if (ClosingOutput is { } closing)
        {
            await closing.WaitAsync(Settings.WebSocketCloseGrace).ContinueWith(static _ => { }, TaskScheduler.Default);
        }
    }

    /// <summary>
    /// The session graph, built and fused once for every session: its stages are blueprints without state, and each
    /// materialization finds its session in a <see cref="SessionAttribute"/>. A graph built per session would keep its
    /// own stage objects and their modules alive for the session's life (the interpreter holds its assembly).
    /// </summary>
    internal static readonly Fusing.FusedGraph<ClosedShape, NotUsed> Blueprint =
        Fusing.Aggressive(Flow.FromGraph(new EngineTransportStage()).Join(Flow.FromGraph(new EngineSessionStage())));

    public bool Send(EngineMessage message) => Enqueue(EnginePacket.FromMessage(message), null, 1, message.Data.Length);

    public bool Send(ReadOnlySpan<EngineMessage> messages)
    {
        if (messages.IsEmpty)
        {
            return _open;
        }

        if (messages.Length == 1)
        {
            return Send(messages[0]);
        }

        long bytes = 0;
        var packets = new EnginePacket[messages.Length];
        for (var i = 0; i < messages.Length; i++)
        {
            bytes += messages[i].Data.Length;
            packets[i] = EnginePacket.FromMessage(messages[i]);
        }

        return Enqueue(default, packets, messages.Length, bytes);
    }

    public void PauseReceiving()
    {
        if (_open && !_paused)
        {
            _paused = true;
            Metrics.ReceivePauses.Add(1);
        }
    }

    public void ResumeReceiving()
    {
        if (!_paused)
        {
            return;
        }

        _paused = false;
        Post(EngineSessionStage.Command.Resume.Instance);
    }

    public void Close(string reason = EngineCloseReasons.ForcedClose) => Close(reason, WebSocketCloseStatus.NormalClosure);

    /// <summary>
    /// Closes with <c>server shutting down</c>. A WebSocket flushes what is queued, then closes with status 1001. A
    /// polling client between two polls gets the close packet on its next poll (a graceful close), so that it learns
    /// the server closed it; one whose GET is held gets what is queued and the close packet at once.
    /// </summary>
    public void Shutdown()
    {
        bool betweenPolls;
        lock (this)
        {
            if (_closed)
            {
                // Closed by its client and owing its next GET a noop: that wait ends here.
                _server.ForgetOwedNoop(this);
                return;
            }

            betweenPolls = !IsWebSocket && _poll is null;
        }

        if (IsWebSocket || betweenPolls)
        {
            Close(EngineCloseReasons.ServerShuttingDown, WebSocketCloseStatus.EndpointUnavailable);
            return;
        }

        CloseImmediately(EngineCloseReasons.ServerShuttingDown, null, WebSocketCloseStatus.EndpointUnavailable);
    }

    /// <summary>Runs the session: asks the handler for its receiver, then materializes the graph. False when the handler threw.</summary>
    internal bool Start(IEngineHandler handler, StreamSessionHosts hosts)
    {
        IEngineSessionHandler sessionHandler;
        try
        {
            sessionHandler = handler.OnOpen(this);
        }
        catch (Exception exception)
        {
            EngineLog.HandlerFailed(Logger, exception, Id);
            _open = false;
            _closed = true;
            Unregister();
            Metrics.SessionsOpen.Add(-1);
            return false;
        }

        Handler = sessionHandler;
        _server.GraphStarted();
        hosts.Run(new Attributes(new SessionAttribute(this)));
        return true;
    }

    /// <summary>A packet arrived from the client at <paramref name="ticks"/> (<see cref="Environment.TickCount64"/>).</summary>
    internal void Inbound(long ticks) => Volatile.Write(ref _lastInbound, ticks);

    /// <summary>When the session was opened (<see cref="Environment.TickCount64"/>): its heartbeat counts from then.</summary>
    internal long OpenedAt { get; } = Environment.TickCount64;

    /// <summary>
    /// The session stage armed its heartbeat: a silent client times out at <paramref name="expireAt"/>
    /// (<see cref="Environment.TickCount64"/>, <see cref="long.MaxValue"/> for never), unless a packet came within the
    /// last <paramref name="silenceTimeout"/> ms.
    /// </summary>
    internal void HeartbeatArmed(long expireAt, long silenceTimeout)
    {
        lock (this)
        {
            _heartbeatExpiry = expireAt;
            _silenceTimeout = silenceTimeout;
        }
    }

    /// <summary>The session stage started: commands posted before are handed over in order; what was sent is already queued.</summary>
    internal void Started(Action<EngineSessionStage.Command> command) => _commands.Started(command);

    /// <summary>Whether anything waits in the queue (a GET during an upgrade probe takes it rather than a noop).</summary>
    internal bool HasQueued
    {
        get
        {
            lock (this)
            {
                return _queue is { Count: > 0 };
            }
        }
    }

    /// <summary>Wakes the session stage (a polling GET took a batch: the stage checks whether a drain is due).</summary>
    internal void Wake()
    {
        bool wake;
        lock (this)
        {
            wake = ClaimWakeNoLock();
        }

        if (wake)
        {
            _commands.Post(EngineSessionStage.Command.Wake.Instance);
        }
    }

    /// <summary>True when the caller is to wake the stage: it has started and no wake-up is on its way yet (one per burst).</summary>
    private bool ClaimWakeNoLock()
    {
        if (!_commands.IsStarted || _wakePending)
        {
            return false;
        }

        _wakePending = true;
        return true;
    }

    /// <summary>The stage is about to flush: the next packet sent wakes it again.</summary>
    internal void WakeHandled()
    {
        lock (this)
        {
            _wakePending = false;
        }
    }

    /// <summary>Everything queued for the client, in order, or null when nothing is (called by the session stage when the transport has demand).</summary>
    internal EnginePacket[]? TakeAll()
    {
        lock (this)
        {
            if (_queue is not { Count: > 0 } queue)
            {
                return null;
            }

            _handingOver = true;
            return TakeAllNoLock(queue);
        }
    }

    /// <summary>
    /// Takes the queued packets up to a graceful close's close packet: that one goes out alone, once nothing precedes it,
    /// as the reference does (clients decode a payload's packets one tick apart, and would otherwise see the close before
    /// the messages queued ahead of it).
    /// </summary>
    private EnginePacket[] TakeAllNoLock(Queue<EnginePacket> queue)
    {
        if (queue.Peek().Type == EnginePacketType.Close)
        {
            queue.Dequeue();
            if (queue.Count == 0)
            {
                _queue = null;
            }

            return [EnginePacket.Control(EnginePacketType.Close)];
        }

        var packets = new List<EnginePacket>(queue.Count);
        while (queue.TryPeek(out var packet) && packet.Type != EnginePacketType.Close)
        {
            queue.Dequeue();
            if (packet.Type == EnginePacketType.Message)
            {
                _queuedMessages--;
                _queuedBytes -= packet.Data.Length;
            }

            packets.Add(packet);
        }

        if (queue.Count == 0)
        {
            // An idle session keeps no queue: the next burst starts a new one.
            _queue = null;
        }

        return packets.ToArray();
    }

    /// <summary>
    /// True once when the queue is empty and a sender found it full or over half its bounds since the last time
    /// (see <see cref="IEngineSessionHandler.OnDrain"/>); the session stage asks when the transport wants more.
    /// </summary>
    internal bool TakeDrain()
    {
        lock (this)
        {
            if (!_drainWanted || _queue is { Count: > 0 })
            {
                return false;
            }

            _drainWanted = false;
            return true;
        }
    }

    /// <summary>A ping or pong of the session stage, queued behind what was sent.</summary>
    internal void EnqueueControl(in EnginePacket packet)
    {
        lock (this)
        {
            (_queue ??= new Queue<EnginePacket>()).Enqueue(packet);
        }
    }

    /// <summary>Drops what is queued (a close by the client: nothing more is written but the close frame).</summary>
    internal void ClearQueue()
    {
        lock (this)
        {
            ClearQueueNoLock();
        }
    }

    private void ClearQueueNoLock()
    {
        _queue = null;
        _queuedMessages = 0;
        _queuedBytes = 0;
    }

    /// <summary>
    /// The part of a close that cannot wait for the graph (once; false when already closed): no more sends, a held GET
    /// answered (a noop for a client close, what is queued plus a close packet for an immediate one), the session
    /// unregistered (a polling session closed gracefully stays until its close packet was fetched) and, when a client
    /// closed a polling session between two GETs, a noop owed to its next GET. Logged and counted here.
    /// </summary>
    internal bool CloseNow(string reason, string? description, WebSocketCloseStatus status, CloseFlavor flavor)
    {
        var owesNoop = false;
        TaskCompletionSource<PollBatch>? poll = null;
        EnginePacket[]? batch = null;
        lock (this)
        {
            if (_closed)
            {
                return false;
            }

            _closed = true;
            _open = false;
            _paused = false;
            CloseStatus = status;
            if (!IsWebSocket)
            {
                poll = _poll;
                _poll = null;
                if (flavor == CloseFlavor.Client)
                {
                    batch = poll is null ? null : [EnginePacket.Control(EnginePacketType.Noop)];
                    // A client closing over polling always has a GET on its way or about to be, and requests on two
                    // connections may be served in either order: as the reference, that GET gets a noop (the server's owed-noop table, for ClosedPollGrace).
                    owesNoop = poll is null;
                }
                else if (flavor == CloseFlavor.Immediate)
                {
                    var queued = _queue is { Count: > 0 } queue ? TakeAllNoLock(queue) : [];
                    batch = queued is [.., { Type: EnginePacketType.Close }] ? queued : [.. queued, EnginePacket.Control(EnginePacketType.Close)];
                    ClearQueueNoLock();
                    if (poll is null)
                    {
                        batch = null;
                    }
                }
                else if (poll is not null)
                {
                    // Graceful: the GET stays with the transport stage, which gives it what is queued, then the close packet.
                    _poll = poll;
                    poll = null;
                }
            }
        }

        if (poll is not null)
        {
            poll.TrySetResult(new PollBatch(batch!, false));
        }

        if (IsWebSocket || flavor != CloseFlavor.Graceful)
        {
            Unregister();
        }

        if (owesNoop)
        {
            _server.OweNoop(this);
            _ = Task.Delay(ClosedPollGrace).ContinueWith(
                static (_, state) => ((EngineSession)state!)._server.ForgetOwedNoop((EngineSession)state!), this, TaskScheduler.Default);
        }

        Metrics.SessionsOpen.Add(-1);
        Metrics.Closes.Add(1, new KeyValuePair<string, object?>("reason", reason));
        EngineLog.SessionClosed(Logger, Id, reason, description);
        return true;
    }

    /// <summary>Takes the session out of the server's table (once): later requests naming it get <c>Session ID unknown</c>.</summary>
    internal void Unregister()
    {
        lock (this)
        {
            if (!_registered)
            {
                return;
            }

            _registered = false;
        }

        _server.Remove(this);
    }

    /// <summary>One of the graph's two stages stopped.</summary>
    internal void Finished()
    {
        if (Interlocked.Decrement(ref _remainingStages) == 0)
        {
            _server.GraphStopped();
            _finished.TrySetResult();
        }
    }

    internal void AbortTransport() => Volatile.Read(ref _socket)?.Abort();

    internal static bool IsTransportException(Exception exception) =>
        exception is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException
            or Microsoft.AspNetCore.Connections.ConnectionResetException;

    /// <summary>A read that failed: the reference's ws "close" event, logged unless it is the usual vanished client.</summary>
    internal static TransportEnd ConnectionLost(Exception exception, EngineSession session)
    {
        if (exception is not (OperationCanceledException or WebSocketException { WebSocketErrorCode: WebSocketError.ConnectionClosedPrematurely }))
        {
            EngineLog.TransportFailed(session.Logger, exception, session.Id);
        }

        return new TransportEnd(EngineCloseReasons.TransportClose, "websocket connection lost", WebSocketCloseStatus.NormalClosure);
    }

    /// <summary>
    /// A server-side close that cannot wait for the graph (a request found it, or the server shuts down while a GET is
    /// held): <see cref="CloseNow"/> at once, then the session stage closes the rest (the handler's <c>OnClose</c>).
    /// </summary>
    private void CloseImmediately(string reason, string? description, WebSocketCloseStatus status = WebSocketCloseStatus.NormalClosure)
    {
        if (CloseNow(reason, description, status, CloseFlavor.Immediate))
        {
            Post(new EngineSessionStage.Command.Close(reason, description, status, CloseFlavor.Immediate));
        }
    }

    private void Close(string reason, WebSocketCloseStatus status)
    {
        if (!_open)
        {
            return;
        }

        _open = false;
        Post(new EngineSessionStage.Command.Close(reason, null, status, CloseFlavor.Graceful));
    }

    /// <summary>
    /// Queues one packet (or a batch, all or nothing) if it fits the bounds; a batch larger than the byte bound still
    /// fits an empty queue, or it could never be sent at all. Wakes the stage when it is idle.
    /// </summary>
    private bool Enqueue(in EnginePacket packet, EnginePacket[]? packets, int count, long bytes)
    {
        var wake = false;
        lock (this)
        {
            if (!_open)
            {
                return false;
            }

            if (_queuedMessages + count > Settings.MaxOutboundQueue
                || (_queuedMessages > 0 && _queuedBytes + bytes > Settings.MaxOutboundQueueBytes))
            {
                _drainWanted = true;
                EngineLog.OutboundQueueFull(Logger, Id, _queuedMessages, _queuedBytes);
                return false;
            }

            var queue = _queue ??= new Queue<EnginePacket>();
            if (packets is null)
            {
                queue.Enqueue(packet);
            }
            else
            {
                foreach (var item in packets)
                {
                    queue.Enqueue(item);
                }
            }

            _queuedMessages += count;
            _queuedBytes += bytes;
            if (2L * _queuedMessages >= Settings.MaxOutboundQueue || 2 * _queuedBytes >= Settings.MaxOutboundQueueBytes)
            {
                _drainWanted = true;
            }

            wake = ClaimWakeNoLock();
        }

        if (wake)
        {
            _commands.Post(EngineSessionStage.Command.Wake.Instance);
        }

        return true;
    }

    private void Post(EngineSessionStage.Command command) => _commands.Post(command);
}

/// <summary>How a materialization of <see cref="EngineSession.Blueprint"/> finds its session: every stage's logic reads it from its attributes.</summary>
internal sealed class SessionAttribute(EngineSession session) : Attributes.IAttribute
{
    public EngineSession Session { get; } = session;

    public static EngineSession Of(Attributes attributes) =>
        attributes.GetAttribute<SessionAttribute>()?.Session ?? throw new InvalidOperationException("A session graph was materialized without its session.");
}
