using System.Globalization;
using Akka.Actor;

namespace SocketIo.Benchmarks.Actors;

/// <summary>
/// <c>--idle-actors [count]</c>: creates <c>count</c> (default 100,000) idle top-level actors and
/// reports the managed heap growth per actor (GC.GetTotalMemory(true) before and after), which
/// includes the cell, reference, path, name, mailbox stub, actor instance, its handlers and the
/// guardian's children-map entry.
/// </summary>
internal static class IdleActorMemory
{
    public static int Run(string[] args)
    {
        var index = Array.IndexOf(args, "--idle-actors");
        var count = index + 1 < args.Length && int.TryParse(args[index + 1], CultureInfo.InvariantCulture, out var n) ? n : 100_000;
        var system = ActorSystem.Create("idle");
        var countdown = new Countdown();
        var refs = new IActorRef[count];

        // Warm up types and the thread pool so one-off allocations are not counted.
        var warm = system.ActorOf(Props.Create(() => new CountingActor(countdown)));
        countdown.Reset(1);
        warm.Tell(Tick.Instance, null);
        countdown.Wait();

        var before = GC.GetTotalMemory(true);
        for (var i = 0; i < count; i++)
        {
            refs[i] = system.ActorOf(Props.Create(() => new CountingActor(countdown)));
        }

        // Every actor processes one message, so all are constructed and idle afterwards.
        countdown.Reset(count);
        foreach (var actor in refs)
        {
            actor.Tell(Tick.Instance, null);
        }

        countdown.Wait();
        var after = GC.GetTotalMemory(true);
        var arrayBytes = (long)IntPtr.Size * count;
        var perActor = (after - before - arrayBytes) / (double)count;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Idle actors: {count:N0}; heap growth {(after - before) / 1024.0 / 1024.0:F1} MiB; {perActor:F0} bytes per idle actor (excluding the test's reference array)"));
        GC.KeepAlive(refs);
        system.Terminate().Wait();
        return perActor <= 2560 ? 0 : 1;
    }
}
