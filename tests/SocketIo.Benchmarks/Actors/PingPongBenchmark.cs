using Akka.Actor;
using BenchmarkDotNet.Attributes;

namespace SocketIo.Benchmarks.Actors;

/// <summary>
/// Two actors bounce balls; one operation = one round trip (two messages). <see cref="InFlight"/>
/// balls travel at once: 1 measures pure hand-off latency between mailboxes, more measures
/// throughput when mailboxes have batches to process.
/// </summary>
[MemoryDiagnoser]
public class PingPongBenchmark
{
    private const int RoundTrips = 1_000_000;
    private readonly Countdown _countdown = new();
    private ActorSystem _system = null!;
    private IActorRef _ping = null!;
    private IActorRef _pong = null!;

    [Params(1, 100)]
    public int InFlight { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _system = ActorSystem.Create("bench");
        _ping = _system.ActorOf(Props.Create(() => new PingPongActor(_countdown)));
        _pong = _system.ActorOf(Props.Create(() => new PingPongActor(_countdown)));
    }

    [GlobalCleanup]
    public void Cleanup() => _system.Terminate().Wait();

    [Benchmark(OperationsPerInvoke = RoundTrips)]
    public void RoundTrip()
    {
        _countdown.Reset(InFlight);
        var hopsPerBall = 2 * (RoundTrips / InFlight);
        for (var i = 0; i < InFlight; i++)
        {
            _pong.Tell(new Ball(hopsPerBall), _ping);
        }

        _countdown.Wait();
    }
}
