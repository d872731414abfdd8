namespace SocketIo.Actors.Cluster.Broker.Internal;

/// <summary>
/// Runs event callbacks one after another on the thread pool, in the order they were posted, so
/// subscribers never run on the caller's stack (often a lock holder or the client's I/O loop) and
/// never see state changes out of order. A throwing callback is swallowed: events are advisory.
/// </summary>
internal sealed class SerialEventQueue
{
    private readonly object _gate = new();
    private Task _tail = Task.CompletedTask;

    public void Post(Action callback)
    {
        lock (_gate)
        {
            _tail = _tail.ContinueWith(
                static (_, state) =>
                {
                    try
                    {
                        ((Action)state!)();
                    }
                    catch
                    {
                        // Subscriber bugs must not break the broker's own bookkeeping.
                    }
                },
                callback,
                CancellationToken.None,
                TaskContinuationOptions.RunContinuationsAsynchronously,
                TaskScheduler.Default);
        }
    }

    /// <summary>Completes when every callback posted so far has run.</summary>
    public Task DrainAsync()
    {
        lock (_gate)
        {
            return _tail;
        }
    }
}
