using System.Buffers;
using System.Net.WebSockets;
using System.Threading.Channels;
using static SocketIo.Node.Forwarding.EngineForwardingProtocol;

namespace SocketIo.Node.Forwarding.Internal;

/// <summary>
/// One side of a relayed WebSocket: the entry's relay drives the client's socket, the owner's the client end of its
/// in-memory pair. Whole messages read from the local socket go to the other side as <see cref="RelayFrame"/>s; the
/// other side's frames, queued here in arrival order, are written to the local socket. A close read locally is told
/// as <see cref="RelayClosed"/>, one from the other side closes the local socket's output.
/// <para>
/// Flow control across the relay: each side acknowledges (<see cref="RelayAck"/>) the bytes it has written to its
/// socket, every <see cref="AckEvery"/>, and a side stops reading its socket while more than <see cref="Window"/> bytes
/// it sent are unacknowledged. A slow client, or an owner's session whose input is paused, so slows the other end by
/// TCP (or the engine's outbound queue), as on a direct connection. Bounded besides: more than <c>maxQueuedBytes</c>
/// waiting, or a local message over <c>maxMessageBytes</c> (maxHttpBufferSize on the entry), closes the relay.
/// </para>
/// </summary>
internal sealed class Relay : IDisposable
{
    /// <summary>How long the second direction may take to close once the first has.</summary>
    public static readonly TimeSpan CloseGrace = TimeSpan.FromSeconds(5);

    /// <summary>Bytes a side may have sent and not yet seen acknowledged before it stops reading its socket.</summary>
    public const long Window = 1024 * 1024;

    /// <summary>A side acknowledges what it wrote to its socket in steps of this many bytes (well under <see cref="Window"/>).</summary>
    public const long AckEvery = 128 * 1024;

    private readonly Lock _windowGate = new();
    private TaskCompletionSource? _windowOpened;
    private long _unacknowledged;
    private long _written;

    private readonly Channel<RelayFrame> _inbound = Channel.CreateUnbounded<RelayFrame>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly Action<IForwardingMessage> _sendToOther;
    private readonly long _maxQueuedBytes;
    private readonly long _maxMessageBytes;
    private readonly ILogger _logger;
    private readonly string _sid;
    private long _queuedBytes;
    private WebSocket? _socket;
    private int _failed;

    /// <param name="sendToOther">Sends a message to the other side's forwarder (fragmenting what is large).</param>
    public Relay(Guid id, string sid, Action<IForwardingMessage> sendToOther, long maxQueuedBytes, long maxMessageBytes, ILogger logger)
    {
        Id = id;
        _sid = sid;
        _sendToOther = sendToOther;
        _maxQueuedBytes = maxQueuedBytes;
        _maxMessageBytes = maxMessageBytes;
        _logger = logger;
        Stopping = _stop.Token;
    }

    public Guid Id { get; }

    /// <summary>True on the entry (the client's socket is here), false on the owner.</summary>
    public bool IsEntry { get; init; }

    /// <summary>Cancelled when the relay is stopped (failed, or its close grace ran out).</summary>
    public CancellationToken Stopping { get; }

    /// <summary>A frame from the other side, in order.</summary>
    public void Deliver(RelayFrame frame)
    {
        // As the engine's outbound queue: a single message larger than the bound still goes into an empty queue.
        var queued = Interlocked.Add(ref _queuedBytes, frame.Data.Length);
        if (queued > _maxQueuedBytes && queued != frame.Data.Length)
        {
            Fail($"more than {_maxQueuedBytes} bytes waiting for a slow socket");
            return;
        }

        _inbound.Writer.TryWrite(frame);
    }

    /// <summary>The other side wrote <paramref name="bytes"/> more of what this side sent: reading may go on.</summary>
    public void DeliverAck(long bytes)
    {
        Interlocked.Add(ref _unacknowledged, -bytes);
        TaskCompletionSource? opened;
        lock (_windowGate)
        {
            opened = _windowOpened;
            _windowOpened = null;
        }

        opened?.TrySetResult();
    }

    /// <summary>The other side closed: what is queued is still written, then the local socket's output is closed.</summary>
    public void DeliverClosed() => _inbound.Writer.TryComplete();

    /// <summary>Closes the relay from this side: the other side is told, what is queued is written, then the local socket's output is closed.</summary>
    public void Close()
    {
        _sendToOther(new RelayClosed(Id));
        _inbound.Writer.TryComplete();
    }

