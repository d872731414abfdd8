namespace SocketIo.Actors.Kernel;

/// <summary>
/// Per-actor timers, driven by the system's <see cref="TimeProvider"/>. Starting a timer with a key
/// that is in use replaces it, and a message of the replaced timer that is already queued is not
/// delivered. All timers are cancelled when the actor stops or restarts. Use only from the actor.
/// </summary>
public interface ITimerScheduler
{
    /// <summary>Sends <paramref name="msg"/> to self once after <paramref name="timeout"/>.</summary>
    void StartSingleTimer(object key, object msg, TimeSpan timeout);

    /// <summary>Sends <paramref name="msg"/> to self every <paramref name="interval"/>.</summary>
    void StartPeriodicTimer(object key, object msg, TimeSpan interval);

    /// <summary>Sends <paramref name="msg"/> to self after <paramref name="initialDelay"/>, then every <paramref name="interval"/>.</summary>
    void StartPeriodicTimer(object key, object msg, TimeSpan initialDelay, TimeSpan interval);

    /// <summary>True while a timer with that key is pending (a fired single timer is no longer active).</summary>
    bool IsTimerActive(object key);

    /// <summary>Cancels the timer; its queued message, if any, is not delivered.</summary>
    void Cancel(object key);

    /// <summary>Cancels every timer of the actor.</summary>
    void CancelAll();

    /// <summary>The keys of the active timers.</summary>
    IReadOnlyCollection<object> ActiveTimers { get; }
}
