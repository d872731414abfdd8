namespace SocketIo.Actors.Kernel.Internal;

/// <summary>Watch, WatchWith, Unwatch and the notifications of stopped children and watched actors.</summary>
internal sealed partial class ActorCell
{
    public IActorRef Watch(IActorRef subject) => WatchCore(subject, null);

    public IActorRef WatchWith(IActorRef subject, object message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return WatchCore(subject, message);
    }

    public IActorRef Unwatch(IActorRef subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        if (_x?.Watching is { } watching && watching.Remove(subject) && subject is InternalActorRef target)
        {
            target.SendSystemMessage(new Unwatch(_self));
        }

        return subject;
    }

    private IActorRef WatchCore(IActorRef subject, object? message)
    {
        ArgumentNullException.ThrowIfNull(subject);
        if (subject.Equals(_self) || subject is not InternalActorRef target)
        {
            return subject;
        }

        var watching = X.Watching ??= new Dictionary<IActorRef, object>();
        var isNew = !watching.ContainsKey(subject);
        watching[subject] = message ?? new Terminated(subject);
        if (isNew)
        {
            target.SendSystemMessage(new Watch(_self));
        }

        return subject;
    }

    private void AddWatcher(InternalActorRef watcher)
    {
        if (!watcher.Equals(_self))
        {
            (X.WatchedBy ??= new HashSet<InternalActorRef>()).Add(watcher);
        }
    }

    private void HandleDeathWatchNotification(IActorRef actor)
    {
        var wasChild = RemoveChild(actor);
        if (wasChild && _x is { } x)
        {
            x.StoppingChildren?.Remove(actor);
            x.RestartStats?.Remove(actor);
        }

        if ((_flags & (Terminating | Terminated)) == 0 && _x?.Watching is { } watching && watching.TryGetValue(actor, out var message))
        {
            // Delivered through the user queue so it is ordered with user messages and skipped if
            // the actor unwatches before processing it.
            Post(new WatchedTerminated(actor, message), null);
        }

        if (!wasChild)
        {
            return;
        }

        if ((_flags & Terminating) != 0)
        {
            if (ChildCount == 0)
            {
                FinishTerminate();
            }
        }
        else if ((_flags & Recreating) != 0 && _x is { PendingRecreateCause: { } cause, StoppingChildren: not { Count: > 0 } })
        {
            FinishRecreate(cause);
        }
    }
}
