using Akka.Actor;

namespace SocketIo.Benchmarks.Actors;

/// <summary>Counts messages and completes <see cref="Done"/> after <c>expected</c> of them.</summary>
internal sealed class CountingActor : ReceiveActor
{
    public CountingActor(Countdown countdown) => Receive<Tick>(_ => countdown.Signal());
}

/// <summary>Answers every <see cref="Ball"/> by sending it back until its hits run out.</summary>
internal sealed class PingPongActor : ReceiveActor
{
    public PingPongActor(Countdown countdown) =>
        Receive<Ball>(ball =>
        {
            if (ball.Remaining == 0)
            {
                countdown.Signal();
                return;
            }

            Sender.Tell(ball.Next(), Self);
        });
}

/// <summary>A data-less message.</summary>
internal sealed class Tick
{
    public static readonly Tick Instance = new();
}

/// <summary>A ping-pong message; every hop allocates a new immutable ball.</summary>
internal sealed record Ball(int Remaining)
{
    public Ball Next() => new(Remaining - 1);
}

/// <summary>A countdown whose reset is cheap, waited on by the benchmark thread.</summary>
internal sealed class Countdown
{
    private readonly ManualResetEventSlim _done = new();
    private long _left;

    public void Reset(long count)
    {
        _done.Reset();
        Volatile.Write(ref _left, count);
    }

    public void Signal()
    {
        if (Interlocked.Decrement(ref _left) == 0)
        {
            _done.Set();
        }
    }

    public void Wait()
    {
        if (!_done.Wait(TimeSpan.FromMinutes(1)))
        {
            throw new TimeoutException($"Benchmark stalled with {Volatile.Read(ref _left)} messages outstanding.");
        }
    }
}
