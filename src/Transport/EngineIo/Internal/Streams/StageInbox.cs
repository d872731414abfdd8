namespace SocketIo.Transport.EngineIo.Internal.Streams;

/// <summary>
/// Hands messages from outside a graph to one of its stages' async callbacks. A stage's callbacks exist only once it
/// has started, a moment after its graph was materialized: messages posted before are kept, in order, and handed over
/// when it starts, before any posted after. Safe from any thread; an inbox that never held an early message keeps no list.
/// </summary>
internal sealed class StageInbox<T>
{
    private Action<T>? _target;
    private List<T>? _early;

    /// <summary>True once the stage has started.</summary>
    public bool IsStarted => Volatile.Read(ref _target) is not null;

    public void Post(T message)
    {
        Action<T> target;
        lock (this)
        {
            if (_target is null)
            {
                (_early ??= []).Add(message);
                return;
            }

            target = _target;
        }

        target(message);
    }

    /// <summary>The stage started with <paramref name="target"/> as its callback: the early messages go first.</summary>
    public void Started(Action<T> target)
    {
        lock (this)
        {
            foreach (var message in _early ?? [])
            {
                target(message);
            }

            _early = null;
            Volatile.Write(ref _target, target);
        }
    }
}
