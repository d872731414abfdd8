namespace SocketIo.Actors.Kernel;

/// <summary>Implement on an actor to get <see cref="Timers"/>; the kernel sets it before the constructor body runs.</summary>
public interface IWithTimers
{
    /// <summary>The actor's timers.</summary>
    ITimerScheduler Timers { get; set; }
}
