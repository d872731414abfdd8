namespace SocketIo.Actors.Kernel.Internal;

/// <summary>
/// <see cref="ITimerScheduler"/> of one actor. Each timer posts its own <see cref="TimerMessage"/>
/// (no allocation per tick); when it is dequeued it is delivered only if it is still the timer
/// registered under its key, which is how replaced or cancelled timers lose queued messages.
/// </summary>
internal sealed class TimerScheduler(ActorCell cell) : ITimerScheduler
{
    private readonly Dictionary<object, TimerMessage> _timers = new();

    public IReadOnlyCollection<object> ActiveTimers => _timers.Keys.ToArray();

    public void StartSingleTimer(object key, object msg, TimeSpan timeout) => Start(key, msg, timeout, Timeout.InfiniteTimeSpan);

    public void StartPeriodicTimer(object key, object msg, TimeSpan interval) => Start(key, msg, interval, interval);

    public void StartPeriodicTimer(object key, object msg, TimeSpan initialDelay, TimeSpan interval) => Start(key, msg, initialDelay, interval);

    public bool IsTimerActive(object key) => _timers.ContainsKey(key);

    public void Cancel(object key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (_timers.Remove(key, out var timer))
        {
            timer.Dispose();
        }
    }

    public void CancelAll()
    {
        foreach (var timer in _timers.Values)
        {
            timer.Dispose();
        }

        _timers.Clear();
    }

    /// <summary>True when the dequeued tick belongs to the live timer of its key; a fired single timer is removed.</summary>
    internal bool Accept(TimerMessage message)
    {
        if (!_timers.TryGetValue(message.Key, out var live) || !ReferenceEquals(live, message))
        {
            return false;
        }

        if (!message.IsPeriodic)
        {
            _timers.Remove(message.Key);
            message.Dispose();
        }

        return true;
    }

    private void Start(object key, object msg, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(msg);
        if (dueTime < TimeSpan.Zero)
        {
            dueTime = TimeSpan.Zero;
        }

        if (period != Timeout.InfiniteTimeSpan && period <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(period), "A periodic timer needs a positive interval.");
        }

        Cancel(key);
        var timer = new TimerMessage(cell, key, msg, period != Timeout.InfiniteTimeSpan);
        _timers[key] = timer;
        timer.Arm(cell.SystemImpl.TimeProvider, dueTime, period);
    }

    /// <summary>One timer and the tick it posts to the actor.</summary>
    internal sealed class TimerMessage(ActorCell cell, object key, object message, bool isPeriodic) : IAutoReceivedMessage, IDisposable
    {
        private ITimer? _timer;

        public object Key { get; } = key;

        public object Message { get; } = message;

        public bool IsPeriodic { get; } = isPeriodic;

        public void Arm(TimeProvider clock, TimeSpan dueTime, TimeSpan period) =>
            _timer = clock.CreateTimer(static state => ((TimerMessage)state!).Fire(), this, dueTime, period);

        public void Dispose() => _timer?.Dispose();

        private void Fire() => cell.Post(this, null);
    }
}
