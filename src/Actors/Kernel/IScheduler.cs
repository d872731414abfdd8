namespace SocketIo.Actors.Kernel;

/// <summary>
/// Delayed and periodic sends on the system's <see cref="TimeProvider"/>. Inside actors prefer
/// <see cref="IWithTimers"/>, whose timers die with the actor.
/// </summary>
public interface IScheduler
{
    /// <summary>The scheduler's current time.</summary>
    DateTimeOffset Now { get; }

    /// <summary>Tells <paramref name="message"/> to <paramref name="receiver"/> once after <paramref name="delay"/>.</summary>
    ICancelable ScheduleTellOnceCancelable(TimeSpan delay, ICanTell receiver, object message, IActorRef? sender);

    /// <summary>Tells <paramref name="message"/> after <paramref name="initialDelay"/> and then every <paramref name="interval"/> until cancelled.</summary>
    ICancelable ScheduleTellRepeatedlyCancelable(TimeSpan initialDelay, TimeSpan interval, ICanTell receiver, object message, IActorRef? sender);
}
