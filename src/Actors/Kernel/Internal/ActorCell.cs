namespace SocketIo.Actors.Kernel.Internal;

/// <summary>
/// The runtime of one actor: its mailbox, its current instance, children, watchers and
/// supervision. It is also the actor's <see cref="IActorContext"/>. All mutable state except the
/// queues and the children map is touched only by the thread currently running the mailbox.
/// Rarely used state lives in <see cref="CellExtras"/>, allocated on first use, so an idle actor
/// stays small.
/// </summary>
internal sealed partial class ActorCell : IActorContext
{
    // The actor whose mailbox runs on this thread. Set for the whole run of a mailbox batch
    // (including ReceiveAsync continuations, which run as system messages of that mailbox), so
    // Context and the implicit sender work without AsyncLocal.
    [ThreadStatic]
    private static ActorCell? t_current;

    private static long s_uid;

    private readonly ActorSystem _system;
    private readonly ActorCell? _parent;
    private readonly LocalActorRef _self;
    private readonly Props _props;
    private ActorBase? _actor;
    private object? _currentMessage;
    private IActorRef? _currentSender;
    private Dictionary<string, LocalActorRef>? _children;
    private CellExtras? _x;
    private long _nameCounter;
    private bool _childrenClosed;

    public ActorCell(ActorSystem system, Props props, ActorCell? parent, ActorPath path)
    {
        _system = system;
        _props = props;
        _parent = parent;
        _self = new LocalActorRef(this, path);
        _head = _tail = new MessageNode(null, null);
        _flags = NotStarted;
    }

    internal static ActorCell? Current => t_current;

    internal static long NewUid() => Interlocked.Increment(ref s_uid);

    public IActorRef Self => _self;

    internal LocalActorRef SelfRef => _self;

    public IActorRef Sender => _currentSender ?? _system.DeadLetters;

    internal IActorRef? SenderOrNull => _currentSender;

    internal object? CurrentMessage => _currentMessage;

    public IActorRef Parent => _parent?._self ?? ActorRefs.Nobody;

    public ActorSystem System => _system;

    internal ActorSystem SystemImpl => _system;

    public Props Props => _props;

    private CellExtras X => _x ??= new CellExtras();

    public override string ToString() => $"ActorCell({_self.Path})";

    internal void PublishUnhandled(object message)
    {
        KernelLog.Unhandled(_system.KernelLogger, message.GetType(), _self.Path, _currentSender?.Path);
        _system.EventStream.Publish(new UnhandledMessage(message, _currentSender, _self));
    }

    internal TimerScheduler GetOrCreateTimers() => X.Timers ??= new TimerScheduler(this);

    internal UnboundedStash GetOrCreateStash() => X.Stash ??= new UnboundedStash(this);

    // Runs one user message through auto-receive and the current behaviour.
    private void Invoke(object message, IActorRef? sender)
    {
        _currentMessage = message;
        _currentSender = sender;
        try
        {
            if (message is IAutoReceivedMessage)
            {
                AutoReceive(message);
            }
            else
            {
                ReceiveMessage(message);
            }
        }
        catch (Exception e)
        {
            Fail(e, message);
        }

        if (_x is { ReceiveTimeoutTimer: { } timer } x && message is not INotInfluenceReceiveTimeout)
        {
            timer.Change(x.ReceiveTimeout!.Value, Timeout.InfiniteTimeSpan);
        }
    }

    private void AutoReceive(object message)
    {
        switch (message)
        {
            case TimerScheduler.TimerMessage timer:
                if (_x?.Timers?.Accept(timer) == true)
                {
                    _currentMessage = timer.Message;
                    _currentSender = null;
                    ReceiveMessage(timer.Message);
                }

                break;
            case WatchedTerminated watched:
                if (_x?.Watching is { } watching && watching.Remove(watched.Actor))
                {
                    _currentMessage = watched.Message;
                    _currentSender = watched.Actor;
                    ReceiveMessage(watched.Message);
                }

                break;
            case PoisonPill:
                HandleTerminate();
                break;
            case Kill:
                throw new ActorKilledException("Kill");
            default:
                ReceiveMessage(message);
                break;
        }
    }

    private void ReceiveMessage(object message)
    {
        var actor = _actor!;
        var behaviors = _x?.Behaviors;
        var handled = behaviors is { Count: > 0 } ? behaviors[^1](message) : actor.ReceiveInternal(message);
        if (!handled)
        {
            actor.UnhandledInternal(message);
        }
    }

    public void Become(Receive receive)
    {
        ArgumentNullException.ThrowIfNull(receive);
        var behaviors = X.Behaviors ??= new List<Receive>();
        if (behaviors.Count == 0)
        {
            behaviors.Add(receive);
        }
        else
        {
            behaviors[^1] = receive;
        }
    }

    public void BecomeStacked(Receive receive)
    {
        ArgumentNullException.ThrowIfNull(receive);
        (X.Behaviors ??= new List<Receive>()).Add(receive);
    }

    public void UnbecomeStacked()
    {
        if (_x?.Behaviors is { Count: > 0 } behaviors)
        {
            behaviors.RemoveAt(behaviors.Count - 1);
        }
    }

    public TimeSpan? ReceiveTimeout => _x?.ReceiveTimeout;

    public void SetReceiveTimeout(TimeSpan? timeout)
    {
        if (timeout is null || timeout <= TimeSpan.Zero)
        {
            if (_x is { } x)
            {
                x.ReceiveTimeout = null;
                x.ReceiveTimeoutTimer?.Dispose();
                x.ReceiveTimeoutTimer = null;
            }

            return;
        }

        var extras = X;
        extras.ReceiveTimeout = timeout;
        if (extras.ReceiveTimeoutTimer is { } timer)
        {
            timer.Change(timeout.Value, Timeout.InfiniteTimeSpan);
        }
        else
        {
            extras.ReceiveTimeoutTimer = _system.TimeProvider.CreateTimer(
                static state => ((ActorCell)state!).Post(Kernel.ReceiveTimeout.Instance, null),
                this,
                timeout.Value,
                Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>A Terminated (or WatchWith message) queued as a user message; delivered only if still watching.</summary>
    internal sealed class WatchedTerminated(IActorRef actor, object message) : IAutoReceivedMessage
    {
        public IActorRef Actor { get; } = actor;

        public object Message { get; } = message;
    }

    /// <summary>State most actors never need; allocated on first use.</summary>
    private sealed class CellExtras
    {
        public List<Receive>? Behaviors;
        public TimeSpan? ReceiveTimeout;
        public ITimer? ReceiveTimeoutTimer;
        public TimerScheduler? Timers;
        public UnboundedStash? Stash;
        public List<Envelope>? Prepended;
        public int PrependedIndex;
        public Dictionary<IActorRef, object>? Watching;
        public HashSet<InternalActorRef>? WatchedBy;
        public HashSet<IActorRef>? StoppingChildren;
        public Dictionary<IActorRef, RestartStats>? RestartStats;
        public SupervisorStrategy? Strategy;
        public object? FailedMessage;
        public Exception? PendingRecreateCause;
        public ActorSynchronizationContext? SyncContext;
        public Task? PendingTask;
        public Action? OnPendingTaskCompleted;
    }

    private sealed class RestartStats
    {
        public int Count;
        public long WindowStart;
    }
}
