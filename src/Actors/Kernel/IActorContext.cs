namespace SocketIo.Actors.Kernel;

/// <summary>
/// The actor's view of itself and the system. Valid only on the actor's own thread of control:
/// inside the constructor, lifecycle hooks and message handlers (including the continuations of a
/// <c>ReceiveAsync</c> handler). Obtain it with <see cref="ActorBase.Context"/>.
/// </summary>
public interface IActorContext
{
    /// <summary>This actor.</summary>
    IActorRef Self { get; }

    /// <summary>Sender of the message being processed; the dead-letters reference when there is none.</summary>
    IActorRef Sender { get; }

    /// <summary>The supervisor.</summary>
    IActorRef Parent { get; }

    /// <summary>The system the actor lives in.</summary>
    ActorSystem System { get; }

    /// <summary>The props the actor was created from.</summary>
    Props Props { get; }

    /// <summary>The current receive timeout, or null.</summary>
    TimeSpan? ReceiveTimeout { get; }

    /// <summary>Creates a child; throws <see cref="InvalidActorNameException"/> for a bad or duplicate name.</summary>
    IActorRef ActorOf(Props props, string? name = null);

    /// <summary>The child with that name, or <see cref="ActorRefs.Nobody"/>.</summary>
    IActorRef Child(string name);

    /// <summary>The live children (a snapshot).</summary>
    IEnumerable<IActorRef> GetChildren();

    /// <summary>Stops a child or this actor asynchronously (after the current message); its children stop first.</summary>
    void Stop(IActorRef actor);

    /// <summary>Delivers <see cref="Terminated"/> when <paramref name="subject"/> stops (at once when it is already dead).</summary>
    IActorRef Watch(IActorRef subject);

    /// <summary>Like <see cref="Watch"/> but delivers <paramref name="message"/> instead of <see cref="Terminated"/>.</summary>
    IActorRef WatchWith(IActorRef subject, object message);

    /// <summary>Stops watching; no termination message for <paramref name="subject"/> is delivered afterwards.</summary>
    IActorRef Unwatch(IActorRef subject);

    /// <summary>After <paramref name="timeout"/> without messages the actor receives <see cref="Kernel.ReceiveTimeout.Instance"/>; null turns it off.</summary>
    void SetReceiveTimeout(TimeSpan? timeout);

    /// <summary>Replaces the current behaviour.</summary>
    void Become(Receive receive);

    /// <summary>Pushes a behaviour; <see cref="UnbecomeStacked"/> returns to the previous one.</summary>
    void BecomeStacked(Receive receive);

    /// <summary>Pops the behaviour pushed last.</summary>
    void UnbecomeStacked();
}
