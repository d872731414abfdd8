using Microsoft.Extensions.Logging;

namespace SocketIo.Actors.Cluster.Broker.Internal;

/// <summary>
/// What both implementations' subscriptions share: the activity flag and its events, and turning
/// a raw delivery into a handler call (probes are swallowed, failures logged and counted).
/// </summary>
internal abstract class SubscriptionCore(QueueSpec queue, BrokerHandler handler, string brokerName, ILogger logger, SerialEventQueue events)
    : IBrokerSubscription
{
    private int _active;
    private int _disposed;

    public QueueSpec Queue { get; } = queue;

    public bool IsActive => Volatile.Read(ref _active) == 1;

    public event EventHandler<bool>? ActivityChanged;

    protected string BrokerName { get; } = brokerName;

    protected ILogger Logger { get; } = logger;

    protected bool IsDisposed => Volatile.Read(ref _disposed) == 1;

    public abstract Task ProbeAsync(CancellationToken cancellationToken = default);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        SetActive(false);
        await DisposeCoreAsync().ConfigureAwait(false);
        BrokerLog.Unsubscribed(Logger, BrokerName, Queue.Name);
    }

    protected abstract ValueTask DisposeCoreAsync();

    /// <summary>Records whether this node is the one the queue delivers to; logs and raises on change.</summary>
    internal void SetActive(bool active)
    {
        if (active && IsDisposed)
        {
            return;
        }

        var now = active ? 1 : 0;
        if (Interlocked.Exchange(ref _active, now) == now)
        {
            return;
        }

        if (Queue.Kind == QueueKind.SingleActiveConsumer)
        {
            BrokerMetrics.ActiveSubscriptions.Add(active ? 1 : -1, BrokerMetrics.BrokerTag(BrokerName));
            if (active)
            {
                BrokerLog.BecameActive(Logger, BrokerName, Queue.Name);
            }
            else
            {
                BrokerLog.BecameInactive(Logger, BrokerName, Queue.Name);
            }
        }

        events.Post(() => ActivityChanged?.Invoke(this, active));
    }

    /// <summary>Handles one delivery: a delivery proves activity; probes stop here; handler failures are logged and swallowed.</summary>
    internal async ValueTask DispatchAsync(BrokerDelivery delivery, CancellationToken cancellationToken)
    {
        if (IsDisposed)
        {
            return;
        }

        SetActive(true);
        if (delivery.Message.Headers.ContainsKey(BrokerHeaders.Probe))
        {
            return;
        }

        var tag = BrokerMetrics.BrokerTag(BrokerName);
        BrokerMetrics.Consumed.Add(1, tag);
        try
        {
            await handler(delivery, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            BrokerMetrics.HandlerFailures.Add(1, tag);
            BrokerLog.HandlerFailed(Logger, BrokerName, Queue.Name, delivery.Message.RoutingKey, ex);
        }
    }

    /// <summary>The probe message for this queue, sent through the default exchange.</summary>
    protected BrokerMessage ProbeMessage() =>
        new(string.Empty, Queue.Name, ReadOnlyMemory<byte>.Empty)
        {
            Headers = new Dictionary<string, string> { [BrokerHeaders.Probe] = BrokerName },
        };
}
