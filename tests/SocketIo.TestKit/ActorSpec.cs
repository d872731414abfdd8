using SocketIo.Actors.Kernel;
using SocketIo.TestKit.Internal;

namespace SocketIo.TestKit;

/// <summary>
/// Base class for actor specs (xunit creates one instance per test): a fresh <see cref="Sys"/>
/// driven by a <see cref="ManualTimeProvider"/> <see cref="Clock"/>, a default probe
/// (<see cref="TestActor"/>) whose expectations are exposed directly, and assertion helpers.
/// <see cref="Dispose()"/> terminates the system and fails the test if it does not stop in time.
/// </summary>
/// <example>
/// <code>
/// public sealed class EchoSpec : ActorSpec
/// {
///     [Fact]
///     public void Echo_replies_to_the_sender()
///     {
///         var echo = ActorOf(Props.Create(() => new EchoActor()));
///         echo.Tell("hi", TestActor);
///         ExpectMsg("hi");
///     }
/// }
/// </code>
/// </example>
public abstract class ActorSpec : IDisposable
{
    private readonly TestKitContext _context;
    private readonly ActorSpecOptions _options;
    private int _probeCounter;
    private bool _disposed;

    /// <summary>Creates the system with default options.</summary>
    protected ActorSpec()
        : this(new ActorSpecOptions())
    {
    }

    /// <summary>Creates the system with <paramref name="options"/>.</summary>
    protected ActorSpec(ActorSpecOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _context = new TestKitContext(options.DefaultTimeout);
        Clock = new ManualTimeProvider();
        var systemOptions = new ActorSystemOptions
        {
            TimeProvider = options.UseRealClock ? TimeProvider.System : Clock,
            Throughput = options.Throughput,
        };
        if (options.LoggerFactory is { } loggerFactory)
        {
            systemOptions = systemOptions with { LoggerFactory = loggerFactory };
        }

        Sys = ActorSystem.Create(options.SystemName, systemOptions);
        Probe = CreateTestProbe("testActor");
    }

    /// <summary>The system under test.</summary>
    public ActorSystem Sys { get; }

    /// <summary>The manual clock driving the system's timers (unless <see cref="ActorSpecOptions.UseRealClock"/>).</summary>
    public ManualTimeProvider Clock { get; }

    /// <summary>The default probe behind <see cref="TestActor"/> and the spec's <c>Expect*</c> methods.</summary>
    public TestProbe Probe { get; }

    /// <summary>Reference of the default probe: pass it as sender or reply target.</summary>
    public IActorRef TestActor => Probe.Ref;

    /// <summary>Sender of the last message the default probe took.</summary>
    public IActorRef LastSender => Probe.LastSender;

    /// <summary>Timeout of expectations without an explicit one.</summary>
    public TimeSpan DefaultTimeout => _context.DefaultTimeout;

    /// <summary>Creates another probe in <see cref="Sys"/>.</summary>
    public TestProbe CreateTestProbe(string? name = null) =>
        new(Sys, name ?? $"testProbe{Interlocked.Increment(ref _probeCounter)}", _context);

    /// <summary>Creates a top-level actor in <see cref="Sys"/>.</summary>
    public IActorRef ActorOf(Props props, string? name = null) => Sys.ActorOf(props, name);

    /// <summary>The default probe watches <paramref name="subject"/>; see <see cref="ExpectTerminated"/>.</summary>
    public IActorRef Watch(IActorRef subject) => Probe.Watch(subject);

    /// <summary>The default probe stops watching <paramref name="subject"/>.</summary>
    public IActorRef Unwatch(IActorRef subject) => Probe.Unwatch(subject);

    /// <inheritdoc cref="TestProbe.ExpectMsg{T}(Predicate{T}, TimeSpan?)"/>
    public T ExpectMsg<T>(Predicate<T>? predicate = null, TimeSpan? timeout = null) => Probe.ExpectMsg(predicate, timeout);

    /// <inheritdoc cref="TestProbe.ExpectMsg{T}(T, TimeSpan?)"/>
    public T ExpectMsg<T>(T expected, TimeSpan? timeout = null) => Probe.ExpectMsg(expected, timeout);

