using System.Buffers;
using System.Net.WebSockets;
using Akka.Actor;
using SocketIo.Transport.EngineIo.Protocol;

namespace SocketIo.Transport.EngineIo.Internal.Streams;

/// <summary>
/// Long-polling in the transport stage, and the switch to WebSocket. The stage pulls a batch from the session only
/// while a GET is held, and hands it to that GET (a batch that finds the GET gone waits for the next); between GETs
/// the packets wait in the session's bounded queue. A POST's payload is decoded here (the payload codecs) and pushed
/// as one frame when the session asks, and the POST is answered <c>ok</c> when the session asks again. During an
/// upgrade, once the probe was answered,
/// GETs are released with a noop; on <c>5</c> the probe's WebSocket becomes the stage's source and sink, and what the
/// session had queued meanwhile is its first write.
/// </summary>
internal sealed partial class EngineTransportStage
{
    /// <summary>What the session object tells the transport stage, through the stage's async callback.</summary>
    internal abstract record PollingCommand
    {
        /// <summary>A GET is held (<see cref="EngineSession.TryReleasePoll"/> answers it).</summary>
        public sealed record Poll : PollingCommand
        {
            public static readonly Poll Instance = new();
        }

        /// <summary>A POST's body (<see cref="IsBinary"/>: a v3 XHR2 payload); <see cref="Ok"/> completes when it may be answered.</summary>
        public sealed record Posted(byte[] Body, bool IsBinary, TaskCompletionSource Ok) : PollingCommand;

        /// <summary>The upgrade probe was answered: GETs get a noop until the upgrade ends.</summary>
        public sealed record Probed : PollingCommand
        {
            public static readonly Probed Instance = new();
        }

        /// <summary>The probe was abandoned: polling goes on.</summary>
        public sealed record ProbeEnded : PollingCommand
        {
            public static readonly ProbeEnded Instance = new();
        }

        /// <summary>The client sent <c>5</c>: <see cref="Socket"/> is the transport from now on.</summary>
        public sealed record Upgraded(WebSocket Socket) : PollingCommand;

        /// <summary>A graceful close's close packet was not fetched within CloseTimeout.</summary>
        public sealed record CloseTimedOut : PollingCommand
        {
            public static readonly CloseTimedOut Instance = new();
        }
    }

    private sealed partial class Logic
    {
        private static readonly EnginePacket[] Noop = [EnginePacket.Control(EnginePacketType.Noop)];

        private EnginePacket[]? _pending;
        private InboundFrame? _postFrame;
        private TaskCompletionSource? _postOk;
        private bool _probed;
        private bool _sessionDone;
        private ICancelable? _closeTimer;

        private void OnPollingCommand(PollingCommand command)
        {
            switch (command)
            {
                case PollingCommand.Poll:
                    OnPoll();
                    break;
                case PollingCommand.Posted posted:
                    OnPosted(Decode(posted.Body, posted.IsBinary), posted.Ok);
                    break;
                case PollingCommand.Probed:
                    _probed = true;
                    _session.TryReleasePoll(Noop, false);
                    break;
                case PollingCommand.ProbeEnded:
                    _probed = false;
                    break;
                case PollingCommand.Upgraded upgraded:
                    OnUpgraded(upgraded.Socket);
                    break;
                case PollingCommand.CloseTimedOut:
                    _session.Unregister();
                    CompleteStage();
                    break;
            }
        }

        private void OnPoll()
        {
            if (_pending is { } pending && _socket is null)
            {
                _pending = null;
                Release(pending);
                return;
            }

            if (_socket is not null || (_probed && !_session.HasQueued))
            {
                // While the probe waits for the poll to end (and after the switch), a GET with nothing to take gets a noop.
                _session.TryReleasePoll(Noop, false);
                return;
            }

            if (_sessionDone)
            {
                _session.TryReleasePoll(Noop, false);
                return;
            }

            if (!HasBeenPulled(_in) && !IsClosed(_in))
            {
                Pull(_in);
            }
        }

        /// <summary>A batch from the session while polling: to the held GET, or kept for the next.</summary>
        private void PollingPush(EnginePacket[] batch) => Release(batch);

        private void Release(EnginePacket[] batch)
        {
            var closes = batch is [{ Type: EnginePacketType.Close }];
            if (!_session.TryReleasePoll(batch, closes))
            {
                _pending = batch;
                return;
            }

            if (closes)
            {
                // The graceful close's packet is on its way: the session is gone once that GET is answered.
                _pending = null;
                _closeTimer?.Cancel();
                if (_sessionDone)
                {
                    CompleteStage();
                }

                return;
            }

            // Handed over: the session stage may owe its handler a drain.
            _session.Wake();
        }

        /// <summary>A POST's payload, decoded with the payload codec of the session's protocol up to its first error.</summary>
        private InboundFrame Decode(byte[] body, bool isBinary)
        {
            var packets = new List<EnginePacket>();
            var payload = new ReadOnlySequence<byte>(body);
            var ok = _session.Protocol == 3
                ? PayloadCodecV3.TryParseAll(payload, isBinary, packets, out var error)
                : PayloadCodecV4.TryParseAll(payload, packets, out error);
            return InboundFrame.Posted([.. packets], ok ? EngineParseError.None : error);
        }

        private void OnPosted(InboundFrame frame, TaskCompletionSource ok)
        {
            if (_sessionDone || IsClosed(_out))
            {
                // As the reference: a POST to a closing session is still answered ok.
                ok.TrySetResult();
                return;
            }

            _postOk = ok;
            if (IsAvailable(_out))
            {
                Push(_out, frame);
            }
            else
            {
                _postFrame = frame;
            }
        }

        /// <summary>The session asks for input: a POST's packets waiting, then that POST's ok, then (after an upgrade) the WebSocket.</summary>
        private void PollingPull()
        {
            if (_postFrame is { } frame)
            {
                _postFrame = null;
                Push(_out, frame);
                return;
            }

            if (_postOk is { } ok)
            {
                _postOk = null;
                ok.TrySetResult();
            }

            if (_socket is not null)
            {
                ReadNext();
            }
        }

        private void OnUpgraded(WebSocket socket)
        {
            _probed = false;
            _socket = socket;
            _session.TryReleasePoll(Noop, false);
            if (_sessionDone)
            {
                // Closed while the probe finished: the WebSocket only gets its close frame.
                _closeRequested = true;
                CloseOutput();
                return;
            }

            if (_pending is { } pending)
            {
                // What the session queued while the client polled goes first, in order.
                _pending = null;
                _batch = pending;
                _next = 0;
                WriteNext();
            }
            else if (!HasBeenPulled(_in) && !IsClosed(_in))
            {
                Pull(_in);
            }

            if (IsAvailable(_out) && _postFrame is null && _postOk is null)
            {
                ReadNext();
            }
        }

        /// <summary>The session completed its outlet while polling: what it wrote last decides whether the stage waits for a GET.</summary>
        private void PollingUpstreamFinished()
        {
            _sessionDone = true;
            _postFrame = null;
            _postOk?.TrySetResult();
            _postOk = null;
            if (!IsClosed(_out))
            {
                Complete(_out);
            }

            if (_pending is [{ Type: EnginePacketType.Close }])
            {
                // A graceful close whose packet no GET has fetched yet: wait for one, at most CloseTimeout.
                SetKeepGoing(true);
                _closeTimer = Materializer.ScheduleOnce(_session.Settings.CloseTimeout, () => _completed!(PollingCommand.CloseTimedOut.Instance));
                return;
            }

            _pending = null;
            CompleteStage();
        }
    }
}
