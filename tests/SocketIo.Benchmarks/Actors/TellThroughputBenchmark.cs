using Akka.Actor;
using BenchmarkDotNet.Attributes;

namespace SocketIo.Benchmarks.Actors;

/// <summary>One-way Tell from one thread into one actor; one operation = one message.</summary>
[MemoryDiagnoser]
public class TellThroughputBenchmark
{
    private const int Messages = 1_000_000;
    private readonly Countdown _countdown = new();
    private ActorSystem _system = null!;
    private IActorRef _actor = null!;

    [GlobalSetup]
    public void Setup()
    {
        _system = ActorSystem.Create("bench");
        _actor = _system.ActorOf(Props.Create(() => new CountingActor(_countdown)));
    }

    [GlobalCleanup]
    public void Cleanup() => _system.Terminate().Wait();

    [Benchmark(OperationsPerInvoke = Messages)]
    public void TellIntoOneActor()
    {
        _countdown.Reset(Messages);
        var actor = _actor;
        var tick = Tick.Instance;
        for (var i = 0; i < Messages; i++)
        {
            actor.Tell(tick, null);
        }

        _countdown.Wait();
    }
}
