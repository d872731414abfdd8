using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace SocketIo.Actors.Kernel;

/// <summary>Settings of an <see cref="ActorSystem"/>.</summary>
public sealed record ActorSystemOptions
{
    /// <summary>Source of every logger the kernel and <c>Context.GetLogger()</c> hand out.</summary>
    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;

    /// <summary>Clock for timers, receive timeouts, the scheduler and ask timeouts; tests pass a manual clock.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>How many user messages a mailbox processes per thread-pool run before yielding the thread.</summary>
    public int Throughput { get; init; } = 30;
}
