using System.Net.WebSockets;
using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Stage;
using SocketIo.Transport.EngineIo.Protocol;

namespace SocketIo.Transport.EngineIo.Internal.Streams;

/// <summary>
/// The Engine.IO session as a flow: decoded frames in (from the transport), batches of packets out (to the transport). It hands
/// message packets to the session's <see cref="IEngineSessionHandler"/> (in order, never concurrently, then
/// <c>OnClose</c> once), owns the bounded outbound queue (fed by <see cref="StreamSession"/> through the stage's async
/// callback), the heartbeat and the close sequence.
/// <para>
/// Flow control is demand: the stage pulls the next frame only after the handler took the last one and while the
/// layer above has not paused receiving (<see cref="IEngineSession.PauseReceiving"/>), so a paused session leaves
/// the client's next message unread and TCP slows the client.
/// </para>
/// <para>
/// Heartbeat, one timer at a time: v4 pings every PingInterval and closes with <c>ping timeout</c> when neither the
/// pong nor any other packet came within PingTimeout; v3 answers the client's pings and closes after PingInterval +
/// PingTimeout of silence. While receiving is paused the answer may be unread behind the pause, so a deadline that
/// passes does not close the session (v4 keeps pinging); silence counts again from the resume.
/// </para>
/// </summary>
internal sealed class EngineSessionStage : GraphStage<FlowShape<InboundFrame, EnginePacket[]>>
{
    public EngineSessionStage() =>
        Shape = new FlowShape<InboundFrame, EnginePacket[]>(new Inlet<InboundFrame>("engineio.session.in"), new Outlet<EnginePacket[]>("engineio.session.out"));

    public override FlowShape<InboundFrame, EnginePacket[]> Shape { get; }

    protected override GraphStageLogic CreateLogic(Attributes inheritedAttributes) => new Logic(Shape, SessionAttribute.Of(inheritedAttributes));

    /// <summary>What reaches the stage from outside the graph, through its one async callback.</summary>
    internal abstract record Command
    {
        /// <summary>Packets were queued while the stage was idle: flush.</summary>
        public sealed record Wake : Command
        {
            public static readonly Wake Instance = new();
        }

        public sealed record Close(string Reason, WebSocketCloseStatus Status) : Command;

        /// <summary>Receiving resumed after <see cref="IEngineSession.PauseReceiving"/>.</summary>
        public sealed record Resume : Command
        {
            public static readonly Resume Instance = new();
        }

        /// <summary>The stage's timer fired (it may be stale: the stage checks its deadline).</summary>
        public sealed record Tick : Command
        {
            public static readonly Tick Instance = new();
        }
    }

    private sealed class Logic : GraphStageLogic, IInHandler, IOutHandler
    {
        private readonly Inlet<InboundFrame> _in;
        private readonly Outlet<EnginePacket[]> _out;
        private readonly StreamSession _session;
        private readonly IEngineSessionHandler _handler;
        private Action<Command>? _command;
        private Action? _tick;
        private ICancelable? _timer;
        private TimerPhase _phase;
        private long _deadline;
        private long _lastInbound;
        private bool _closing;
        private bool _pongQueued;

        // The (int, int) constructor: the Shape one gives every logic a log source named after its shape, a string per session.
        public Logic(FlowShape<InboundFrame, EnginePacket[]> shape, StreamSession session) : base(1, 1)
        {
            _in = shape.Inlet;
            _out = shape.Outlet;
            _session = session;
            _handler = session.Handler;
            SetHandler(_in, this);
            SetHandler(_out, this);
        }

        private enum TimerPhase
        {
            None,

            /// <summary>v4: the next ping is due at the deadline.</summary>
            PingDue,

            /// <summary>v4: a ping was sent; the pong is due at the deadline.</summary>
            AwaitingPong,

            /// <summary>v3: the client's next ping is due at the deadline.</summary>
            AwaitingClientPing,

            /// <summary>Closing: the client has until the deadline to end the close handshake, then the socket is aborted.</summary>
            CloseGrace,
        }

        private TimeSpan V3Timeout => _session.Settings.PingInterval + _session.Settings.PingTimeout;

        public override void PreStart()
        {
            _lastInbound = Environment.TickCount64;
            _command = GetAsyncCallback<Command>(OnCommand);
            _tick = () => _command(Command.Tick.Instance);
            if (_session.Protocol == 3)
            {
                Arm(TimerPhase.AwaitingClientPing, V3Timeout);
            }
            else
            {
                Arm(TimerPhase.PingDue, _session.Settings.PingInterval);
            }

            _session.Started(_command);
            PullUnlessPaused();
            Flush();
        }

