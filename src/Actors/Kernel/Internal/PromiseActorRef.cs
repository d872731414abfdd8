namespace SocketIo.Actors.Kernel.Internal;

/// <summary>
/// The temporary reference behind Ask: the first message told to it completes the task; no actor,
/// no mailbox. The timeout runs on the system clock of the target (or the real clock).
/// </summary>
internal sealed class PromiseActorRef<T> : MinimalActorRef
{
    private readonly TaskCompletionSource<T> _promise = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ActorSystem? _system;
    private ActorPath? _path;
    private ITimer? _timer;
    private CancellationTokenRegistration _registration;

    public PromiseActorRef(ActorSystem? system, ICanTell target, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        _system = system;
        if (timeout is { } t && t != global::System.Threading.Timeout.InfiniteTimeSpan)
        {
            if (t <= TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(nameof(timeout), "An ask timeout must be positive.");
            }

            var clock = system?.TimeProvider ?? TimeProvider.System;
            _timer = clock.CreateTimer(
                static s => ((PromiseActorRef<T>)s!).Expire(),
                this,
                t,
                global::System.Threading.Timeout.InfiniteTimeSpan);
            Target = target;
            AskTimeout = t;
        }
        else
        {
            Target = target;
        }

        if (cancellationToken.CanBeCanceled)
        {
            _registration = cancellationToken.Register(static s => ((PromiseActorRef<T>)s!).Cancel(), this);
        }
    }

    public Task<T> Task => _promise.Task;

    public override ActorPath Path => _path ??= _system?.NewTempPath() ?? ActorPath.Root("temp").Child("$ask", ActorCell.NewUid());

    internal override ActorSystem? System => _system;

    private ICanTell Target { get; }

    private TimeSpan? AskTimeout { get; }

    public override void Tell(object message, IActorRef? sender)
    {
        ArgumentNullException.ThrowIfNull(message);
        var completed = message switch
        {
            T reply => _promise.TrySetResult(reply),
            Status.Failure failure => _promise.TrySetException(failure.Cause),
            _ => _promise.TrySetException(new InvalidCastException(
                $"Ask expected a reply of type {typeof(T).Name} but got {message.GetType().Name}.")),
        };

        if (completed)
        {
            Cleanup();
        }
        else
        {
            _system?.RecordDeadLetter(message, sender, this);
        }
    }

    private void Expire()
    {
        if (_promise.TrySetException(new AskTimeoutException($"Ask to {Target} timed out after {AskTimeout}.")))
        {
            Cleanup();
        }
    }

    private void Cancel()
    {
        if (_promise.TrySetCanceled())
        {
            Cleanup();
        }
    }

    private void Cleanup()
    {
        _timer?.Dispose();
        _registration.Dispose();
    }
}
