using System.Buffers;
using System.Net.WebSockets;
using Akka.Streams;
using Akka.Streams.Stage;
using SocketIo.Transport.EngineIo.Protocol;

namespace SocketIo.Transport.EngineIo.Internal.Streams;

/// <summary>
/// The session's transport as a flow: batches of packets in (to the client), decoded frames out (from the client).
/// Joined with the <see cref="EngineSessionStage"/> it closes the session's loop. It starts as long-polling
/// (<c>EngineTransportStage.Polling.cs</c>) or WebSocket, and a polling session's upgrade switches it to the probe's
/// WebSocket in place: the graph's source and sink change, the packets in between stay in order.
/// <para>WebSocket:</para>
/// <list type="bullet">
/// <item>Reading: one message per pull, so a session that stops pulling stops the reads and TCP slows the client.
/// The message is decoded by <see cref="EnginePacketCodec"/>. A message over MaxHttpBufferSize ends the transport
/// with <c>transport error</c> (status 1009); a close frame, a vanished client or an aborted socket end it with
/// <c>transport close</c>. The end is pushed as a last frame, then the outlet completes. Between messages the stage
/// waits with a zero-byte read and holds no buffer.</item>
/// <item>Writing: one frame per packet (v4 binary as is, the rest encoded into one reused buffer); the next packet is
/// pulled once the send completed, so a client that stops reading stops the writer and the session's bounded queue
/// fills behind it. When the session completes the inlet, the close frame goes out with the session's close status.
/// A write error aborts the socket (the read then ends) and cancels the inlet.</item>
/// </list>
/// Reads and sends that complete at once are handled in the same turn; the others come back through the stage's one
/// async callback, registered on the awaiter (no async state machine per operation).
/// </summary>
internal sealed partial class EngineTransportStage : GraphStage<FlowShape<EnginePacket[], InboundFrame>>
{
    public EngineTransportStage() =>
        Shape = new FlowShape<EnginePacket[], InboundFrame>(new Inlet<EnginePacket[]>("engineio.transport.write"), new Outlet<InboundFrame>("engineio.transport.read"));

    public override FlowShape<EnginePacket[], InboundFrame> Shape { get; }

    protected override GraphStageLogic CreateLogic(Attributes inheritedAttributes) => new Logic(Shape, SessionAttribute.Of(inheritedAttributes));

    private sealed partial class Logic : GraphStageLogic, IInHandler, IOutHandler
    {
        private static readonly object ReadDone = new();
        private static readonly object SendDone = new();

        private readonly Inlet<EnginePacket[]> _in;
        private EnginePacket[]? _batch;
        private int _next;
        private readonly Outlet<InboundFrame> _out;
        private readonly EngineSession _session;
        private WebSocket? _socket;
        private readonly int _limit;
        private readonly Action _onReadCompleted;
        private readonly Action _onSendCompleted;
        private Action<object>? _completed;
        private ValueTask<ValueWebSocketReceiveResult> _read;
        private ValueTask _send;
        private byte[]? _buffer;
        private PooledBufferWriter? _frame;
        private int _count;
        private bool _reading;
        private bool _closeRequested;

        // The (int, int) constructor: the Shape one gives every logic a log source named after its shape, a string per session.
        public Logic(FlowShape<EnginePacket[], InboundFrame> shape, EngineSession session) : base(1, 1)
        {
            _in = shape.Inlet;
            _out = shape.Outlet;
            _session = session;
            _socket = session.Socket;
            _limit = (int)Math.Min(session.Settings.MaxHttpBufferSize, int.MaxValue - 1);
            _onReadCompleted = () => _completed!(ReadDone);
            _onSendCompleted = () => _completed!(SendDone);
            SetHandler(_in, this);
            SetHandler(_out, this);
        }

        public override void PreStart()
        {
            _completed = GetAsyncCallback<object>(OnCompleted);
            _session.TransportStarted(_completed);
            if (_socket is not null)
            {
                Pull(_in);
            }
        }

        public override void PostStop()
        {
            ReturnBuffer();
            _frame?.Dispose();
            _closeTimer?.Cancel();
            _postOk?.TrySetResult();
            _session.Finished();
        }

        public void OnPull()
        {
            if (_socket is null || _postFrame is not null || _postOk is not null)
            {
                // Polling, or a POST that was in flight when the session upgraded.
                PollingPull();
            }
            else
            {
                ReadNext();
            }
        }

