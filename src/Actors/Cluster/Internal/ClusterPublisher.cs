using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using SocketIo.Actors.Cluster.Broker;

namespace SocketIo.Actors.Cluster.Internal;

/// <summary>
/// Publishes this node's cluster messages one after the other, off the caller's thread (a namespace actor
/// never waits for the broker), so other nodes receive them in the order they were enqueued. While the broker
/// is unreachable messages fail fast and are dropped (counted, logged once per outage): nothing is buffered,
/// local work goes on. A full queue drops as well.
/// </summary>
internal sealed class ClusterPublisher : IAsyncDisposable
{
    private readonly IBroker _broker;
    private readonly string _node;
    private readonly ILogger _logger;
    private readonly Channel<Item> _queue;
    private readonly Task _loop;
    private int _outageLogged;

    private readonly record struct Item(BrokerMessage Message, EnvelopeType Type, TaskCompletionSource? Done);

    public ClusterPublisher(IBroker broker, string node, ILogger logger, int capacity = 65_536)
    {
        _broker = broker;
        _node = node;
        _logger = logger;
        _queue = Channel.CreateBounded<Item>(new BoundedChannelOptions(capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Queues a message; never blocks. Returns false when it was dropped at once (broker down, queue full, closed).</summary>
    public bool Enqueue(BrokerMessage message, EnvelopeType type) => Enqueue(new Item(message, type, null));

    /// <summary>Queues a message and completes when the broker took it (or faults when it could not).</summary>
    public Task PublishAsync(BrokerMessage message, EnvelopeType type)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!Enqueue(new Item(message, type, done)))
            done.TrySetException(new BrokerUnavailableException($"node {_node} could not publish {type} to the cluster"));
        return done.Task;
    }

    /// <summary>The broker is back: the next outage is logged again.</summary>
    public void Recovered() => Volatile.Write(ref _outageLogged, 0);

    private bool Enqueue(Item item)
    {
        if (_broker.State is BrokerConnectionState.ConnectionLost or BrokerConnectionState.Closed or BrokerConnectionState.NotStarted)
        {
            Failed(item.Type, "the broker is not connected");
            return false;
        }
        if (_queue.Writer.TryWrite(item)) return true;
        ClusterMetrics.PublishFailures.Add(1, ClusterMetrics.NodeTag(_node));
        ClusterLog.PublishQueueFull(_logger, _node, item.Type.ToString());
        return false;
    }

    private async Task RunAsync()
    {
        await foreach (var item in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                await _broker.PublishAsync(item.Message).ConfigureAwait(false);
                ClusterMetrics.Published.Add(1, ClusterMetrics.NodeTag(_node));
                item.Done?.TrySetResult();
            }
            catch (Exception e)
            {
                // Broker down, closed or confirmation timeout: the message is lost for the cluster, never for local clients.
                Failed(item.Type, e.Message);
                item.Done?.TrySetException(e);
            }
        }
    }

    private void Failed(EnvelopeType type, string reason)
    {
        ClusterMetrics.PublishFailures.Add(1, ClusterMetrics.NodeTag(_node));
        if (Interlocked.Exchange(ref _outageLogged, 1) == 0)
            ClusterLog.PublishFailed(_logger, _node, type.ToString(), reason);
    }

    /// <summary>Publishes what is queued (bounded by the broker's own timeouts), then stops.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Task.WhenAny(_loop, Task.Delay(TimeSpan.FromSeconds(5))).ConfigureAwait(false);
    }
}
