using BenchmarkDotNet.Running;
using SocketIo.Benchmarks.Actors;

namespace SocketIo.Benchmarks;

/// <summary>
/// Entry point. Custom modes first (<c>--idle-actors</c>, <c>--quick</c>), otherwise
/// BenchmarkDotNet's switcher over every benchmark class in this assembly, e.g.
/// <c>dotnet run -c Release --project tests/SocketIo.Benchmarks -- --filter '*Actors.*' --job short</c>.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Contains("--idle-actors"))
        {
            return IdleActorMemory.Run(args);
        }

        if (args.Contains("--quick"))
        {
            return QuickActorRun.Run();
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
