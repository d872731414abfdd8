namespace SocketIo.Actors.Kernel.Internal;

/// <summary>Failing (suspend and tell the parent) and supervising failed children.</summary>
internal sealed partial class ActorCell
{
    /// <summary>
    /// The actor threw: suspend user messages, drop the failing message (it is logged) and let the
    /// parent decide. A guardian has no parent, so it stops.
    /// </summary>
    private void Fail(Exception cause, object? failedMessage)
    {
        if ((_flags & (Terminating | Terminated)) != 0)
        {
            KernelLog.FailedWhileStopping(_system.KernelLogger, cause, _self.Path);
            return;
        }

        _flags |= Suspended;
        X.FailedMessage = failedMessage;
        KernelLog.ActorFailed(_system.KernelLogger, cause, _self.Path, failedMessage?.GetType());
        if (_parent is null)
        {
            HandleTerminate();
            return;
        }

        _parent.SendSystemMessage(new Failed(_self, cause));
    }

    private void HandleFailed(Failed failed)
    {
        if ((_flags & (Terminating | Terminated)) != 0 || !IsChild(failed.Child))
        {
            return;
        }

        var strategy = X.Strategy ??= _props.SupervisorStrategy ?? _actor?.SupervisorStrategyInternal() ?? SupervisorStrategy.DefaultStrategy;
        Directive directive;
        try
        {
            directive = strategy.Decide(failed.Cause);
        }
        catch (Exception e)
        {
            KernelLog.HookFailed(_system.KernelLogger, e, "SupervisorStrategy.Decide", _self.Path);
            directive = Directive.Escalate;
        }

        if (directive == Directive.Restart && !RestartAllowed(failed.Child, strategy))
        {
            KernelLog.RestartLimitReached(_system.KernelLogger, failed.Child.Path, strategy.MaxNumberOfRetries);
            directive = Directive.Stop;
        }

        KernelLog.Supervising(_system.KernelLogger, _self.Path, directive, failed.Child.Path, failed.Cause.GetType());
        switch (directive)
        {
            case Directive.Resume:
                failed.Child.SendSystemMessage(new Resume());
                break;
            case Directive.Restart:
                failed.Child.SendSystemMessage(new Recreate(failed.Cause));
                break;
            case Directive.Stop:
                Stop(failed.Child);
                break;
            default:
                Fail(failed.Cause, null);
                break;
        }
    }

    private bool RestartAllowed(IActorRef child, SupervisorStrategy strategy)
    {
        var max = strategy.MaxNumberOfRetries;
        if (max < 0)
        {
            return true;
        }

        if (max == 0)
        {
            return false;
        }

        var all = X.RestartStats ??= new Dictionary<IActorRef, RestartStats>();
        if (!all.TryGetValue(child, out var stats))
        {
            all[child] = stats = new RestartStats();
        }

        var clock = _system.TimeProvider;
        var now = clock.GetTimestamp();
        if (strategy.WithinTimeRange is { } window
            && (stats.Count == 0 || clock.GetElapsedTime(stats.WindowStart, now) > window))
        {
            stats.WindowStart = now;
            stats.Count = 0;
        }

        stats.Count++;
        return stats.Count <= max;
    }
}
