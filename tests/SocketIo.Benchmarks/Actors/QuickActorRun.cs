using System.Diagnostics;
using System.Globalization;
using Akka.Actor;

namespace SocketIo.Benchmarks.Actors;

/// <summary><c>--quick</c>: a few-second Stopwatch sanity run of the actor benchmarks (Akka.NET) (not a substitute for BenchmarkDotNet).</summary>
internal static class QuickActorRun
{
    public static int Run()
    {
        Measure("tell into one actor (msg/s)", 3, () =>
        {
            var bench = new TellThroughputBenchmark();
            bench.Setup();
            return (() => bench.TellIntoOneActor(), 1_000_000, bench.Cleanup);
        });
        foreach (var inFlight in new[] { 1, 100 })
        {
            Measure($"ping-pong in flight {inFlight} (round trips/s)", 3, () =>
            {
                var bench = new PingPongBenchmark { InFlight = inFlight };
                bench.Setup();
                return (() => bench.RoundTrip(), 1_000_000, bench.Cleanup);
            });
        }

        Measure("fan-out to 10,000 actors (msg/s)", 3, () =>
        {
            var bench = new FanOutBenchmark();
            bench.Setup();
            return (() => bench.TellToEachActor(), 100_000, bench.Cleanup);
        });
        return 0;
    }

    private static void Measure(string name, int runs, Func<(Action Run, int Operations, Action Cleanup)> setup)
    {
        var (run, operations, cleanup) = setup();
        run();
        var best = 0.0;
        for (var i = 0; i < runs; i++)
        {
            var sw = Stopwatch.StartNew();
            run();
            best = Math.Max(best, operations / sw.Elapsed.TotalSeconds);
        }

        cleanup();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-45} {best / 1e6,8:F2} M"));
    }
}
