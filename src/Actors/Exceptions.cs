using Newtonsoft.Json.Linq;

namespace SocketIo.Actors;

/// <summary>
/// Thrown by a connection middleware to refuse a connection. The client receives a <c>connect_error</c>
/// with <see cref="Exception.Message"/> and, for protocol v5 clients, <see cref="Data"/>.
/// </summary>
public class ConnectionRefusedException(string message, object? data = null) : Exception(message)
{
    /// <summary>Extra detail sent to the client (<c>err.data</c> on the client).</summary>
    public new object? Data { get; } = data;
}

/// <summary>An acknowledgement did not arrive within the timeout ("operation has timed out").</summary>
public sealed class AckTimeoutException : TimeoutException
{
    public AckTimeoutException(int expected = 1, IReadOnlyList<JToken?>? responses = null)
        : base(expected == 1 && responses is null
            ? "operation has timed out"
            : $"operation has timed out ({responses?.Count ?? 0} of {expected} clients answered)")
    {
        Expected = expected;
        Responses = responses ?? [];
    }

    /// <summary>How many answers were expected.</summary>
    public int Expected { get; }

    /// <summary>The answers that did arrive in time (broadcast acks only).</summary>
    public IReadOnlyList<JToken?> Responses { get; }
}

/// <summary>The socket disconnected before the acknowledgement arrived.</summary>
public sealed class SocketDisconnectedException(string reason)
    : Exception($"socket has been disconnected ({reason})")
{
    public string Reason { get; } = reason;
}
