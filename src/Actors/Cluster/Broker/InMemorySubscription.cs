using SocketIo.Actors.Cluster.Broker.Internal;

namespace SocketIo.Actors.Cluster.Broker;

/// <summary>A consumer registered with an <see cref="InMemoryBrokerHub"/> queue by one <see cref="InMemoryBroker"/>.</summary>
internal sealed class InMemorySubscription : SubscriptionCore
{
    private readonly InMemoryBroker _owner;

    public InMemorySubscription(InMemoryBroker owner, QueueSpec queue, BrokerHandler handler, SerialEventQueue events)
        : base(queue, handler, owner.Name, owner.Logger, events)
    {
        _owner = owner;
    }

    public InMemoryBroker Owner => _owner;

    public override Task ProbeAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        return _owner.PublishAsync(ProbeMessage(), mandatory: false, cancellationToken);
    }

    /// <summary>Runs the handler; returns false when the message was not acknowledged (this node went away before or during handling), so the hub re-queues it.</summary>
    internal async ValueTask<bool> DeliverAsync(BrokerDelivery delivery)
    {
        var epoch = _owner.Epoch;
        if (!_owner.IsUp || IsDisposed)
        {
            return false;
        }

        await DispatchAsync(delivery, CancellationToken.None).ConfigureAwait(false);

        // Acknowledged unless this node dropped (connection loss or crash) while handling it;
        // a graceful unsubscribe mid-handling still acknowledges, like BasicAck before close.
        return _owner.Epoch == epoch;
    }

    protected override ValueTask DisposeCoreAsync()
    {
        _owner.Forget(this);
        return ValueTask.CompletedTask;
    }
}