    /// <summary>Stops the relay at once: the local socket is aborted and the other side told.</summary>
    public void Fail(string why)
    {
        if (Interlocked.Exchange(ref _failed, 1) != 0) return;
        ForwardingLog.RelayFailed(_logger, Id, _sid, why);
        _sendToOther(new RelayClosed(Id));
        _inbound.Writer.TryComplete();
        Stop();
    }

    /// <summary>Relays between <paramref name="socket"/> and the other side until both directions have closed (or the grace ran out).</summary>
    public async Task RunAsync(WebSocket socket)
    {
        _socket = socket;
        if (Volatile.Read(ref _failed) != 0) socket.Abort();
        var toSocket = Task.Run(() => WriteToSocketAsync(socket));
        var fromSocket = Task.Run(() => ReadFromSocketAsync(socket));
        await Task.WhenAny(toSocket, fromSocket);
        await FinishAsync(Task.WhenAll(toSocket, fromSocket));
    }

    /// <summary>Waits for <paramref name="running"/> at most <see cref="CloseGrace"/>, then stops the relay and waits for it.</summary>
    public async Task FinishAsync(Task running)
    {
        if (await Task.WhenAny(running, Task.Delay(CloseGrace)) != running) Stop();
        try
        {
            await running;
        }
        catch (Exception)
        {
            // The pumps end on transport errors by design; what they hit is already handled.
        }
    }

    public void Dispose()
    {
        _inbound.Writer.TryComplete();
        _stop.Dispose();
    }

    private void Stop()
    {
        try
        {
            _stop.Cancel();
        }
        catch (ObjectDisposedException)
        {
            return;
        }

        _socket?.Abort();
    }

    private async Task WriteToSocketAsync(WebSocket socket)
    {
        try
        {
            await foreach (var frame in _inbound.Reader.ReadAllAsync(_stop.Token))
            {
                Interlocked.Add(ref _queuedBytes, -frame.Data.Length);
                await socket.SendAsync(frame.Data, frame.IsBinary ? WebSocketMessageType.Binary : WebSocketMessageType.Text, true, _stop.Token);
                _written += frame.Data.Length;
                if (_written >= AckEvery)
                {
                    _sendToOther(new RelayAck(Id, _written));
                    _written = 0;
                }
            }

            if (Volatile.Read(ref _failed) != 0)
            {
                socket.Abort();
            }
            else if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, _stop.Token);
            }
        }
        catch (Exception exception) when (exception is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            socket.Abort();
        }
    }

    /// <summary>Waits while more than <see cref="Window"/> bytes sent are unacknowledged (the socket stays unread meanwhile).</summary>
    private async ValueTask WaitForWindowAsync()
    {
        while (Interlocked.Read(ref _unacknowledged) >= Window)
        {
            Task opened;
            lock (_windowGate)
            {
                if (Interlocked.Read(ref _unacknowledged) < Window) return;
                opened = (_windowOpened ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
            }

            await opened.WaitAsync(_stop.Token);
        }
    }

    private async Task ReadFromSocketAsync(WebSocket socket)
    {
        var buffer = new byte[4096];
        var message = new ArrayBufferWriter<byte>(256);
        try
        {
            while (true)
            {
                if (message.WrittenCount == 0) await WaitForWindowAsync();
                var result = await socket.ReceiveAsync(buffer.AsMemory(), _stop.Token);
                if (result.MessageType == WebSocketMessageType.Close) break;
                if (message.WrittenCount + result.Count > _maxMessageBytes)
                {
                    // The engine would end the session for it (1009 on a direct connection); here the relay ends.
                    Fail($"a message over {_maxMessageBytes} bytes");
                    return;
                }

                message.Write(buffer.AsSpan(0, result.Count));
                if (!result.EndOfMessage) continue;
                Interlocked.Add(ref _unacknowledged, message.WrittenCount);
                _sendToOther(new RelayFrame(Id, message.WrittenSpan.ToArray(), result.MessageType == WebSocketMessageType.Binary));
                // A large message's buffer is not kept for the life of the relay.
                if (message.Capacity > 64 * 1024) message = new ArrayBufferWriter<byte>(256);
                else message.ResetWrittenCount();
            }
        }
        catch (Exception exception) when (exception is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            // A lost socket closes the other side as a close would.
        }

        if (Volatile.Read(ref _failed) == 0) _sendToOther(new RelayClosed(Id));
    }
}
