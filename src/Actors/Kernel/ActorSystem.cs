using Microsoft.Extensions.Logging;
using SocketIo.Actors.Kernel.Internal;

namespace SocketIo.Actors.Kernel;

/// <summary>
/// A hierarchy of actors under <c>akka://name/user</c> with its event stream, dead letters,
/// scheduler, clock and logger factory. Create one with <see cref="Create(string)"/>, stop it with
/// <see cref="Terminate"/>.
/// </summary>
public sealed class ActorSystem
{
    private readonly ActorCell _guardian;
    private readonly TaskCompletionSource _terminated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _deadLetterCount;
    private long _tempCounter;

    private ActorSystem(string name, ActorSystemOptions options)
    {
        if (options.Throughput < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "Throughput must be at least 1.");
        }

        Name = name;
        LoggerFactory = options.LoggerFactory;
        TimeProvider = options.TimeProvider;
        Throughput = options.Throughput;
        KernelLogger = LoggerFactory.CreateLogger("SocketIo.Actors.Kernel");
        RootPath = ActorPath.Root(name);
        TempPath = RootPath.Child("temp");
        EventStream = new EventStream();
        DeadLetters = new DeadLetterActorRef(this, RootPath.Child("deadLetters"));
        Scheduler = new SystemScheduler(this);
        _guardian = new ActorCell(this, Props.CreateBy(() => new GuardianActor()), null, RootPath.Child("user", ActorCell.NewUid()));
        _guardian.SendSystemMessage(new Create());
        KernelLog.SystemStarted(KernelLogger, name);
    }

    /// <summary>The system name, the host part of every path.</summary>
    public string Name { get; }

    /// <summary>Loggers for the kernel and for <c>Context.GetLogger()</c>.</summary>
    public ILoggerFactory LoggerFactory { get; }

    /// <summary>The clock of timers, receive timeouts, the scheduler and ask timeouts.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>User messages a mailbox processes per run.</summary>
    public int Throughput { get; }

    /// <summary>Publish/subscribe by message type; dead letters and unhandled messages are published here.</summary>
    public EventStream EventStream { get; }

    /// <summary>Messages told here, or to stopped actors, are counted, logged at debug and published as <see cref="DeadLetter"/>.</summary>
    public IActorRef DeadLetters { get; }

    /// <summary>Delayed and periodic sends on <see cref="TimeProvider"/>.</summary>
    public IScheduler Scheduler { get; }

    /// <summary>How many dead letters the system has seen.</summary>
    public long DeadLetterCount => Interlocked.Read(ref _deadLetterCount);

    /// <summary>Completes once <see cref="Terminate"/> has stopped every actor.</summary>
    public Task WhenTerminated => _terminated.Task;

    /// <summary>The <c>/user</c> guardian, parent of top-level actors.</summary>
    public IActorRef Guardian => _guardian.Self;

    internal ILogger KernelLogger { get; }

    internal ActorPath RootPath { get; }

    internal ActorPath TempPath { get; }

    /// <summary>Creates a system with default options (null logging, system clock, throughput 30).</summary>
    public static ActorSystem Create(string name) => Create(name, new ActorSystemOptions());

    /// <summary>Creates a system; <paramref name="name"/> may contain letters, digits, '-' and '_'.</summary>
    public static ActorSystem Create(string name, ActorSystemOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(options);
        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '-' && c != '_')
            {
                throw new ArgumentException($"Invalid actor system name [{name}].", nameof(name));
            }
        }

        return new ActorSystem(name, options);
    }

    /// <summary>Creates a top-level actor under <c>/user</c>; throws <see cref="InvalidActorNameException"/> for a bad or duplicate name.</summary>
    public IActorRef ActorOf(Props props, string? name = null) => _guardian.ActorOf(props, name);

    /// <summary>Creates a top-level actor of a type with a parameterless constructor.</summary>
    public IActorRef ActorOf<TActor>(string? name = null)
        where TActor : ActorBase, new()
        => _guardian.ActorOf(Props.Create<TActor>(), name);

    /// <summary>Stops an actor asynchronously (children first).</summary>
    public void Stop(IActorRef actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (actor is InternalActorRef target)
        {
            target.SendSystemMessage(new Terminate());
        }
    }

    /// <summary>Stops every actor, children before parents, then completes <see cref="WhenTerminated"/> (also returned).</summary>
    public Task Terminate()
    {
        KernelLog.SystemTerminating(KernelLogger, Name);
        _guardian.SendSystemMessage(new Terminate());
        return WhenTerminated;
    }

    /// <inheritdoc />
    public override string ToString() => RootPath.Address;

    internal ActorPath NewTempPath() => TempPath.Child("$" + Interlocked.Increment(ref _tempCounter).ToString(System.Globalization.CultureInfo.InvariantCulture));

    internal void RecordDeadLetter(object message, IActorRef? sender, IActorRef recipient)
    {
        Interlocked.Increment(ref _deadLetterCount);
        KernelLog.DeadLetter(KernelLogger, message.GetType(), recipient.Path, sender?.Path);
        if (message is not DeadLetter)
        {
            EventStream.Publish(new DeadLetter(message, sender, recipient));
        }
    }

    internal void OnGuardianTerminated()
    {
        KernelLog.SystemTerminated(KernelLogger, Name);
        _terminated.TrySetResult();
    }
}
