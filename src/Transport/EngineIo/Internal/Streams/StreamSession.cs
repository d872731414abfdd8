using System.Net.WebSockets;
using Akka;
using Akka.Streams;
using Akka.Streams.Dsl;
using Microsoft.Extensions.Logging;
using SocketIo.Transport.EngineIo.Protocol;

namespace SocketIo.Transport.EngineIo.Internal.Streams;

/// <summary>
/// A WebSocket session run as one fused Akka.Streams graph (the prototype of #15, on when
/// <see cref="EngineIoOptions.Materializer"/> is set):
/// <code>
///            ┌──────── InboundFrame ───────▶┐
/// client ⇄ WebSocketTransportStage     EngineSessionStage ─▶ IEngineSessionHandler
///            └◀─────── EnginePacket ────────┘       ▲ Send, Close, Resume: one async callback
/// </code>
/// This object is the session as the layer above sees it (<see cref="IEngineSession"/>): it checks the outbound
/// bounds on the caller's thread (so <see cref="Send(EngineMessage)"/> still answers at once) and hands packets to the
/// session stage; calls made before the graph started are kept and handed over when it starts.
/// </summary>
internal sealed class StreamSession : ISessionDiagnostics
{
    private readonly EngineIoServer _server;
    private readonly WebSocket _socket;
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // The outbound queue, shared by the callers of Send and the session stage, guarded by this object's lock. Senders
    // wake the stage with one async callback per burst (the first packet that finds it idle), not one per packet.
    private Queue<EnginePacket>? _queue;
    private int _queuedMessages;
    private long _queuedBytes;
    private bool _wakePending;
    private bool _drainWanted;
    private Action<EngineSessionStage.Command>? _command;
    private List<EngineSessionStage.Command>? _early = [];
    private int _remainingStages = 2;
    private volatile bool _open = true;
    private volatile bool _paused;
    private volatile bool _writing;

    public StreamSession(EngineIoServer server, WebSocket socket, string id, int protocol, EngineHandshake handshake)
    {
        _server = server;
        _socket = socket;
        Id = id;
        Protocol = protocol;
        Handshake = handshake;
        _queue = new Queue<EnginePacket>();
        _queue.Enqueue(new EngineOpenPacket(
            id,
            [],
            (long)Settings.PingInterval.TotalMilliseconds,
            (long)Settings.PingTimeout.TotalMilliseconds,
            protocol == 3 ? null : Settings.MaxHttpBufferSize).ToPacket());
    }

    public string Id { get; }

    public int Protocol { get; }

    public string Transport => EngineSession.WebSocketName;

    public EngineHandshake Handshake { get; }

    public bool IsOpen => _open;

    public bool IsWritable => _open && Volatile.Read(ref _queuedMessages) == 0 && !_writing;

    public bool IsReceivingPaused => _paused;

    public int QueuedMessages => Volatile.Read(ref _queuedMessages);

    public long QueuedBytes => Interlocked.Read(ref _queuedBytes);

    internal EngineSettings Settings => _server.Settings;

    internal WebSocket Socket => _socket;

    /// <summary>The receiver of this session's inbound messages, set before the graph starts.</summary>
    internal IEngineSessionHandler Handler { get; private set; } = null!;

    internal ILogger Logger => _server.Logger;

    internal EngineMetrics Metrics => _server.Metrics;

    /// <summary>Set by the transport stage while a frame is being sent (read by <see cref="IsWritable"/>).</summary>
    internal bool Writing
    {
        get => _writing;
        set => _writing = value;
    }

    internal WebSocketCloseStatus CloseStatus { get; private set; } = WebSocketCloseStatus.NormalClosure;

    /// <summary>The close handshake's send, once the transport started it (awaited before the request ends).</summary>
    internal Task? ClosingOutput { get; set; }

    /// <summary>Completes when both stages of the graph have stopped.</summary>
    internal Task Completion => _finished.Task;

    /// <summary>
    /// The session graph, built and fused once for every session: its stages are blueprints without state, and each
    /// materialization finds its session in a <see cref="SessionAttribute"/>. A graph built per session would keep its
    /// own stage objects and their modules alive for the session's life (the interpreter holds its assembly).
    /// </summary>
    internal static readonly Fusing.FusedGraph<ClosedShape, NotUsed> Blueprint =
        Fusing.Aggressive(Flow.FromGraph(new WebSocketTransportStage()).Join(Flow.FromGraph(new EngineSessionStage())));

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

