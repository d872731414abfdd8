namespace SocketIo.Actors.Kernel.Internal;

/// <summary>One typed handler of a <see cref="ReceiveActor"/>; generic so the type test and call need no reflection.</summary>
internal abstract class Handler
{
    public abstract bool TryHandle(object message);
}

internal sealed class SyncHandler<T>(Action<T> handler, Predicate<T>? predicate) : Handler
{
    public override bool TryHandle(object message)
    {
        if (message is T typed && (predicate is null || predicate(typed)))
        {
            handler(typed);
            return true;
        }

        return false;
    }
}

internal sealed class AsyncHandler<T>(ActorCell cell, Func<T, Task> handler, Predicate<T>? predicate) : Handler
{
    public override bool TryHandle(object message)
    {
        if (message is T typed && (predicate is null || predicate(typed)))
        {
            cell.RunAsync(handler, typed);
            return true;
        }

        return false;
    }
}

/// <summary>The ordered handlers of one behaviour; a plain array keeps an idle actor small.</summary>
internal sealed class HandlerSet
{
    private Handler[] _handlers = [];

    public void Add(Handler handler)
    {
        var grown = new Handler[_handlers.Length + 1];
        _handlers.CopyTo(grown, 0);
        grown[^1] = handler;
        _handlers = grown;
    }

    public bool TryHandle(object message)
    {
        var handlers = _handlers;
        for (var i = 0; i < handlers.Length; i++)
        {
            if (handlers[i].TryHandle(message))
            {
                return true;
            }
        }

        return false;
    }
}
