using System.Net.WebSockets;
using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Stage;
using SocketIo.Transport.EngineIo.Protocol;

namespace SocketIo.Transport.EngineIo.Internal.Streams;

/// <summary>
/// The Engine.IO session as a flow: decoded frames in (from the transport), batches of packets out (to the transport). It hands
/// message packets to the session's <see cref="IEngineSessionHandler"/> (in order, never concurrently, then
/// <c>OnClose</c> once), owns the bounded outbound queue (fed by <see cref="EngineSession"/> through the stage's async
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

        /// <summary>Close the session (see <see cref="CloseFlavor"/>); the session object may have done its part already.</summary>
        public sealed record Close(string Reason, string? Description, WebSocketCloseStatus Status, CloseFlavor Flavor) : Command;

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
        private readonly EngineSession _session;
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
        public Logic(FlowShape<InboundFrame, EnginePacket[]> shape, EngineSession session) : base(1, 1)
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
            // The heartbeat counts from the handshake (when the open packet was queued), not from when the graph started.
            var opened = _session.OpenedAt;
            _lastInbound = opened;
            _command = GetAsyncCallback<Command>(OnCommand);
            _tick = () => _command(Command.Tick.Instance);
            if (_session.Protocol == 3)
            {
                ArmAt(TimerPhase.AwaitingClientPing, opened + (long)V3Timeout.TotalMilliseconds);
            }
            else
            {
                ArmAt(TimerPhase.PingDue, opened + (long)_session.Settings.PingInterval.TotalMilliseconds);
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
                Close(EngineCloseReasons.TransportError, "stream stopped", WebSocketCloseStatus.EndpointUnavailable, CloseFlavor.Client);
            }

            _session.Finished();
        }

        public void OnPush() => OnFrame(Grab(_in));

        public void OnUpstreamFinish()
        {
            if (!_closing)
            {
                Close(EngineCloseReasons.TransportClose, "websocket connection lost", WebSocketCloseStatus.NormalClosure, CloseFlavor.Client);
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
                Close(EngineCloseReasons.TransportError, "write error", WebSocketCloseStatus.NormalClosure, CloseFlavor.Client);
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
                    Close(close.Reason, close.Description, close.Status, close.Flavor);
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
                Close(end.Reason, end.Description, end.Status, end.Reason == EngineCloseReasons.TransportClose ? CloseFlavor.Client : CloseFlavor.Immediate);
                return;
            }

            if (_closing)
            {
                // As the reference: packets are ignored once the session is closing; read on until the transport ends.
                Pull(_in);
                return;
            }

            if (frame.Payload is { } payload)
            {
                if (frame.Error != EngineParseError.None)
                {
                    // As the reference, a payload that breaks off closes the session as it is decoded: the packets
                    // before the error still reach the handler, but whatever it sends in answer is refused.
                    _session.CloseNow(EngineCloseReasons.ParseError, EngineParseErrors.Describe(frame.Error), WebSocketCloseStatus.NormalClosure, CloseFlavor.Immediate);
                }

                // A POST's packets are delivered together (the reference's payload), however the handler paces
                // itself: a pause holds back the next POST (its "ok"), not the rest of this one.
                foreach (var item in payload)
                {
                    if (!Handle(item) || _closing)
                    {
                        return;
                    }
                }
            }
            else if (frame.Error == EngineParseError.None && !Handle(frame.Packet))
            {
                return;
            }

            if (frame.Error != EngineParseError.None)
            {
                ParseFailed(frame.Error);
                return;
            }

            // The handler may have closed the session or paused receiving from its OnMessage.
            if (!_closing)
            {
                PullUnlessPaused();
            }
        }

        /// <summary>One packet from the client; false when it closed the session.</summary>
        private bool Handle(in EnginePacket packet)
        {
            _lastInbound = Environment.TickCount64;
            _session.Inbound(_lastInbound);
            _session.Metrics.PacketsIn.Add(1);
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
                        Close(EngineCloseReasons.TransportError, "handler failed", WebSocketCloseStatus.NormalClosure, CloseFlavor.Immediate);
                        return false;
                    }

                    return true;
                case EnginePacketType.Ping when _session.Protocol == 3:
                    Arm(TimerPhase.AwaitingClientPing, V3Timeout);
                    // A pong still queued answers this ping too: a client flooding pings and never reading must not grow the queue.
                    if (!_pongQueued)
                    {
                        _pongQueued = true;
                        Enqueue(EnginePacket.Control(EnginePacketType.Pong));
                        Flush();
                    }

                    return true;
                case EnginePacketType.Pong when _session.Protocol != 3:
                    Arm(TimerPhase.PingDue, _session.Settings.PingInterval);
                    return true;
                case EnginePacketType.Ping:
                case EnginePacketType.Pong:
                    Close(EngineCloseReasons.TransportError, "invalid heartbeat direction", WebSocketCloseStatus.NormalClosure, CloseFlavor.Immediate);
                    return false;
                case EnginePacketType.Close:
                    Close(EngineCloseReasons.TransportClose, null, WebSocketCloseStatus.NormalClosure, CloseFlavor.Client);
                    return false;
                case EnginePacketType.Open:
                    // Only the server opens a session.
                    ParseFailed(EngineParseError.UnknownPacketType);
                    return false;
                default:
                    // upgrade and noop on the established transport carry nothing (ignored by the reference too).
                    return true;
            }
        }

        private void ParseFailed(EngineParseError error)
        {
            var description = EngineParseErrors.Describe(error);
            EngineLog.ParseError(_session.Logger, _session.Id, description);
            Close(EngineCloseReasons.ParseError, description, WebSocketCloseStatus.NormalClosure, CloseFlavor.Immediate);
        }

        /// <summary>(Re)arms the one timer <paramref name="due"/> from now: <paramref name="phase"/> is what its deadline means.</summary>
        private void Arm(TimerPhase phase, TimeSpan due) => ArmAt(phase, Environment.TickCount64 + (long)due.TotalMilliseconds);

        /// <summary>
        /// (Re)arms the one timer for <paramref name="deadline"/> (<see cref="Environment.TickCount64"/>). The session
        /// object learns when the session would time out if the client stayed silent, so that a request arriving after
        /// that finds the session closed whether or not the timer has fired yet.
        /// </summary>
        private void ArmAt(TimerPhase phase, long deadline)
        {
            _phase = phase;
            _deadline = deadline;
            _timer?.Cancel();
            var due = deadline - Environment.TickCount64;
            _timer = Materializer.ScheduleOnce(TimeSpan.FromMilliseconds(Math.Max(due, 0)), _tick!);
            var pingTimeout = (long)_session.Settings.PingTimeout.TotalMilliseconds;
            switch (phase)
            {
                case TimerPhase.PingDue:
                    _session.HeartbeatArmed(deadline + pingTimeout, pingTimeout);
                    break;
                case TimerPhase.AwaitingPong:
                    _session.HeartbeatArmed(deadline, pingTimeout);
                    break;
                case TimerPhase.AwaitingClientPing:
                    _session.HeartbeatArmed(deadline, (long)V3Timeout.TotalMilliseconds);
                    break;
                default:
                    _session.HeartbeatArmed(long.MaxValue, 0);
                    break;
            }
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
                    // From when the ping was due, not from this (possibly late) tick: lateness must not add up.
                    ArmAt(TimerPhase.AwaitingPong, _deadline + (long)_session.Settings.PingTimeout.TotalMilliseconds);
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

            Close(EngineCloseReasons.PingTimeout, null, WebSocketCloseStatus.NormalClosure, CloseFlavor.Immediate);
        }

        /// <summary>
        /// Hands what is queued to the transport as one batch when it has demand (a graceful close's close packet in a
        /// batch of its own), and completes the outlet once a closing session has nothing more to write.
        /// </summary>
        private void Flush()
        {
            if (IsClosed(_out))
            {
                return;
            }

            if (!IsAvailable(_out))
            {
                // Over polling a batch is handed over when a GET takes it (the transport pulls again only for the next
                // GET); over WebSocket the transport is still writing.
                if (!_session.IsWebSocket && !_closing)
                {
                    NotifyDrainIfDue();
                }

                return;
            }

            if (_session.TakeAll() is { } packets)
            {
                // The transport writes them in order (one frame each, or one payload) and asks for more after.
                _pongQueued = false;
                Push(_out, packets);
                if (_closing && packets[^1].Type == EnginePacketType.Close)
                {
                    CompleteOutlet();
                }

                return;
            }

            if (_closing)
            {
                CompleteOutlet();
                return;
            }

            NotifyDrainIfDue();
        }

        private void NotifyDrainIfDue()
        {
            if (_session.TakeDrain())
            {
                // Everything queued has been handed to the transport: the senders may go on.
                try
                {
                    _handler.OnDrain();
                }
                catch (Exception exception)
                {
                    EngineLog.HandlerFailed(_session.Logger, exception, _session.Id);
                }
            }
        }

        private void CompleteOutlet()
        {
            Complete(_out);
            if (!IsClosed(_in))
            {
                Arm(TimerPhase.CloseGrace, _session.Settings.WebSocketCloseGrace);
            }

            CompleteIfDone();
        }

        /// <summary>
        /// Closes the session once: the session object does its part at once (<see cref="EngineSession.CloseNow"/>: no
        /// more sends, a held GET answered, unregistered), the handler hears <c>OnClose</c>, a server close flushes
        /// what is queued (a graceful one then sends the close packet alone) and the outlet completes (the WebSocket's
        /// close handshake); input is read on and ignored until the transport ends.
        /// </summary>
        private void Close(string reason, string? description, WebSocketCloseStatus status, CloseFlavor flavor)
        {
            if (_closing)
            {
                return;
            }

            _closing = true;
            _timer?.Cancel();
            _phase = TimerPhase.None;
            _session.CloseNow(reason, description, status, flavor);
            if (flavor == CloseFlavor.Client)
            {
                _session.ClearQueue();
            }
            else if (flavor == CloseFlavor.Graceful)
            {
                _session.EnqueueControl(EnginePacket.Control(EnginePacketType.Close));
            }
            else if (!_session.IsWebSocket)
            {
                // An immediate close over polling: CloseNow gave a held GET what was queued; without one it is dropped.
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