    /// <inheritdoc cref="TestProbe.ExpectMsgFrom{T}(IActorRef, Predicate{T}, TimeSpan?)"/>
    public T ExpectMsgFrom<T>(IActorRef sender, Predicate<T>? predicate = null, TimeSpan? timeout = null) =>
        Probe.ExpectMsgFrom(sender, predicate, timeout);

    /// <inheritdoc cref="TestProbe.ExpectNoMsg(TimeSpan)"/>
    public void ExpectNoMsg(TimeSpan duration) => Probe.ExpectNoMsg(duration);

    /// <inheritdoc cref="TestProbe.ExpectTerminated(IActorRef, TimeSpan?)"/>
    public Terminated ExpectTerminated(IActorRef target, TimeSpan? timeout = null) => Probe.ExpectTerminated(target, timeout);

    /// <inheritdoc cref="TestProbe.FishForMessage(Predicate{object}, TimeSpan?)"/>
    public object FishForMessage(Predicate<object> isTheOne, TimeSpan? timeout = null) => Probe.FishForMessage(isTheOne, timeout);

    /// <inheritdoc cref="TestProbe.FishForMessage{T}(Predicate{T}, TimeSpan?)"/>
    public T FishForMessage<T>(Predicate<T> isTheOne, TimeSpan? timeout = null) => Probe.FishForMessage(isTheOne, timeout);

    /// <inheritdoc cref="TestProbe.ReceiveN(int, TimeSpan?)"/>
    public IReadOnlyList<object> ReceiveN(int count, TimeSpan? timeout = null) => Probe.ReceiveN(count, timeout);

    /// <summary>
    /// Runs <paramref name="assertion"/> until it stops throwing, retrying every
    /// <paramref name="interval"/> (default 10 ms); rethrows its last failure after
    /// <paramref name="duration"/> (default: the remaining or default timeout).
    /// </summary>
    public void AwaitAssert(Action assertion, TimeSpan? duration = null, TimeSpan? interval = null)
    {
        ArgumentNullException.ThrowIfNull(assertion);
        var deadline = DateTime.UtcNow + _context.RemainingOrDefault(duration);
        var pause = interval ?? TimeSpan.FromMilliseconds(10);
        while (true)
        {
            try
            {
                assertion();
                return;
            }
            catch (Exception) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(pause);
            }
        }
    }

    /// <summary>Waits until <paramref name="condition"/> is true, polling every <paramref name="interval"/> (default 10 ms); fails after <paramref name="max"/>.</summary>
    public void AwaitCondition(Func<bool> condition, TimeSpan? max = null, TimeSpan? interval = null, string? message = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var wait = _context.RemainingOrDefault(max);
        var deadline = DateTime.UtcNow + wait;
        var pause = interval ?? TimeSpan.FromMilliseconds(10);
        while (!condition())
        {
            if (DateTime.UtcNow >= deadline)
            {
                Assert.Fail(message ?? $"Condition not met within {wait}.");
            }

            Thread.Sleep(pause);
        }
    }

    /// <summary>Runs <paramref name="action"/>, whose expectations default to the time left, and fails if it takes longer than <paramref name="max"/>.</summary>
    public void Within(TimeSpan max, Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        _context.Within(max, () =>
        {
            action();
            return true;
        });
    }

    /// <summary>Like <see cref="Within(TimeSpan, Action)"/>, returning the action's result.</summary>
    public T Within<T>(TimeSpan max, Func<T> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return _context.Within(max, action);
    }

    /// <summary>Terminates the system and waits for it.</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Terminates the system; fails when it does not stop within <see cref="ActorSpecOptions.ShutdownTimeout"/>.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (_disposed || !disposing)
        {
            return;
        }

        _disposed = true;
        if (!Sys.Terminate().Wait(_options.ShutdownTimeout))
        {
            Assert.Fail($"Actor system {Sys.Name} did not terminate within {_options.ShutdownTimeout}.");
        }
    }
}