        public override void PostStop()
        {
            _timer?.Cancel();
            if (!_closing)
            {
                // The graph stopped under us (its materializer shut down): the session still closes exactly once.
                Close(EngineCloseReasons.TransportError, "stream stopped", WebSocketCloseStatus.EndpointUnavailable, flush: false);
            }

            _session.Finished();
        }

        public void OnPush() => OnFrame(Grab(_in));

        public void OnUpstreamFinish()
        {
            if (!_closing)
            {
                Close(EngineCloseReasons.TransportClose, "websocket connection lost", WebSocketCloseStatus.NormalClosure, flush: false);
            }

            CompleteIfDone();
        }

        public void OnUpstreamFailure(Exception e) => OnUpstreamFinish();

        public void OnPull() => Flush();

        public void OnDownstreamFinish(Exception cause)
        {
            // The transport can write no more (a write error).
            if (!_closing)
            {
                Close(EngineCloseReasons.TransportError, "write error", WebSocketCloseStatus.NormalClosure, flush: false);
            }

            CompleteIfDone();
        }

        private void OnCommand(Command command)
        {
            switch (command)
            {
                case Command.Wake:
                    _session.WakeHandled();
                    Flush();
                    break;
                case Command.Close close:
                    Close(close.Reason, null, close.Status, flush: true);
                    break;
                case Command.Resume:
                    if (!_closing)
                    {
                        // The server was not listening: silence counts from now, and a pending pong or client ping
                        // gets a full timeout from now, however long the pause lasted.
                        _lastInbound = Environment.TickCount64;
                        if (_phase == TimerPhase.AwaitingPong)
                        {
                            Arm(TimerPhase.AwaitingPong, _session.Settings.PingTimeout);
                        }
                        else if (_phase == TimerPhase.AwaitingClientPing)
                        {
                            Arm(TimerPhase.AwaitingClientPing, V3Timeout);
                        }
                    }

                    PullUnlessPaused();
                    break;
                case Command.Tick:
                    OnTick();
                    break;
            }
        }

        private void Enqueue(in EnginePacket packet)
        {
            if (!_closing)
            {
                _session.EnqueueControl(packet);
            }
        }

        private void PullUnlessPaused()
        {
            if (!_session.IsReceivingPaused && !HasBeenPulled(_in) && !IsClosed(_in))
            {
                Pull(_in);
            }
        }

        private void OnFrame(in InboundFrame frame)
        {
            if (frame.End is { } end)
            {
                // Ended by the transport: a server-side reason (oversized message) still flushes what is queued.
                Close(end.Reason, end.Description, end.Status, flush: end.Reason != EngineCloseReasons.TransportClose);
                return;
            }

            if (_closing)
            {
                // As the reference: packets are ignored once the session is closing; read on until the transport ends.
                Pull(_in);
                return;
            }

            if (frame.Error != EngineParseError.None)
            {
                ParseFailed(frame.Error);
                return;
            }

            _lastInbound = Environment.TickCount64;
            _session.Metrics.PacketsIn.Add(1);
            var packet = frame.Packet;
            switch (packet.Type)
            {
                case EnginePacketType.Message:
                    try
                    {
                        _handler.OnMessage(new EngineMessage(packet.Data, packet.IsBinary));
                    }
                    catch (Exception exception)
                    {
                        EngineLog.HandlerFailed(_session.Logger, exception, _session.Id);
                        Close(EngineCloseReasons.TransportError, "handler failed", WebSocketCloseStatus.NormalClosure, flush: true);
                        return;
                    }

                    break;
                case EnginePacketType.Ping when _session.Protocol == 3:
                    Arm(TimerPhase.AwaitingClientPing, V3Timeout);
                    // A pong still queued answers this ping too: a client flooding pings and never reading must not grow the queue.
                    if (!_pongQueued)
                    {
                        _pongQueued = true;
                        Enqueue(EnginePacket.Control(EnginePacketType.Pong));
                        Flush();
                    }

                    break;
                case EnginePacketType.Pong when _session.Protocol != 3:
                    Arm(TimerPhase.PingDue, _session.Settings.PingInterval);
                    break;
                case EnginePacketType.Ping:
                case EnginePacketType.Pong:
                    Close(EngineCloseReasons.TransportError, "invalid heartbeat direction", WebSocketCloseStatus.NormalClosure, flush: true);
                    return;
                case EnginePacketType.Close:
                    Close(EngineCloseReasons.TransportClose, null, WebSocketCloseStatus.NormalClosure, flush: false);
                    return;
                case EnginePacketType.Open:
                    // Only the server opens a session.
                    ParseFailed(EngineParseError.UnknownPacketType);
                    return;
            }

            // The handler may have closed the session or paused receiving from its OnMessage.
            if (!_closing)
            {
                PullUnlessPaused();
            }
        }

