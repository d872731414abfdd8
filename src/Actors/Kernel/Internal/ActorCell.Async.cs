namespace SocketIo.Actors.Kernel.Internal;

/// <summary>
/// ReceiveAsync. The handler runs with an <see cref="ActorSynchronizationContext"/> installed, so
/// every <c>await</c> posts its continuation back to this mailbox as a system message; it then runs
/// with <c>Context</c> and <c>Sender</c> restored. User messages wait (the Awaiting flag) until the
/// handler's task completes; a faulted task fails the actor like a throwing handler.
/// </summary>
internal sealed partial class ActorCell
{
    internal void RunAsync<T>(Func<T, Task> handler, T message)
    {
        var x = X;
        var context = x.SyncContext ??= new ActorSynchronizationContext(this);
        var previous = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(context);
        try
        {
            var task = handler(message);
            if (task.IsCompleted)
            {
                task.GetAwaiter().GetResult();
                return;
            }

            _flags |= Awaiting;
            x.PendingTask = task;

            // Captures the actor context: the completion callback runs on this mailbox.
            task.GetAwaiter().UnsafeOnCompleted(x.OnPendingTaskCompleted ??= OnPendingTaskCompleted);
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }
    }

    private void OnPendingTaskCompleted()
    {
        if (_x is not { PendingTask: { IsCompleted: true } task } x)
        {
            return;
        }

        x.PendingTask = null;
        _flags &= ~Awaiting;
        if (!task.IsCompletedSuccessfully)
        {
            var cause = task.Exception?.InnerException ?? new TaskCanceledException(task);
            Fail(cause, _currentMessage);
        }
    }

    private void RunContinuationOnMailbox(RunContinuation continuation)
    {
        if ((_flags & Terminating) != 0)
        {
            return;
        }

        var previous = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(_x?.SyncContext);
        try
        {
            continuation.Callback(continuation.State);
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }
    }
}