    /// <summary>Closes with <c>server shutting down</c>, flushing what is queued, with close status 1001.</summary>
    internal void Shutdown() => Close(EngineCloseReasons.ServerShuttingDown, WebSocketCloseStatus.EndpointUnavailable);

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
            _server.Remove(this);
            return false;
        }

        Handler = sessionHandler;
        hosts.Run(new Attributes(new SessionAttribute(this)));
        return true;
    }

    /// <summary>The session stage started: commands posted before are handed over in order; what was sent is already queued.</summary>
    internal void Started(Action<EngineSessionStage.Command> command)
    {
        List<EngineSessionStage.Command>? early;
        lock (this)
        {
            early = _early;
            _early = null;
            _command = command;
        }

        foreach (var item in early ?? [])
        {
            command(item);
        }
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

            var packets = queue.ToArray();
            // An idle session keeps no queue: the next burst starts a new one.
            _queue = null;
            _queuedMessages = 0;
            _queuedBytes = 0;
            return packets;
        }
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
            _queue = null;
            _queuedMessages = 0;
            _queuedBytes = 0;
        }
    }

    /// <summary>The session stage closed the session (once): no more is sent; the close is logged and counted.</summary>
    internal void Closed(string reason, string? description, WebSocketCloseStatus status)
    {
        _open = false;
        _paused = false;
        CloseStatus = status;
        _server.Remove(this);
        Metrics.SessionsOpen.Add(-1);
        Metrics.Closes.Add(1, new KeyValuePair<string, object?>("reason", reason));
        EngineLog.SessionClosed(Logger, Id, reason, description);
    }

    /// <summary>One of the graph's two stages stopped.</summary>
    internal void Finished()
    {
        if (Interlocked.Decrement(ref _remainingStages) == 0)
        {
            _finished.TrySetResult();
        }
    }

    internal void AbortTransport() => _socket.Abort();

    internal static bool IsTransportException(Exception exception) =>
        exception is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException
            or Microsoft.AspNetCore.Connections.ConnectionResetException;

    /// <summary>A read that failed: the reference's ws "close" event, logged unless it is the usual vanished client.</summary>
    internal static TransportEnd ConnectionLost(Exception exception, StreamSession session)
    {
        if (exception is not (OperationCanceledException or WebSocketException { WebSocketErrorCode: WebSocketError.ConnectionClosedPrematurely }))
        {
            EngineLog.TransportFailed(session.Logger, exception, session.Id);
        }

        return new TransportEnd(EngineCloseReasons.TransportClose, "websocket connection lost", WebSocketCloseStatus.NormalClosure);
    }

    private void Close(string reason, WebSocketCloseStatus status)
    {
        if (!_open)
        {
            return;
        }

        _open = false;
        Post(new EngineSessionStage.Command.Close(reason, status));
    }

    /// <summary>
    /// Queues one packet (or a batch, all or nothing) if it fits the bounds; a batch larger than the byte bound still
    /// fits an empty queue, or it could never be sent at all. Wakes the stage when it is idle.
    /// </summary>
    private bool Enqueue(in EnginePacket packet, EnginePacket[]? packets, int count, long bytes)
    {
        Action<EngineSessionStage.Command>? wake = null;
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

            if (_command is not null && !_wakePending)
            {
                _wakePending = true;
                wake = _command;
            }
        }

        wake?.Invoke(EngineSessionStage.Command.Wake.Instance);
        return true;
    }

    private void Post(EngineSessionStage.Command command)
    {
        Action<EngineSessionStage.Command> target;
        lock (this)
        {
            if (_early is { } early)
            {
                early.Add(command);
                return;
            }

            target = _command!;
        }

        target(command);
    }
}

/// <summary>How a materialization of <see cref="StreamSession.Blueprint"/> finds its session: every stage's logic reads it from its attributes.</summary>
internal sealed class SessionAttribute(StreamSession session) : Attributes.IAttribute
{
    public StreamSession Session { get; } = session;

    public static StreamSession Of(Attributes attributes) =>
        attributes.GetAttribute<SessionAttribute>()?.Session ?? throw new InvalidOperationException("A session graph was materialized without its session.");
}
