using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using SocketIo.Actors.Adapters;
using SocketIo.Actors.Cluster.Adapter;

namespace SocketIo.Actors.Cluster.Internal;

/// <summary>
/// The cluster requests this node waits on. A request waits for the nodes that were live when it was sent;
/// a node that answers, leaves or dies stops being waited for (membership calls <see cref="NodeLost"/>), and
/// the request timeout bounds the rest, so no request hangs.
/// </summary>
internal sealed class RequestTracker(string node, TimeProvider clock, ILogger logger)
{
    private readonly ConcurrentDictionary<string, PendingRequest> _requests = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, PendingBroadcastAck> _acks = new(StringComparer.Ordinal);
    private long _seq;

    /// <summary>A new request id, unique across the cluster (node id + sequence).</summary>
    public string NextId() => node + ":" + Interlocked.Increment(ref _seq);

    /// <summary>Starts waiting for one answer from each of <paramref name="nodes"/>; completes with the answers, or fails with <see cref="ClusterRequestTimeoutException"/>.</summary>
    public PendingRequest Start(string id, string type, IReadOnlyCollection<string> nodes, TimeSpan timeout)
    {
        var request = new PendingRequest(id, type, nodes);
        if (request.IsDone) return request;
        _requests[id] = request;
        request.StartTimeout(clock, timeout, () =>
        {
            if (!_requests.TryRemove(id, out _)) return;
            var (answered, expected) = request.Progress;
            ClusterMetrics.RequestTimeouts.Add(1, ClusterMetrics.NodeTag(node));
            ClusterLog.RequestTimedOut(logger, type, id, answered, expected);
            request.TimedOut();
        });
        _ = request.Task.ContinueWith(_ => _requests.TryRemove(id, out var _), TaskScheduler.Default);
        return request;
    }

    /// <summary>An answer from <paramref name="from"/>; unknown or finished requests are ignored.</summary>
    public void Respond(string id, string from, object? payload)
    {
        if (_requests.TryGetValue(id, out var request)) request.Answer(from, payload);
    }

    /// <summary>Tracks the remote half of a broadcast with ack until its sink completes.</summary>
    public void TrackBroadcastAck(string id, IReadOnlyCollection<string> nodes, IBroadcastAckSink sink)
    {
        var pending = new PendingBroadcastAck(sink, nodes);
        _acks[id] = pending;
        _ = sink.Completion.ContinueWith(_ => _acks.TryRemove(id, out var _), TaskScheduler.Default);
    }

    public void ClientCount(string id, string from, int count)
    {
        if (_acks.TryGetValue(id, out var pending) && pending.Reported(from, count)) pending.Sink.ServerReported(count);
    }

    public void ClientResponded(string id, string from, Newtonsoft.Json.Linq.JToken? response)
    {
        if (_acks.TryGetValue(id, out var pending) && pending.Answered(from)) pending.Sink.ClientResponded(response);
    }

    /// <summary>The broadcast could not be published: no remote node will report, the local answers decide.</summary>
    public void AbandonBroadcastAck(string id, IReadOnlyCollection<string> nodes)
    {
        if (!_acks.TryGetValue(id, out var pending)) return;
        foreach (var lost in nodes)
            if (pending.Reported(lost, 0))
                pending.Sink.ServerLost();
    }

    /// <summary>A member left or died: nothing waits for it any more.</summary>
    public void NodeLost(string lost)
    {
        foreach (var request in _requests.Values) request.Lost(lost);
        foreach (var pending in _acks.Values)
            pending.Lost(lost);
    }

    /// <summary>Number of requests in flight (for specs and diagnostics).</summary>
    public int InFlight => _requests.Count + _acks.Count;

    /// <summary>
    /// The remote half of one broadcast with ack: which nodes have not reported yet, and for those that have, how
    /// many of their clients have not answered yet (so a node lost after its report stops being waited for too).
    /// A node reports its count from its namespace actor but each answer from the answering socket, so an answer can
    /// overtake its node's report: it counts at once and is subtracted from the report when that comes.
    /// </summary>
    private sealed class PendingBroadcastAck(IBroadcastAckSink sink, IReadOnlyCollection<string> nodes)
    {
        private readonly HashSet<string> _waiting = new(nodes, StringComparer.Ordinal);
        private readonly Dictionary<string, int> _unanswered = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int> _early = new(StringComparer.Ordinal);

