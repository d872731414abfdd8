using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace SocketIo.Actors.Tests.Server;

/// <summary>Captures every log entry (all levels enabled) so specs can assert what the server logged.</summary>
public sealed class RecordingLoggerFactory : ILoggerFactory
{
    public ConcurrentQueue<Entry> Entries { get; } = new();

    /// <summary>Raised after each entry is recorded, on the logging thread.</summary>
    public event Action<Entry>? Logged;

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    public sealed record Entry(string Category, LogLevel Level, int EventId, string Message, Exception? Exception);

    private sealed class Logger(RecordingLoggerFactory owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var entry = new Entry(category, logLevel, eventId.Id, formatter(state, exception), exception);
            owner.Entries.Enqueue(entry);
            owner.Logged?.Invoke(entry);
        }
    }
}
