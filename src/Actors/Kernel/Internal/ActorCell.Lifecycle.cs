namespace SocketIo.Actors.Kernel.Internal;

/// <summary>Create, stop (children first), restart and resume.</summary>
internal sealed partial class ActorCell
{
    private void HandleCreate()
    {
        _flags &= ~NotStarted;
        try
        {
            _actor = _props.NewActor();
            _actor.PreStartInternal();
        }
        catch (Exception e)
        {
            Fail(new ActorInitializationException($"Exception while creating actor {_self.Path}.", e), null);
        }
    }

    private void HandleTerminate()
    {
        if ((_flags & (Terminating | Terminated)) != 0)
        {
            return;
        }

        _flags |= Terminating;
        StopTimers();
        LocalActorRef[] children;
        lock (this)
        {
            _childrenClosed = true;
            children = _children is null ? [] : [.. _children.Values];
        }

        if (children.Length == 0)
        {
            FinishTerminate();
            return;
        }

        foreach (var child in children)
        {
            child.SendSystemMessage(new Terminate());
        }
    }

    private void FinishTerminate()
    {
        if (_actor is { } actor)
        {
            try
            {
                actor.PostStopInternal();
            }
            catch (Exception e)
            {
                KernelLog.HookFailed(_system.KernelLogger, e, "PostStop", _self.Path);
            }
        }

        _flags = Terminated;
        Volatile.Write(ref _closed, 1);
        _actor = null;
        _system.EventStream.Unsubscribe(_self);

        var x = _x;
        _x = null;
        if (x is not null)
        {
            if (x.Stash is { } stash)
            {
                foreach (var envelope in stash.TakeAll())
                {
                    _system.RecordDeadLetter(envelope.Message, envelope.Sender, _self);
                }
            }

            if (x.Prepended is { } prepended)
            {
                for (var i = x.PrependedIndex; i < prepended.Count; i++)
                {
                    _system.RecordDeadLetter(prepended[i].Message, prepended[i].Sender, _self);
                }
            }

            if (x.Watching is { } watching)
            {
                foreach (var watched in watching.Keys)
                {
                    ((InternalActorRef)watched).SendSystemMessage(new Unwatch(_self));
                }
            }

            if (x.WatchedBy is { } watchers)
            {
                foreach (var watcher in watchers)
                {
                    if (_parent is null || !watcher.Equals(_parent._self))
                    {
                        watcher.SendSystemMessage(new DeathWatchNotification(_self));
                    }
                }
            }
        }

        if (_parent is not null)
        {
            _parent.SendSystemMessage(new DeathWatchNotification(_self));
        }
        else
        {
            _system.OnGuardianTerminated();
        }
    }

    private void HandleRecreate(Exception cause)
    {
        if ((_flags & (Terminating | Terminated)) != 0)
        {
            return;
        }

        var failed = _actor;
        var x = X;
        var failedMessage = x.FailedMessage;
        x.FailedMessage = null;
        StopTimers();
        SetReceiveTimeout(null);
        x.Behaviors?.Clear();
        x.PendingTask = null;
        _flags &= ~Awaiting;
        if (x.Stash is { } stash)
        {
            Prepend(stash.TakeAll());
        }

        if (failed is not null)
        {
            try
            {
                failed.PreRestartInternal(cause, failedMessage);
            }
            catch (Exception e)
            {
                KernelLog.HookFailed(_system.KernelLogger, e, "PreRestart", _self.Path);
            }
        }

        _actor = null;
        x.Strategy = null;
        _flags |= Recreating;
        if (x.StoppingChildren is not { Count: > 0 })
        {
            FinishRecreate(cause);
        }
        else
        {
            // Children stopped by PreRestart keep their names until they are gone; wait for them.
            x.PendingRecreateCause = cause;
        }
    }

    private void FinishRecreate(Exception cause)
    {
        _flags &= ~Recreating;
        if (_x is { } x)
        {
            x.PendingRecreateCause = null;
        }

        try
        {
            _actor = _props.NewActor();
            _actor.PostRestartInternal(cause);
            _flags &= ~Suspended;
            KernelLog.Restarted(_system.KernelLogger, _self.Path, cause.GetType());
        }
        catch (Exception e)
        {
            Fail(new ActorInitializationException($"Exception while restarting actor {_self.Path}.", e), null);
        }
    }

    private void HandleResume()
    {
        if (_x is { } x)
        {
            x.FailedMessage = null;
        }

        _flags &= ~Suspended;
    }

    private void StopTimers()
    {
        if (_x is { } x)
        {
            x.Timers?.CancelAll();
            x.ReceiveTimeoutTimer?.Dispose();
            x.ReceiveTimeoutTimer = null;
            x.ReceiveTimeout = null;
        }
    }
}
