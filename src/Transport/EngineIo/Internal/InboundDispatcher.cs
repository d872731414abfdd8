namespace SocketIo.Transport.EngineIo.Internal;

/// <summary>
/// Hands a session's inbound events to its <see cref="IEngineSessionHandler"/> in order and never
/// concurrently: whichever thread finds the dispatcher idle drains the queue (a trampoline, so a
/// handler that closes its own session gets <c>OnClose</c> after its current call returns).
/// Nothing is delivered before <see cref="Start"/>; nothing after <c>OnClose</c>.
/// The queue lives under its own lock as one inline slot plus an overflow <see cref="Queue{T}"/> created by
/// the first burst and trimmed once drained: an idle session holds no array, where a ConcurrentQueue keeps a
/// 32-slot segment (≈ 1.8 KiB) for the life of every session.
/// </summary>
internal sealed class InboundDispatcher
{
    private const int RetainCapacity = 4;
    private readonly Lock _lock = new();
    private Item _first;
    private bool _hasFirst;
    private Queue<Item>? _overflow;
    private readonly Action<Exception> _onHandlerError;
    private IEngineSessionHandler? _handler;
    private int _running = 1; // held until Start
    private bool _closed;

    public InboundDispatcher(Action<Exception> onHandlerError) => _onHandlerError = onHandlerError;

    public void Start(IEngineSessionHandler handler)
    {
        _handler = handler;
        Volatile.Write(ref _running, 0);
        Drain();
    }

    public void PostMessage(EngineMessage message) => Enqueue(new Item(message, null, null));

    public void PostClose(string reason, string? description) => Enqueue(new Item(default, reason, description));

    public void PostDrain() => Enqueue(new Item(default, null, null, Drain: true));

    /// <summary>Delivers queued events unless another thread (or an outer frame of this one) is already doing so.</summary>
    public void Drain()
    {
        while (!IsEmpty())
        {
            if (Interlocked.CompareExchange(ref _running, 1, 0) != 0)
            {
                return;
            }

            try
            {
                while (TryDequeue(out var item))
                {
                    Deliver(item);
                }
            }
            finally
            {
                Volatile.Write(ref _running, 0);
            }
        }
    }

    /// <summary>FIFO: the inline slot holds the oldest item only while the overflow queue is empty.</summary>
    private void Enqueue(in Item item)
    {
        lock (_lock)
        {
            if (!_hasFirst && (_overflow is null || _overflow.Count == 0))
            {
                _first = item;
                _hasFirst = true;
            }
            else
            {
                (_overflow ??= new Queue<Item>()).Enqueue(item);
            }
        }
    }

    private bool IsEmpty()
    {
        lock (_lock)
        {
            return !_hasFirst && (_overflow is null || _overflow.Count == 0);
        }
    }

    private bool TryDequeue(out Item item)
    {
        lock (_lock)
        {
            if (_hasFirst)
            {
                item = _first;
                _first = default; // the slot must not keep the message's bytes alive
                _hasFirst = false;
                return true;
            }

            if (_overflow is { } overflow)
            {
                if (overflow.TryDequeue(out item))
                {
                    return true;
                }

                // Drained: a queue grown by a long burst gives its array back.
                if (overflow.EnsureCapacity(0) > RetainCapacity)
                {
                    overflow.TrimExcess();
                }
            }

            item = default;
            return false;
        }
    }

    private void Deliver(in Item item)
    {
        if (_closed)
        {
            return;
        }

        try
        {
            if (item.Drain)
            {
                _handler!.OnDrain();
            }
            else if (item.CloseReason is { } reason)
            {
                _closed = true;
                _handler!.OnClose(reason, item.CloseDescription);
            }
            else
            {
                _handler!.OnMessage(item.Message);
            }
        }
        catch (Exception exception)
        {
            _onHandlerError(exception);
        }
    }

    private readonly record struct Item(EngineMessage Message, string? CloseReason, string? CloseDescription, bool Drain = false);
}