        public void OnDownstreamFinish(Exception cause)
        {
            ReturnBuffer();
            CompleteIfDone();
        }

        public void OnPush()
        {
            if (_socket is null)
            {
                _session.HandedOver();
                PollingPush(Grab(_in));
                return;
            }

            // Writing before the hand-over ends, so the session never looks writable in between.
            _session.Writing = true;
            _session.HandedOver();
            _batch = Grab(_in);
            _next = 0;
            WriteNext();
        }

        /// <summary>Writes the batch's packets while sends complete at once; a pending send resumes it from its callback.</summary>
        private void WriteNext()
        {
            while (_batch is { } batch)
            {
                if (_next == batch.Length)
                {
                    _batch = null;
                    _session.Writing = false;
                    if (_closeRequested)
                    {
                        CloseOutput();
                        return;
                    }

                    // Idle: no frame buffer is kept while waiting (it is rented again for the next packet).
                    _frame?.Release();
                    Pull(_in);
                    return;
                }

                var packet = batch[_next++];
                if (!Write(packet))
                {
                    return;
                }
            }
        }

        public void OnUpstreamFinish()
        {
            if (_socket is null)
            {
                PollingUpstreamFinished();
                return;
            }

            _closeRequested = true;
            if (!_session.Writing)
            {
                CloseOutput();
            }
        }

        public void OnUpstreamFailure(Exception e) => OnUpstreamFinish();

        private void OnCompleted(object which)
        {
            if (which is PollingCommand command)
            {
                OnPollingCommand(command);
            }
            else if (ReferenceEquals(which, ReadDone))
            {
                _reading = false;
                if (!StepRead())
                {
                    ReadNext();
                }
            }
            else
            {
                OnSendCompleted();
            }
        }

        /// <summary>Starts reads until one is pending or a frame was pushed.</summary>
        private void ReadNext()
        {
            while (true)
            {
                try
                {
                    if (_count == 0)
                    {
                        // Between messages: wait for the next frame header without a buffer; a read that does not
                        // complete at once means the connection is idle, so the buffer goes back to the pool.
                        _read = _socket!.ReceiveAsync(Memory<byte>.Empty, CancellationToken.None);
                        if (!_read.IsCompleted)
                        {
                            ReturnBuffer();
                        }
                    }
                    else
                    {
                        var start = _count < 0 ? 0 : _count;
                        _read = _socket!.ReceiveAsync(_buffer.AsMemory(start, Math.Min(_buffer!.Length, _limit + 1) - start), CancellationToken.None);
                    }
                }
                catch (Exception exception) when (EngineSession.IsTransportException(exception))
                {
                    EndRead(EngineSession.ConnectionLost(exception, _session));
                    return;
                }

                if (!_read.IsCompleted)
                {
                    _reading = true;
                    _read.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(_onReadCompleted);
                    return;
                }

                if (StepRead())
                {
                    return;
                }
            }
        }

        /// <summary>Consumes the completed read; true when a frame was pushed (or reading ended), false to read on.</summary>
        private bool StepRead()
        {
            ValueWebSocketReceiveResult result;
            try
            {
                result = _read.Result;
            }
            catch (Exception exception) when (EngineSession.IsTransportException(exception))
            {
                EndRead(EngineSession.ConnectionLost(exception, _session));
                return true;
            }

            _read = default;
            if (result.MessageType == WebSocketMessageType.Close)
            {
                EndRead(new TransportEnd(EngineCloseReasons.TransportClose, "client closed the websocket", WebSocketCloseStatus.NormalClosure));
                return true;
            }

            if (_count == 0 && result.Count == 0 && !result.EndOfMessage)
            {
                // The zero-byte read saw a frame header: the message is read into a rented buffer. -1 marks
                // "inside a message, no byte yet" until the first bytes arrive.
                _buffer ??= ArrayPool<byte>.Shared.Rent(Math.Min(4096, _limit + 1));
                _count = -1;
                return false;
            }

            _count = Math.Max(_count, 0) + result.Count;
            if (_count > _limit)
            {
                EngineLog.PayloadTooLarge(_session.Logger, _session.Id, _limit);
                EndRead(new TransportEnd(EngineCloseReasons.TransportError, "max payload size exceeded", WebSocketCloseStatus.MessageTooBig));
                return true;
            }

            if (!result.EndOfMessage)
            {
                if (_count == Math.Min(_buffer!.Length, _limit + 1))
                {
                    var larger = ArrayPool<byte>.Shared.Rent(Math.Min(_buffer.Length * 2, _limit + 1));
                    _buffer.AsSpan(0, _count).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(_buffer);
                    _buffer = larger;
                }

                if (_count == 0)
                {
                    _count = -1;
                }

                return false;
            }

            _session.Metrics.BytesIn.Add(_count);
            // The codec copies the payload out of the frame, so the buffer is free again at once.
            var frame = _count == 0 ? ReadOnlySequence<byte>.Empty : new ReadOnlySequence<byte>(_buffer!, 0, _count);
            _count = 0;
            Push(_out, EnginePacketCodec.TryParse(ref frame, result.MessageType == WebSocketMessageType.Binary, _session.Protocol, out var packet, out var error)
                ? InboundFrame.Decoded(packet)
                : InboundFrame.Refused(error));
            return true;
        }

