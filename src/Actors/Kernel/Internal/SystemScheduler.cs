namespace SocketIo.Actors.Kernel.Internal;

/// <summary><see cref="IScheduler"/> on the system's <see cref="TimeProvider"/>.</summary>
internal sealed class SystemScheduler(ActorSystem system) : IScheduler
{
    public DateTimeOffset Now => system.TimeProvider.GetUtcNow();

    public ICancelable ScheduleTellOnceCancelable(TimeSpan delay, ICanTell receiver, object message, IActorRef? sender) =>
        Schedule(delay, Timeout.InfiniteTimeSpan, receiver, message, sender);

    public ICancelable ScheduleTellRepeatedlyCancelable(TimeSpan initialDelay, TimeSpan interval, ICanTell receiver, object message, IActorRef? sender)
    {
        if (interval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(interval), "The interval must be positive.");
        }

        return Schedule(initialDelay, interval, receiver, message, sender);
    }

    private ScheduledTell Schedule(TimeSpan delay, TimeSpan period, ICanTell receiver, object message, IActorRef? sender)
    {
        ArgumentNullException.ThrowIfNull(receiver);
        ArgumentNullException.ThrowIfNull(message);
        var item = new ScheduledTell(system, receiver, message, sender, period != Timeout.InfiniteTimeSpan);
        item.Arm(delay < TimeSpan.Zero ? TimeSpan.Zero : delay, period);
        return item;
    }

    private sealed class ScheduledTell(ActorSystem system, ICanTell receiver, object message, IActorRef? sender, bool repeated) : ICancelable
    {
        private ITimer? _timer;
        private volatile bool _cancelled;

        public bool IsCancellationRequested => _cancelled;

        public void Arm(TimeSpan delay, TimeSpan period) =>
            _timer = system.TimeProvider.CreateTimer(static s => ((ScheduledTell)s!).Fire(), this, delay, period);

        public void Cancel()
        {
            _cancelled = true;
            _timer?.Dispose();
        }

        private void Fire()
        {
            if (_cancelled)
            {
                return;
            }

            try
            {
                receiver.Tell(message, sender);
            }
            catch (Exception e)
            {
                KernelLog.ScheduledTellFailed(system.KernelLogger, e, receiver.ToString() ?? "?");
            }

            if (!repeated)
            {
                _timer?.Dispose();
            }
        }
    }
}