        public IBroadcastAckSink Sink { get; } = sink;

        /// <summary>True the first time <paramref name="from"/> is crossed off (a report or a loss, never both).</summary>
        public bool Reported(string from, int clients)
        {
            lock (_waiting)
            {
                if (!_waiting.Remove(from)) return false;
                _early.Remove(from, out var answered);
                if (clients > answered) _unanswered[from] = clients - answered;
                return true;
            }
        }

        /// <summary>
        /// Whether an answer from a client of <paramref name="from"/> counts: before its node's report always (the
        /// report will include it), after it while the report's count lasts, never after its node was lost.
        /// </summary>
        public bool Answered(string from)
        {
            lock (_waiting)
            {
                if (_waiting.Contains(from))
                {
                    _early[from] = _early.GetValueOrDefault(from) + 1;
                    return true;
                }
                if (!_unanswered.TryGetValue(from, out var left)) return false;
                if (left <= 1) _unanswered.Remove(from);
                else _unanswered[from] = left - 1;
                return true;
            }
        }

        /// <summary>
        /// Node <paramref name="from"/> is gone: stop waiting for its report, or for its clients' answers. A node lost
        /// before its report whose answers overtook it counts as having reported those answers.
        /// </summary>
        public void Lost(string from)
        {
            int clients;
            int answered = 0;
            lock (_waiting)
            {
                if (_waiting.Remove(from))
                {
                    clients = -1;
                    _early.Remove(from, out answered);
                }
                else if (_unanswered.Remove(from, out var left))
                {
                    clients = left;
                }
                else
                {
                    return;
                }
            }
            if (clients >= 0) Sink.ClientsLost(clients);
            else if (answered > 0) Sink.ServerReported(answered);
            else Sink.ServerLost();
        }
    }
}

/// <summary>One request to other nodes and the answers gathered so far.</summary>
internal sealed class PendingRequest
{
    private readonly object _gate = new();
    private readonly HashSet<string> _waiting;
    private readonly List<object?> _answers = [];
    private readonly TaskCompletionSource<IReadOnlyList<object?>> _tcs = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly int _expected;
    private ITimer? _timer;

    public PendingRequest(string id, string type, IReadOnlyCollection<string> nodes)
    {
        Id = id;
        Type = type;
        _waiting = new HashSet<string>(nodes, StringComparer.Ordinal);
        _expected = _waiting.Count;
        if (_waiting.Count == 0) _tcs.TrySetResult([]);
    }

    public string Id { get; }

    public string Type { get; }

    /// <summary>The answers, one per node that answered; fails with <see cref="ClusterRequestTimeoutException"/> on timeout.</summary>
    public Task<IReadOnlyList<object?>> Task => _tcs.Task;

    public bool IsDone => _tcs.Task.IsCompleted;

    public (int Answered, int Expected) Progress
    {
        get
        {
            lock (_gate) return (_answers.Count, _expected);
        }
    }

    public void StartTimeout(TimeProvider clock, TimeSpan timeout, Action onTimeout) =>
        _timer = clock.CreateTimer(_ => onTimeout(), null, timeout, Timeout.InfiniteTimeSpan);

    public void Answer(string from, object? payload)
    {
        lock (_gate)
        {
            if (!_waiting.Remove(from)) return;
            _answers.Add(payload);
            CompleteIfDone();
        }
    }

    public void Lost(string node)
    {
        lock (_gate)
        {
            if (_waiting.Remove(node)) CompleteIfDone();
        }
    }

    public void TimedOut()
    {
        lock (_gate)
            _tcs.TrySetException(new ClusterRequestTimeoutException(Type, _answers.Count, _expected, [.. _answers]));
        _timer?.Dispose();
    }

    private void CompleteIfDone()
    {
        if (_waiting.Count > 0) return;
        _timer?.Dispose();
        _tcs.TrySetResult([.. _answers]);
    }
}