        private void ParseFailed(EngineParseError error)
        {
            var description = EngineParseErrors.Describe(error);
            EngineLog.ParseError(_session.Logger, _session.Id, description);
            Close(EngineCloseReasons.ParseError, description, WebSocketCloseStatus.NormalClosure, flush: true);
        }

        /// <summary>(Re)arms the one timer: <paramref name="phase"/> is what its deadline means.</summary>
        private void Arm(TimerPhase phase, TimeSpan due)
        {
            _phase = phase;
            _deadline = Environment.TickCount64 + (long)due.TotalMilliseconds;
            _timer?.Cancel();
            _timer = Materializer.ScheduleOnce(due < TimeSpan.Zero ? TimeSpan.Zero : due, _tick!);
        }

        private void OnTick()
        {
            var now = Environment.TickCount64;
            if (now < _deadline)
            {
                // A tick of an earlier arming.
                return;
            }

            switch (_phase)
            {
                case TimerPhase.PingDue:
                    Enqueue(EnginePacket.Control(EnginePacketType.Ping));
                    Flush();
                    Arm(TimerPhase.AwaitingPong, _session.Settings.PingTimeout);
                    break;
                case TimerPhase.AwaitingPong:
                    CheckSilence(_session.Settings.PingTimeout, now);
                    break;
                case TimerPhase.AwaitingClientPing:
                    CheckSilence(V3Timeout, now);
                    break;
                case TimerPhase.CloseGrace:
                    // The client did not end the close handshake in time: abort, which ends the pending read.
                    _phase = TimerPhase.None;
                    _session.AbortTransport();
                    break;
            }
        }

        private void CheckSilence(TimeSpan timeout, long now)
        {
            var silence = TimeSpan.FromMilliseconds(now - _lastInbound);
            if (silence < timeout)
            {
                Arm(_phase, timeout - silence);
                return;
            }

            if (_session.IsReceivingPaused)
            {
                // The server is not reading, not the client silent. v4: the next ping goes out about PingInterval
                // after the unanswered one, so the client keeps hearing from the server.
                if (_phase == TimerPhase.AwaitingPong)
                {
                    var interval = _session.Settings.PingInterval;
                    Arm(TimerPhase.PingDue, interval > timeout ? interval - timeout : TimeSpan.Zero);
                }
                else
                {
                    Arm(_phase, timeout);
                }

                return;
            }

            Close(EngineCloseReasons.PingTimeout, null, WebSocketCloseStatus.NormalClosure, flush: true);
        }

        /// <summary>Hands what is queued to the transport when it has demand; completes the outlet once a closing session's queue is empty.</summary>
        private void Flush()
        {
            if (!IsAvailable(_out))
            {
                return;
            }

            if (_session.TakeAll() is { } packets)
            {
                // Pushed as one batch: the transport writes them in order, one frame each, and asks for more after.
                _pongQueued = false;
                Push(_out, packets);
                return;
            }

            if (!_closing && _session.TakeDrain())
            {
                // Everything queued has been written and the transport asks for more: the senders may go on.
                try
                {
                    _handler.OnDrain();
                }
                catch (Exception exception)
                {
                    EngineLog.HandlerFailed(_session.Logger, exception, _session.Id);
                }
            }

            if (_closing && !IsClosed(_out))
            {
                Complete(_out);
                if (!IsClosed(_in))
                {
                    Arm(TimerPhase.CloseGrace, _session.Settings.WebSocketCloseGrace);
                }

                CompleteIfDone();
            }
        }

        /// <summary>
        /// Closes the session once: the handler hears <c>OnClose</c>, what is queued is flushed when
        /// <paramref name="flush"/> (a server close) and then the outlet completes (the transport's close handshake),
        /// and input is read on and ignored until the transport ends.
        /// </summary>
        private void Close(string reason, string? description, WebSocketCloseStatus status, bool flush)
        {
            if (_closing)
            {
                return;
            }

            _closing = true;
            _timer?.Cancel();
            _phase = TimerPhase.None;
            _session.Closed(reason, description, status);
            if (!flush)
            {
                _session.ClearQueue();
            }

            try
            {
                _handler.OnClose(reason, description);
            }
            catch (Exception exception)
            {
                EngineLog.HandlerFailed(_session.Logger, exception, _session.Id);
            }

            if (!IsClosed(_in) && !HasBeenPulled(_in))
            {
                Pull(_in);
            }

            Flush();
        }

        private void CompleteIfDone()
        {
            if (IsClosed(_in) && IsClosed(_out))
            {
                CompleteStage();
            }
        }
    }
}
