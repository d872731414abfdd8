using Newtonsoft.Json.Linq;

namespace SocketIo.Actors.Internal;

/// <summary>An acknowledgement a socket waits for, keyed by packet id in the socket's ack registry.</summary>
internal abstract class PendingAck
{
    /// <summary>The client answered with <paramref name="args"/>.</summary>
    public abstract void Complete(JArray args);

    /// <summary>The socket went away before the answer came.</summary>
    public abstract void Fail(Exception error);
}

/// <summary>The ack of one <c>Socket.EmitWithAck</c>: completes a task, optionally with a timeout.</summary>
internal sealed class SocketAck : PendingAck, IDisposable
{
    private readonly TaskCompletionSource<JArray> _tcs = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ITimer? _timer;

    public Task<JArray> Task => _tcs.Task;

    /// <summary>Starts the timeout; when it fires <paramref name="onTimeout"/> removes the registration and the task fails.</summary>
    public void StartTimeout(TimeProvider clock, TimeSpan timeout, Action onTimeout)
    {
        _timer = clock.CreateTimer(_ =>
        {
            onTimeout();
            _tcs.TrySetException(new AckTimeoutException());
        }, null, timeout, Timeout.InfiniteTimeSpan);
    }

    public override void Complete(JArray args)
    {
        Dispose();
        _tcs.TrySetResult(args);
    }

    public override void Fail(Exception error)
    {
        Dispose();
        _tcs.TrySetException(error);
    }

    public void Dispose() => _timer?.Dispose();
}

/// <summary>
/// Aggregates the answers of a broadcast with ack: every server reports how many sockets it wrote to,
/// every socket's first ack argument is collected, and the task completes when all have answered, or
/// fails with <see cref="AckTimeoutException"/> listing what came in time.
/// </summary>
internal sealed class BroadcastAckCollector : Adapters.IBroadcastAckSink, IDisposable
{
    private readonly object _gate = new();
    private readonly List<JToken?> _responses = [];
    private readonly TaskCompletionSource<JToken?[]> _tcs = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _expectedClients;
    private int _expectedServers;
    private int _reportedServers;
    private ITimer? _timer;

    public BroadcastAckCollector(int expectedServers) => _expectedServers = expectedServers;

    public Task<JToken?[]> Task => _tcs.Task;

    public void StartTimeout(TimeProvider clock, TimeSpan timeout) =>
        _timer = clock.CreateTimer(_ => TimedOut(), null, timeout, Timeout.InfiniteTimeSpan);

    /// <summary>One server wrote the packet to <paramref name="clients"/> sockets.</summary>
    public void ServerReported(int clients)
    {
        lock (_gate)
        {
            _expectedClients += clients;
            _reportedServers++;
            CheckComplete();
        }
    }

    /// <summary>A server that was expected will never report (it left the cluster).</summary>
    public void ServerLost()
    {
        lock (_gate)
        {
            _expectedServers--;
            CheckComplete();
        }
    }

    /// <summary>Clients counted in a report whose node was lost before they answered.</summary>
    public void ClientsLost(int clients)
    {
        lock (_gate)
        {
            _expectedClients -= clients;
            CheckComplete();
        }
    }

    /// <summary>Remote nodes whose report is awaited too (told by the cluster adapter before the local report).</summary>
    public void ExpectServers(int servers)
    {
        lock (_gate)
        {
            _expectedServers += servers;
            CheckComplete();
        }
    }

    /// <summary>A client on another node answered.</summary>
    public void ClientResponded(JToken? response) => Responded(response);

    /// <summary>Completes with <see cref="Task"/>.</summary>
    public System.Threading.Tasks.Task Completion => _tcs.Task;

    /// <summary>The ack registration handed to each socket: the first argument is the socket's response.</summary>
    public PendingAck CreateSocketAck() => new Member(this);

    private void Responded(JToken? response)
    {
        lock (_gate)
        {
            _responses.Add(response);
            CheckComplete();
        }
    }

    private void CheckComplete()
    {
        if (_reportedServers >= _expectedServers && _responses.Count >= _expectedClients && _tcs.TrySetResult([.. _responses]))
            Dispose();
    }

    private void TimedOut()
    {
        lock (_gate)
            _tcs.TrySetException(new AckTimeoutException(_expectedClients, [.. _responses]));
    }

    public void Dispose() => _timer?.Dispose();

    private sealed class Member(BroadcastAckCollector owner) : PendingAck
    {
        public override void Complete(JArray args) => owner.Responded(args.Count > 0 ? args[0] : null);

        // A socket that disconnects never answers: the broadcast waits for its timeout, as in socket.io.
        public override void Fail(Exception error)
        {
        }
    }
}
