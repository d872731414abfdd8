using SocketIo.Actors.Kernel;
using SocketIo.TestKit.Internal;

namespace SocketIo.TestKit;

/// <summary>
/// A reference whose messages are queued so a test can expect them. Every <c>Expect*</c> blocks on
/// the queue up to its timeout (default <see cref="DefaultTimeout"/>, or the time left in the
/// enclosing <c>Within</c>) and fails the test with <see cref="Assert.Fail(string)"/> when the
/// expectation is not met. Create probes with <see cref="ActorSpec.CreateTestProbe"/>.
/// </summary>
public sealed class TestProbe
{
    private readonly ProbeActorRef _ref;
    private readonly TestKitContext _context;

    internal TestProbe(ActorSystem system, string name, TestKitContext context)
    {
        _context = context;
        _ref = new ProbeActorRef(system, system.Guardian.Path.Parent!.Child("system").Child(name, ActorCellUid.Next()));
        System = system;
    }

    /// <summary>The probe's reference; pass it to actors as a sender or a reply target.</summary>
    public IActorRef Ref => _ref;

    /// <summary>The system the probe belongs to.</summary>
    public ActorSystem System { get; }

    /// <summary>Sender of the last message taken by an expectation; <see cref="ActorRefs.Nobody"/> before any.</summary>
    public IActorRef LastSender { get; private set; } = ActorRefs.Nobody;

    /// <summary>The last message taken by an expectation, or null.</summary>
    public object? LastMessage { get; private set; }

    /// <summary>The timeout of expectations without an explicit one.</summary>
    public TimeSpan DefaultTimeout => _context.DefaultTimeout;

    /// <summary>True when a message is queued and not yet expected.</summary>
    public bool HasMessages => _ref.Queue.Count > 0;

    /// <summary>Sends <paramref name="message"/> to <paramref name="target"/> with the probe as sender.</summary>
    public void Tell(IActorRef target, object message)
    {
        ArgumentNullException.ThrowIfNull(target);
        target.Tell(message, _ref);
    }

    /// <summary>Sends <paramref name="message"/> to <see cref="LastSender"/> with the probe as sender.</summary>
    public void Reply(object message) => LastSender.Tell(message, _ref);

    /// <summary>Sends <see cref="LastMessage"/> to <paramref name="target"/> keeping <see cref="LastSender"/> as sender.</summary>
    public void Forward(IActorRef target)
    {
        ArgumentNullException.ThrowIfNull(target);
        target.Tell(LastMessage ?? throw new InvalidOperationException("No message received yet."), LastSender);
    }

    /// <summary>The probe receives <see cref="Terminated"/> when <paramref name="subject"/> stops (at once if it is dead).</summary>
    public IActorRef Watch(IActorRef subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        _ref.Watch(subject);
        return subject;
    }

    /// <summary>Stops watching <paramref name="subject"/>.</summary>
    public IActorRef Unwatch(IActorRef subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        _ref.Unwatch(subject);
        return subject;
    }

    /// <summary>Expects the next message to be a <typeparamref name="T"/> matching <paramref name="predicate"/>; returns it.</summary>
    public T ExpectMsg<T>(Predicate<T>? predicate = null, TimeSpan? timeout = null)
    {
        var message = Next(timeout, $"a message of type {typeof(T).Name}");
        if (message is not T typed)
        {
            Assert.Fail($"Expected a message of type {typeof(T).Name} but got {Describe(message)}.");
            throw new InvalidOperationException();
        }

        if (predicate is not null && !predicate(typed))
        {
            Assert.Fail($"Message {Describe(message)} does not match the predicate.");
        }

        return typed;
    }

    /// <summary>Expects the next message to equal <paramref name="expected"/> (by <see cref="object.Equals(object)"/>); returns it.</summary>
    public T ExpectMsg<T>(T expected, TimeSpan? timeout = null)
    {
        var message = Next(timeout, $"{expected}");
        if (message is not T typed || !EqualityComparer<T>.Default.Equals(typed, expected))
        {
            Assert.Fail($"Expected {expected} but got {Describe(message)}.");
            throw new InvalidOperationException();
        }

        return typed;
    }

    /// <summary>Like <see cref="ExpectMsg{T}(Predicate{T}, TimeSpan?)"/> and also checks the sender.</summary>
    public T ExpectMsgFrom<T>(IActorRef sender, Predicate<T>? predicate = null, TimeSpan? timeout = null)
    {
        var message = ExpectMsg(predicate, timeout);
        if (!sender.Equals(LastSender))
        {
            Assert.Fail($"Expected {Describe(message!)} from {sender} but it came from {LastSender}.");
        }

        return message;
    }

    /// <summary>Fails if any message arrives within <paramref name="duration"/> (this waits the full duration).</summary>
    public void ExpectNoMsg(TimeSpan duration)
    {
        if (_ref.Queue.TryTake(out var envelope, duration))
        {
            Take(envelope);
            Assert.Fail($"Expected no message for {duration} but got {Describe(envelope.Message)}.");
        }
    }

    /// <summary>Expects <see cref="Terminated"/> for <paramref name="target"/> (the probe must <see cref="Watch"/> it).</summary>
    public Terminated ExpectTerminated(IActorRef target, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        return ExpectMsg<Terminated>(t => t.ActorRef.Equals(target), timeout);
    }

    /// <summary>Skips messages until one satisfies <paramref name="isTheOne"/>; returns it.</summary>
    public object FishForMessage(Predicate<object> isTheOne, TimeSpan? timeout = null) => FishForMessage<object>(isTheOne, timeout);

    /// <summary>Skips messages until a <typeparamref name="T"/> satisfies <paramref name="isTheOne"/>; returns it.</summary>
    public T FishForMessage<T>(Predicate<T> isTheOne, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(isTheOne);
        var deadline = DateTime.UtcNow + _context.RemainingOrDefault(timeout);
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            var message = Next(left > TimeSpan.Zero ? left : TimeSpan.Zero, $"a {typeof(T).Name} matching the fishing predicate");
            if (message is T typed && isTheOne(typed))
            {
                return typed;
            }
        }
    }

    /// <summary>Takes the next <paramref name="count"/> messages, whatever they are, within one timeout.</summary>
    public IReadOnlyList<object> ReceiveN(int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + _context.RemainingOrDefault(timeout);
        var messages = new List<object>(count);
        while (messages.Count < count)
        {
            var left = deadline - DateTime.UtcNow;
            messages.Add(Next(left > TimeSpan.Zero ? left : TimeSpan.Zero, $"message {messages.Count + 1} of {count}"));
        }

        return messages;
    }

    /// <summary>Takes the next message of any type.</summary>
    public object ReceiveOne(TimeSpan? timeout = null) => Next(timeout, "a message");

    private object Next(TimeSpan? timeout, string what)
    {
        var wait = _context.RemainingOrDefault(timeout);
        if (!_ref.Queue.TryTake(out var envelope, wait))
        {
            Assert.Fail($"Timeout ({wait}) while waiting for {what} at {_ref.Path}.");
        }

        Take(envelope);
        return envelope.Message;
    }

    private void Take(ProbeEnvelope envelope)
    {
        LastMessage = envelope.Message;
        LastSender = envelope.Sender ?? System.DeadLetters;
    }

    private static string Describe(object message) => $"{message} ({message.GetType().Name})";
}
