namespace SocketIo.Actors.Kernel;

/// <summary>Delivers a task's outcome to an actor as a message (the safe way to use tasks inside actors).</summary>
public static class PipeToSupport
{
    /// <summary>
    /// When the task completes, tells <paramref name="recipient"/> its result (mapped by
    /// <paramref name="success"/>) or, when it faults, <see cref="Status.Failure"/> (or the result of
    /// <paramref name="failure"/>). The returned task completes after the message is sent.
    /// </summary>
    public static async Task PipeTo<T>(
        this Task<T> taskToPipe,
        ICanTell recipient,
        IActorRef? sender = null,
        Func<T, object>? success = null,
        Func<Exception, object>? failure = null)
    {
        ArgumentNullException.ThrowIfNull(taskToPipe);
        ArgumentNullException.ThrowIfNull(recipient);
        object message;
        try
        {
            var result = await taskToPipe.ConfigureAwait(false);
            message = success is not null ? success(result) : result!;
        }
        catch (Exception e)
        {
            message = failure is not null ? failure(e) : new Status.Failure(e);
        }

        recipient.Tell(message, sender);
    }

    /// <summary>
    /// When the task completes, tells <paramref name="recipient"/> the result of <paramref name="success"/>
    /// (nothing when it is null) or, when it faults, <see cref="Status.Failure"/> (or the result of <paramref name="failure"/>).
    /// </summary>
    public static async Task PipeTo(
        this Task taskToPipe,
        ICanTell recipient,
        IActorRef? sender = null,
        Func<object>? success = null,
        Func<Exception, object>? failure = null)
    {
        ArgumentNullException.ThrowIfNull(taskToPipe);
        ArgumentNullException.ThrowIfNull(recipient);
        try
        {
            await taskToPipe.ConfigureAwait(false);
        }
        catch (Exception e)
        {
            recipient.Tell(failure is not null ? failure(e) : new Status.Failure(e), sender);
            return;
        }

        if (success is not null)
        {
            recipient.Tell(success(), sender);
        }
    }
}
