using System.Buffers;
using System.Net.WebSockets;
using Microsoft.Extensions.Logging;
using SocketIo.Transport.EngineIo.Protocol;

namespace SocketIo.Transport.EngineIo.Internal;

/// <summary>
/// One accepted WebSocket: a receive loop decoding one Engine.IO packet per message (at most
/// MaxHttpBufferSize bytes, else closed with 1009 and <c>transport error</c>) and, once it carries the
/// session, a writer loop that drains the session queue frame by frame without waiting between frames.
/// Sends are serialized by a lock shared with the probe answer and the close handshake.
/// An idle connection holds no buffer: the receive loop waits for the next message with a zero-byte read
/// and rents its buffer only while a message is being read, and the writer returns its frame buffer before
/// it waits for more packets. The close grace timer exists only once a close was requested.
/// While the session's receiving is paused, the receive loop waits before it starts the next message.
/// </summary>
internal sealed class WebSocketConnection : IDisposable
{
    private readonly WebSocket _socket;
    private readonly EngineSession _session;
    private readonly EngineSettings _settings;
    private readonly ILogger _logger;
    private readonly EngineMetrics _metrics;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly AsyncSignal _signal = new();
    private readonly CancellationTokenSource _abort = new();
    private readonly PooledBufferWriter _frame = new(256);
    private ITimer? _graceTimer;
    private Task? _writer;
    private Task? _closer;
    private volatile bool _closeRequested;
    private WebSocketCloseStatus _closeStatus = WebSocketCloseStatus.NormalClosure;

    public WebSocketConnection(WebSocket socket, EngineSession session, EngineIoServer server)
    {
        _socket = socket;
        _session = session;
        _settings = server.Settings;
        _logger = server.Logger;
        _metrics = server.Metrics;
    }

    /// <summary>True while the writer holds a batch; read and written under the session lock.</summary>
    public bool IsWriting { get; set; }

    /// <summary>Runs until the socket is closed or aborted, then waits for the writer and the close handshake.</summary>
    public async Task RunAsync()
    {
        try
        {
            await ReceiveLoopAsync();
            if (_writer is { } writer)
            {
                await writer;
            }

            if (_closer is { } closer)
            {
                await closer;
            }
        }
        finally
        {
            _abort.Cancel();
        }
    }

    /// <summary>Starts the writer loop; call under the session lock when this socket becomes the session's transport.</summary>
    public void StartWriter()
    {
        _writer ??= Task.Run(WriterLoopAsync);
        _signal.Set();
    }

    public void SignalWriter() => _signal.Set();

    /// <summary>
    /// Asks for the close handshake (after the writer drained the queue, when there is a writer). The socket
    /// is aborted if the handshake has not finished within the close grace period.
    /// </summary>
    public void RequestClose(WebSocketCloseStatus status)
    {
        if (_closeRequested)
        {
            return;
        }

        _closeStatus = status;
        _closeRequested = true;
        ArmCloseGrace();

        if (_writer is null)
        {
            _closer = CloseOutputAsync();
        }
        else
        {
            _signal.Set();
        }
    }

    /// <summary>Sends one text frame outside the writer loop (the probe answer).</summary>
    public async Task SendTextAsync(ReadOnlyMemory<byte> utf8)
    {
        try
        {
            await _sendLock.WaitAsync(_abort.Token);
            try
            {
                await _socket.SendAsync(utf8, WebSocketMessageType.Text, true, _abort.Token);
                _metrics.PacketsOut.Add(1);
                _metrics.BytesOut.Add(utf8.Length);
            }
            finally
            {
                _sendLock.Release();
            }
        }
        catch (Exception exception) when (IsTransportException(exception))
        {
            EngineLog.TransportFailed(_logger, exception, _session.Id);
        }
    }

    public void Dispose()
    {
        lock (_sendLock)
        {
            _graceTimer?.Dispose();
            _graceTimer = null;
        }

        _abort.Dispose();
        _frame.Dispose();
    }

    /// <summary>
    /// Aborts the socket (and whatever waits on <see cref="_abort"/>) once the close grace period has passed.
    /// The receive loop's reads carry no cancellation token (a registration per pending read costs memory on
    /// every idle connection), so the timer aborts the socket itself, which ends a pending read.
    /// </summary>
    private void ArmCloseGrace()
    {
        lock (_sendLock)
        {
            if (_graceTimer is not null || _abort.IsCancellationRequested)
            {
                return;
            }

            _graceTimer = _settings.TimeProvider.CreateTimer(
                static state => ((WebSocketConnection)state!).OnCloseGraceElapsed(),
                this,
                _settings.WebSocketCloseGrace,
                Timeout.InfiniteTimeSpan);
        }
    }

    private void OnCloseGraceElapsed()
    {
        try
        {
            _abort.Cancel();
        }
        catch (ObjectDisposedException)
        {
            return;
        }

        _socket.Abort();
    }

