namespace SocketIo.Actors.Kernel;

/// <summary>
/// Decides what happens to a child that threw. An actor supervises its children with
/// <see cref="ActorBase.SupervisorStrategy"/> (or the strategy set on its <see cref="Props"/>).
/// </summary>
public abstract class SupervisorStrategy
{
    /// <summary>
    /// Akka's default decider: initialization failures, <see cref="Kill"/> and death pacts stop the
    /// child; every other exception restarts it.
    /// </summary>
    public static Directive DefaultDecider(Exception exception) => exception switch
    {
        ActorInitializationException => Directive.Stop,
        ActorKilledException => Directive.Stop,
        DeathPactException => Directive.Stop,
        _ => Directive.Restart,
    };

    /// <summary>One-for-one with <see cref="DefaultDecider"/> and unlimited restarts.</summary>
    public static SupervisorStrategy DefaultStrategy { get; } = new OneForOneStrategy(DefaultDecider);

    /// <summary>One-for-one that stops every failing child.</summary>
    public static SupervisorStrategy StoppingStrategy { get; } = new OneForOneStrategy(_ => Directive.Stop);

    /// <summary>Maps a child's exception to a directive.</summary>
    public abstract Directive Decide(Exception exception);

    /// <summary>Restarts allowed within <see cref="WithinTimeRange"/>; negative means unlimited.</summary>
    public abstract int MaxNumberOfRetries { get; }

    /// <summary>The window in which <see cref="MaxNumberOfRetries"/> is counted; null means the child's lifetime.</summary>
    public abstract TimeSpan? WithinTimeRange { get; }
}
