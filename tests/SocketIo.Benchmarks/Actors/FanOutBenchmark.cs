using Akka.Actor;
using BenchmarkDotNet.Attributes;

namespace SocketIo.Benchmarks.Actors;

/// <summary>One sender tells one message to each of 10,000 actors, 10 rounds; one operation = one message.</summary>
[MemoryDiagnoser]
public class FanOutBenchmark
{
    private const int Actors = 10_000;
    private const int Rounds = 10;
    private readonly Countdown _countdown = new();
    private ActorSystem _system = null!;
    private IActorRef[] _actors = null!;

    [GlobalSetup]
    public void Setup()
    {
        _system = ActorSystem.Create("bench");
        _actors = new IActorRef[Actors];
        for (var i = 0; i < Actors; i++)
        {
            _actors[i] = _system.ActorOf(Props.Create(() => new CountingActor(_countdown)));
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _system.Terminate().Wait();

    [Benchmark(OperationsPerInvoke = Actors * Rounds)]
    public void TellToEachActor()
    {
        _countdown.Reset(Actors * Rounds);
        var tick = Tick.Instance;
        for (var round = 0; round < Rounds; round++)
        {
            foreach (var actor in _actors)
            {
                actor.Tell(tick, null);
            }
        }

        _countdown.Wait();
    }
}
