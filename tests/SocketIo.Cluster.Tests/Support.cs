using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Xunit.Sdk;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace SocketIo.Cluster.Tests;

internal static class Eventually
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>Polls <paramref name="condition"/> until it holds or the timeout passes (then fails with <paramref name="what"/>).</summary>
    public static async Task Holds(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? Timeout);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new XunitException($"Timed out after {(timeout ?? Timeout).TotalSeconds:0.#}s waiting until {what}");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Retries <paramref name="action"/> until it stops throwing or the timeout passes (then rethrows the last failure).</summary>
    public static async Task Holds(Func<Task> action, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? Timeout);
        while (true)
        {
            try
            {
                await action();
                return;
            }
            catch (Exception ex) when (DateTime.UtcNow < deadline)
            {
                _ = ex;
                await Task.Delay(100);
            }
        }
    }

    /// <summary>Awaits <paramref name="task"/> with the standard timeout.</summary>
    public static async Task<T> Within<T>(Task<T> task, string what, TimeSpan? timeout = null)
    {
        var finished = await Task.WhenAny(task, Task.Delay(timeout ?? Timeout));
        if (finished != task)
        {
            throw new XunitException($"Timed out waiting for {what}");
        }

        return await task;
    }
}

/// <summary>Collects log entries of every node (event id, node's name, level, text).</summary>
public sealed record LogEntry(string Node, int EventId, LogLevel Level, string Text);

/// <summary>A logger factory that records entries of Information and above into a shared queue.</summary>
public sealed class CapturingLoggerFactory(string node, ConcurrentQueue<LogEntry> entries) : ILoggerFactory
{
    public void AddProvider(ILoggerProvider provider)
    {
    }

    public ILogger CreateLogger(string categoryName) => new Logger(node, entries);

    public void Dispose()
    {
    }

    private sealed class Logger(string node, ConcurrentQueue<LogEntry> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
                entries.Enqueue(new LogEntry(node, eventId.Id, logLevel, formatter(state, exception)));
        }
    }
}