        private void EndRead(TransportEnd end)
        {
            _count = 0;
            ReturnBuffer();
            Push(_out, InboundFrame.Ended(end));
            Complete(_out);
            CompleteIfDone();
        }

        /// <summary>Sends one packet; true when the send completed at once, false when it is pending or failed.</summary>
        private bool Write(in EnginePacket packet)
        {
            if (packet.Type == EnginePacketType.Close)
            {
                // The graceful-close packet is not written on WebSocket (as the reference): the close frame follows.
                return true;
            }

            var protocol = _session.Protocol;
            ReadOnlyMemory<byte> bytes;
            if (packet.IsBinary && protocol != 3)
            {
                // v4 binary messages go out as they are: no copy.
                bytes = packet.Data;
            }
            else
            {
                var frame = _frame ??= new PooledBufferWriter(256);
                frame.Reset();
                if (packet.IsBinary)
                {
                    EnginePacketCodec.WriteBinary(packet, protocol, frame);
                }
                else
                {
                    EnginePacketCodec.WriteText(packet, protocol, frame);
                }

                bytes = frame.WrittenMemory;
            }

            var metrics = _session.Metrics;
            metrics.PacketsOut.Add(1);
            metrics.BytesOut.Add(bytes.Length);
            _session.Writing = true;
            try
            {
                _send = _socket!.SendAsync(bytes, packet.IsBinary ? WebSocketMessageType.Binary : WebSocketMessageType.Text, true, CancellationToken.None);
            }
            catch (Exception exception) when (EngineSession.IsTransportException(exception))
            {
                WriteFailed(exception);
                return false;
            }

            if (_send.IsCompleted)
            {
                return SendCompleted();
            }

            _send.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(_onSendCompleted);
            return false;
        }

        private void OnSendCompleted()
        {
            if (SendCompleted())
            {
                WriteNext();
            }
        }

        /// <summary>Consumes the completed send; false when it failed (the stage is then closing).</summary>
        private bool SendCompleted()
        {
            try
            {
                _send.GetAwaiter().GetResult();
            }
            catch (Exception exception) when (EngineSession.IsTransportException(exception))
            {
                WriteFailed(exception);
                return false;
            }

            _send = default;
            return true;
        }

        private void WriteFailed(Exception exception)
        {
            _batch = null;
            _session.Writing = false;
            EngineLog.TransportFailed(_session.Logger, exception, _session.Id);
            // Aborting ends the pending read, which ends the session with "transport close" if it is still open.
            _socket!.Abort();
            Cancel(_in);
            CompleteIfDone();
        }

        private void CloseOutput()
        {
            Task close;
            try
            {
                close = _socket!.State is WebSocketState.Open or WebSocketState.CloseReceived
                    ? _socket.CloseOutputAsync(_session.CloseStatus, null, CancellationToken.None)
                    : Task.CompletedTask;
            }
            catch (Exception exception) when (EngineSession.IsTransportException(exception))
            {
                _socket!.Abort();
                close = Task.CompletedTask;
            }

            _closeRequested = false;
            _session.ClosingOutput = close;
            CompleteIfDone();
        }

        private void CompleteIfDone()
        {
            if (IsClosed(_out) && IsClosed(_in))
            {
                CompleteStage();
            }
        }

        private void ReturnBuffer()
        {
            // A buffer lent to a pending read stays with it (the socket may still write into it).
            if (_buffer is not null && !_reading)
            {
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = null;
            }
        }
    }
}
