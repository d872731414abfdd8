using SocketIo.Actors.Kernel.Internal;

namespace SocketIo.Actors.Kernel;

/// <summary>
/// An actor whose behaviour is a list of typed handlers registered in the constructor (or in
/// <see cref="Become"/>): the first handler whose type and predicate match the message runs.
/// A message no handler matches goes to <see cref="ActorBase.Unhandled"/>.
/// </summary>
public abstract class ReceiveActor : ActorBase
{
    private HandlerSet _current = new();
    private HandlerSet? _building;
    private Stack<HandlerSet>? _stack;

    /// <summary>Handles messages of type <typeparamref name="T"/> (and subtypes) that pass <paramref name="shouldHandle"/>.</summary>
    protected void Receive<T>(Action<T> handler, Predicate<T>? shouldHandle = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        Target.Add(new SyncHandler<T>(handler, shouldHandle));
    }

    /// <summary>Handles messages of type <typeparamref name="T"/> that pass <paramref name="shouldHandle"/>.</summary>
    protected void Receive<T>(Predicate<T> shouldHandle, Action<T> handler) => Receive(handler, shouldHandle);

    /// <summary>
    /// Handles messages of type <typeparamref name="T"/> asynchronously. The mailbox waits until the
    /// returned task completes: no other user message starts before that, and continuations run on
    /// the actor with <c>Context</c>, <c>Sender</c> and <c>Self</c> intact (do not use
    /// <c>ConfigureAwait(false)</c> before touching actor state). A faulted task fails the actor
    /// like a throwing handler.
    /// </summary>
    protected void ReceiveAsync<T>(Func<T, Task> handler, Predicate<T>? shouldHandle = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        Target.Add(new AsyncHandler<T>(Cell, handler, shouldHandle));
    }

    /// <summary>Asynchronously handles messages of type <typeparamref name="T"/> that pass <paramref name="shouldHandle"/>.</summary>
    protected void ReceiveAsync<T>(Predicate<T> shouldHandle, Func<T, Task> handler) => ReceiveAsync(handler, shouldHandle);

    /// <summary>Handles every message that reaches it (register it last).</summary>
    protected void ReceiveAny(Action<object> handler) => Receive(handler);

    /// <summary>Asynchronously handles every message that reaches it (see <see cref="ReceiveAsync{T}"/>).</summary>
    protected void ReceiveAnyAsync(Func<object, Task> handler) => ReceiveAsync(handler);

    /// <summary>Replaces the handlers by those <paramref name="configure"/> registers.</summary>
    protected void Become(Action configure)
    {
        _current = Build(configure);
        _stack?.Clear();
    }

    /// <summary>Pushes the handlers <paramref name="configure"/> registers; <see cref="UnbecomeStacked"/> pops them.</summary>
    protected void BecomeStacked(Action configure)
    {
        var next = Build(configure);
        (_stack ??= new Stack<HandlerSet>()).Push(_current);
        _current = next;
    }

    /// <summary>Returns to the handlers in place before the last <see cref="BecomeStacked"/>; does nothing at the bottom.</summary>
    protected void UnbecomeStacked()
    {
        if (_stack is { Count: > 0 })
        {
            _current = _stack.Pop();
        }
    }

    /// <inheritdoc />
    protected sealed override bool Receive(object message) => _current.TryHandle(message);

    private HandlerSet Target => _building ?? _current;

    private HandlerSet Build(Action configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var set = new HandlerSet();
        var previous = _building;
        _building = set;
        try
        {
            configure();
        }
        finally
        {
            _building = previous;
        }

        return set;
    }
}
