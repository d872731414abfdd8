namespace SocketIo.Actors.Kernel.Internal;

/// <summary>
/// Messages of the kernel's own protocol. They travel on a separate lock-free stack per actor and
/// are processed before any user message. Each instance is an intrusive node: send it once.
/// </summary>
internal abstract class SystemMessage
{
    public SystemMessage? Next;
}

/// <summary>Construct the actor and call PreStart.</summary>
internal sealed class Create : SystemMessage;

/// <summary>Stop: children first, then PostStop, then notify parent and watchers.</summary>
internal sealed class Terminate : SystemMessage;

/// <summary>Resume a failed actor keeping its state.</summary>
internal sealed class Resume : SystemMessage;

/// <summary>Replace a failed actor by a fresh instance.</summary>
internal sealed class Recreate(Exception cause) : SystemMessage
{
    public Exception Cause { get; } = cause;
}

/// <summary>A child failed; the parent applies its supervisor strategy.</summary>
internal sealed class Failed(InternalActorRef child, Exception cause) : SystemMessage
{
    public InternalActorRef Child { get; } = child;

    public Exception Cause { get; } = cause;
}

/// <summary>Register <see cref="Watcher"/> for the death of the recipient.</summary>
internal sealed class Watch(InternalActorRef watcher) : SystemMessage
{
    public InternalActorRef Watcher { get; } = watcher;
}

/// <summary>Forget <see cref="Watcher"/>.</summary>
internal sealed class Unwatch(InternalActorRef watcher) : SystemMessage
{
    public InternalActorRef Watcher { get; } = watcher;
}

/// <summary>Sent to the parent and the watchers when an actor has stopped.</summary>
internal sealed class DeathWatchNotification(IActorRef actor) : SystemMessage
{
    public IActorRef Actor { get; } = actor;
}

/// <summary>A continuation of a ReceiveAsync handler, run on the actor's mailbox.</summary>
internal sealed class RunContinuation(SendOrPostCallback callback, object? state) : SystemMessage
{
    public SendOrPostCallback Callback { get; } = callback;

    public object? State { get; } = state;
}
