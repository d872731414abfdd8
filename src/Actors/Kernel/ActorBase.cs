using SocketIo.Actors.Kernel.Internal;

namespace SocketIo.Actors.Kernel;

/// <summary>
/// Base of every actor. The kernel creates instances through <see cref="Props"/> on the actor's
/// own mailbox; constructing one with <c>new</c> elsewhere throws <see cref="ActorInitializationException"/>.
/// An actor processes one message at a time, so its fields need no synchronisation.
/// </summary>
public abstract class ActorBase
{
    private readonly ActorCell _cell;

    /// <summary>Binds the instance to the cell being created and injects timers and stash.</summary>
    protected ActorBase()
    {
        _cell = ActorCell.Current ?? throw new ActorInitializationException(
            $"Actor {GetType().Name} must be created with ActorOf(Props), not with 'new'.");
        if (this is IWithTimers withTimers)
        {
            withTimers.Timers = _cell.GetOrCreateTimers();
        }

        if (this is IWithUnboundedStash withStash)
        {
            withStash.Stash = _cell.GetOrCreateStash();
        }
    }

    /// <summary>The context of the actor currently running on this thread; throws outside an actor.</summary>
    protected static IActorContext Context => ActorCell.Current ?? throw new NotSupportedException(
        "There is no active actor context; Context is valid only inside an actor's constructor, hooks and handlers.");

    /// <summary>This actor. Safe to capture (e.g. in a continuation or a closure passed elsewhere).</summary>
    protected IActorRef Self => _cell.Self;

    /// <summary>Sender of the message being processed; capture it in a local before any callback runs later.</summary>
    protected IActorRef Sender => _cell.Sender;

    internal ActorCell Cell => _cell;

    internal bool ReceiveInternal(object message) => Receive(message);

    internal void UnhandledInternal(object message) => Unhandled(message);

    internal void PreStartInternal() => PreStart();

    internal void PostStopInternal() => PostStop();

    internal void PreRestartInternal(Exception reason, object? message) => PreRestart(reason, message);

    internal void PostRestartInternal(Exception reason) => PostRestart(reason);

    internal SupervisorStrategy SupervisorStrategyInternal() => SupervisorStrategy();

    /// <summary>Handles a message; returns false when it was not handled (the kernel then calls <see cref="Unhandled"/>).</summary>
    protected abstract bool Receive(object message);

    /// <summary>
    /// Called for messages no behaviour handled: publishes <see cref="UnhandledMessage"/> on the
    /// event stream (logged at debug). An unhandled <see cref="Terminated"/> throws <see cref="DeathPactException"/>.
    /// </summary>
    protected virtual void Unhandled(object message)
    {
        if (message is Terminated terminated)
        {
            throw new DeathPactException($"Monitored actor {terminated.ActorRef.Path} terminated and {Self.Path} did not handle Terminated.");
        }

        _cell.PublishUnhandled(message);
    }

    /// <summary>Called on the mailbox before the first message (and by the default <see cref="PostRestart"/>).</summary>
    protected virtual void PreStart()
    {
    }

    /// <summary>Called once after the actor and all its children stopped; the last hook of an incarnation.</summary>
    protected virtual void PostStop()
    {
    }

    /// <summary>Called on the failed instance before it is replaced; by default stops all children and calls <see cref="PostStop"/>.</summary>
    protected virtual void PreRestart(Exception reason, object? message)
    {
        foreach (var child in Context.GetChildren())
        {
            Context.Stop(child);
        }

        PostStop();
    }

    /// <summary>Called on the fresh instance after a restart; by default calls <see cref="PreStart"/>.</summary>
    protected virtual void PostRestart(Exception reason) => PreStart();

    /// <summary>The strategy this actor applies to its failing children (default: <see cref="Kernel.SupervisorStrategy.DefaultStrategy"/>).</summary>
    protected virtual SupervisorStrategy SupervisorStrategy() => Kernel.SupervisorStrategy.DefaultStrategy;

    /// <summary>Sets or clears the receive timeout (see <see cref="IActorContext.SetReceiveTimeout"/>).</summary>
    protected void SetReceiveTimeout(TimeSpan? timeout) => _cell.SetReceiveTimeout(timeout);
}
