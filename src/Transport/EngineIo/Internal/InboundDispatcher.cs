using System.Collections.Concurrent;

namespace SocketIo.Transport.EngineIo.Internal;

/// <summary>
/// Hands a session's inbound events to its <see cref="IEngineSessionHandler"/> in order and never
/// concurrently: whichever thread finds the dispatcher idle drains the queue (a trampoline, so a
/// handler that closes its own session gets <c>OnClose</c> after its current call returns).
/// Nothing is delivered before <see cref="Start"/>; nothing after <c>OnClose</c>.
/// </summary>
internal sealed class InboundDispatcher
{
    private readonly ConcurrentQueue<Item> _queue = new();
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

    public void PostMessage(EngineMessage message) => _queue.Enqueue(new Item(message, null, null));

    public void PostClose(string reason, string? description) => _queue.Enqueue(new Item(default, reason, description));

    /// <summary>Delivers queued events unless another thread (or an outer frame of this one) is already doing so.</summary>
    public void Drain()
    {
        while (!_queue.IsEmpty)
        {
            if (Interlocked.CompareExchange(ref _running, 1, 0) != 0)
            {
                return;
            }

            try
            {
                while (_queue.TryDequeue(out var item))
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

    private void Deliver(in Item item)
    {
        if (_closed)
        {
            return;
        }

        try
        {
            if (item.CloseReason is { } reason)
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

    private readonly record struct Item(EngineMessage Message, string? CloseReason, string? CloseDescription);
}
