using System.Diagnostics;

namespace SocketIo.TestKit.Internal;

/// <summary>Default timeout and the current <c>Within</c> deadline, shared by a spec and its probes.</summary>
internal sealed class TestKitContext(TimeSpan defaultTimeout)
{
    private long? _deadline;

    public TimeSpan DefaultTimeout { get; } = defaultTimeout;

    /// <summary>The explicit timeout, else the time left in the enclosing <c>Within</c>, else the default.</summary>
    public TimeSpan RemainingOrDefault(TimeSpan? timeout)
    {
        if (timeout is { } explicitTimeout)
        {
            return explicitTimeout;
        }

        if (_deadline is { } deadline)
        {
            var left = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), deadline);
            return left > TimeSpan.Zero ? left : TimeSpan.Zero;
        }

        return DefaultTimeout;
    }

    public T Within<T>(TimeSpan max, Func<T> action)
    {
        var start = Stopwatch.GetTimestamp();
        var previous = _deadline;
        var deadline = start + (long)(max.TotalSeconds * Stopwatch.Frequency);
        _deadline = previous is { } outer && outer < deadline ? outer : deadline;
        try
        {
            var result = action();
            var elapsed = Stopwatch.GetElapsedTime(start);
            if (elapsed > max)
            {
                Assert.Fail($"Within({max}) block took {elapsed}.");
            }

            return result;
        }
        finally
        {
            _deadline = previous;
        }
    }
}
