using Microsoft.Extensions.Logging;

namespace SocketIo.TestKit;

/// <summary>Settings of the <see cref="ActorSystem"/> an <see cref="ActorSpec"/> creates for each test.</summary>
public sealed record ActorSpecOptions
{
    /// <summary>System name (default "test").</summary>
    public string SystemName { get; init; } = "test";

    /// <summary>Timeout of expectations that do not pass one (default 3 s).</summary>
    public TimeSpan DefaultTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Logger factory of the system (default: no logging).</summary>
    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>Mailbox throughput (default 30).</summary>
    public int Throughput { get; init; } = 30;

    /// <summary>
    /// Use the real clock instead of <see cref="ManualTimeProvider"/>; then timers and ask timeouts
    /// run on wall time and <see cref="ActorSpec.Clock"/> is unused.
    /// </summary>
    public bool UseRealClock { get; init; }

    /// <summary>How long <see cref="ActorSpec.Dispose()"/> waits for the system to terminate (default 10 s).</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