    private async Task ReceiveLoopAsync()
    {
        var limit = (int)Math.Min(_settings.MaxHttpBufferSize, int.MaxValue - 1);
        byte[]? buffer = null;
        var count = 0;
        string reason = EngineCloseReasons.TransportClose;
        string? description = null;
        var status = WebSocketCloseStatus.NormalClosure;
        try
        {
            while (true)
            {
                ValueWebSocketReceiveResult result;
                if (count == 0)
                {
                    if (_session.IsReceivingPaused)
                    {
                        // Flow control: the next message stays unread (and the client is slowed by TCP) until
                        // the session resumes or closes. No buffer is held meanwhile.
                        var resumed = _session.WhenWebSocketMayReceive(this);
                        if (!resumed.IsCompleted)
                        {
                            if (buffer is not null)
                            {
                                ArrayPool<byte>.Shared.Return(buffer);
                                buffer = null;
                            }

                            await resumed;
                        }
                    }

                    // Between messages: wait for the next frame header without a buffer. A read that does not
                    // complete at once means the connection is idle, so the buffer goes back to the pool.
                    var next = _socket.ReceiveAsync(Memory<byte>.Empty, CancellationToken.None);
                    if (!next.IsCompleted && buffer is not null)
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = null;
                    }

                    result = await next;
                    if (result.MessageType != WebSocketMessageType.Close && !result.EndOfMessage)
                    {
                        buffer ??= ArrayPool<byte>.Shared.Rent(Math.Min(4096, limit + 1));
                        var first = Math.Min(buffer.Length, limit + 1);
                        result = await _socket.ReceiveAsync(buffer.AsMemory(0, first), CancellationToken.None);
                    }
                }
                else
                {
                    var capacity = Math.Min(buffer!.Length, limit + 1);
                    result = await _socket.ReceiveAsync(buffer.AsMemory(count, capacity - count), CancellationToken.None);
                }

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    description = "client closed the websocket";
                    break;
                }

                count += result.Count;
                if (count > limit)
                {
                    EngineLog.PayloadTooLarge(_logger, _session.Id, limit);
                    reason = EngineCloseReasons.TransportError;
                    description = "max payload size exceeded";
                    status = WebSocketCloseStatus.MessageTooBig;
                    break;
                }

                if (!result.EndOfMessage)
                {
                    if (count == Math.Min(buffer!.Length, limit + 1))
                    {
                        var larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, limit + 1));
                        buffer.AsSpan(0, count).CopyTo(larger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = larger;
                    }

                    continue;
                }

                _metrics.BytesIn.Add(count);
                // The codec copies the payload out of the frame, so the buffer can be reused (or returned) at once.
                var frame = count == 0 ? ReadOnlySequence<byte>.Empty : new ReadOnlySequence<byte>(buffer!, 0, count);
                count = 0;
                if (EnginePacketCodec.TryParse(ref frame, result.MessageType == WebSocketMessageType.Binary, _session.Protocol, out var packet, out var error))
                {
                    await _session.OnWebSocketPacketAsync(this, packet);
                }
                else
                {
                    _session.OnWebSocketParseError(this, error);
                }
            }
        }
        catch (Exception exception) when (IsTransportException(exception))
        {
            // A vanished client reads as "transport close" (the reference's ws "close" event); a socket
            // aborted by our own close grace period is reported the same way and ignored by a closed session.
            description = "websocket connection lost";
            if (exception is not (OperationCanceledException or WebSocketException { WebSocketErrorCode: WebSocketError.ConnectionClosedPrematurely }))
            {
                EngineLog.TransportFailed(_logger, exception, _session.Id);
            }
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        _session.OnWebSocketClosed(this, reason, description, status);
        RequestClose(status);
    }

    private async Task WriterLoopAsync()
    {
        try
        {
            while (true)
            {
                var packets = _session.TakeOutbound(this, out var closes);
                if (packets.Length == 0 && !closes)
                {
                    if (_closeRequested)
                    {
                        break;
                    }

                    // Idle: no frame buffer is kept while waiting (it is rented again for the next packet).
                    _frame.Release();
                    await _signal.WaitAsync();
                    continue;
                }

                await _sendLock.WaitAsync(_abort.Token);
                try
                {
                    foreach (var packet in packets)
                    {
                        if (packet.Type == EnginePacketType.Close)
                        {
                            break;
                        }

                        await SendPacketAsync(packet);
                    }
                }
                finally
                {
                    _sendLock.Release();
                }

                if (closes)
                {
                    _session.OnCloseDelivered();
                }
            }
        }
        catch (Exception exception) when (IsTransportException(exception))
        {
            EngineLog.TransportFailed(_logger, exception, _session.Id);
            _session.OnWebSocketClosed(this, EngineCloseReasons.TransportError, "write error", WebSocketCloseStatus.NormalClosure);
        }

        await CloseOutputAsync();
    }

    private ValueTask SendPacketAsync(in EnginePacket packet)
    {
        var protocol = _session.Protocol;
        ReadOnlyMemory<byte> bytes;
        if (packet.IsBinary && protocol != 3)
        {
            // v4 binary messages go out as they are: no copy.
            bytes = packet.Data;
        }
        else
        {
            _frame.Reset();
            if (packet.IsBinary)
            {
                EnginePacketCodec.WriteBinary(packet, protocol, _frame);
            }
            else
            {
                EnginePacketCodec.WriteText(packet, protocol, _frame);
            }

            bytes = _frame.WrittenMemory;
        }

        _metrics.PacketsOut.Add(1);
        _metrics.BytesOut.Add(bytes.Length);
        return _socket.SendAsync(bytes, packet.IsBinary ? WebSocketMessageType.Binary : WebSocketMessageType.Text, true, _abort.Token);
    }

    private async Task CloseOutputAsync()
    {
        try
        {
            await _sendLock.WaitAsync(_abort.Token);
            try
            {
                if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                {
                    await _socket.CloseOutputAsync(_closeStatus, null, _abort.Token);
                }
            }
            finally
            {
                _sendLock.Release();
            }
        }
        catch (Exception exception) when (IsTransportException(exception))
        {
            _socket.Abort();
        }
    }

    private static bool IsTransportException(Exception exception) =>
        exception is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException
            or Microsoft.AspNetCore.Connections.ConnectionResetException;
}
