namespace SocketIo.Actors.Cluster.Adapter;

/// <summary>
/// A cluster-wide request (fetchSockets, socketsJoin/Leave, disconnectSockets) did not get an answer from every
/// live node within the request timeout. Nodes that left or died while it was in flight are not waited for.
/// </summary>
public sealed class ClusterRequestTimeoutException : TimeoutException
{
    internal ClusterRequestTimeoutException(string request, int answered, int expected, IReadOnlyList<object?> answers)
        : base($"timeout reached: only {answered} of {expected} nodes answered {request}")
    {
        Answered = answered;
        Expected = expected;
        Answers = answers;
    }

    /// <summary>How many nodes answered in time.</summary>
    public int Answered { get; }

    /// <summary>How many live nodes the request waited for.</summary>
    public int Expected { get; }

    internal IReadOnlyList<object?> Answers { get; }
}
