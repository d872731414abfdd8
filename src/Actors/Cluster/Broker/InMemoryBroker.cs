using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SocketIo.Actors.Cluster.Broker.Internal;

namespace SocketIo.Actors.Cluster.Broker;

/// <summary>
/// One node's in-process broker, connected to an <see cref="InMemoryBrokerHub"/> shared by all
/// simulated nodes of a test. Same semantics as <see cref="RabbitMqBroker"/>, including the
/// failure modes, which tests trigger with <see cref="SimulateConnectionLoss"/>,
/// <see cref="SimulateRecovery"/> and <see cref="Crash"/>.
/// </summary>
public sealed class InMemoryBroker : IBroker
{
    private readonly InMemoryBrokerHub _hub;
    private readonly SerialEventQueue _events = new();
    private readonly ConnectionStateMachine _state;
    private readonly object _gate = new();
    private readonly Dictionary<string, ExchangeSpec> _exchanges = new(StringComparer.Ordinal);
    private readonly List<InMemorySubscription> _subscriptions = [];
    private int _epoch;

    /// <summary>Creates a broker for node <paramref name="name"/> on <paramref name="hub"/>; call <see cref="StartAsync"/> next.</summary>
    public InMemoryBroker(InMemoryBrokerHub hub, string name, ILogger<InMemoryBroker>? logger = null)
    {
        _hub = hub;
        Name = name;
        Logger = logger ?? (ILogger)NullLogger.Instance;
        _state = new ConnectionStateMachine(name, Logger, _events, this);
        _state.Changed += (s, e) => ConnectionStateChanged?.Invoke(s, e);
    }

    /// <inheritdoc />
    public event EventHandler<BrokerConnectionStateChanged>? ConnectionStateChanged;

    /// <summary>The node name used in logs and metric tags.</summary>
    public string Name { get; }

    /// <inheritdoc />
    public BrokerConnectionState State => _state.State;

    internal ILogger Logger { get; }

    internal bool IsUp => _state.IsUp;

    /// <summary>Bumped on every simulated disconnect; deliveries that straddle a bump were not acknowledged.</summary>
    internal int Epoch => Volatile.Read(ref _epoch);

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(State == BrokerConnectionState.Closed, this);
        BrokerLog.Connecting(Logger, Name, "in-memory");
        _state.TransitionTo(BrokerConnectionState.Connected);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task DeclareExchangeAsync(ExchangeSpec exchange, CancellationToken cancellationToken = default)
    {
        EnsureUp();
        _hub.DeclareExchange(exchange);
        lock (_gate)
        {
            _exchanges[exchange.Name] = exchange;
        }

        BrokerLog.ExchangeDeclared(Logger, Name, exchange.Name, exchange.Kind);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task PublishAsync(BrokerMessage message, bool mandatory = false, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var tag = BrokerMetrics.BrokerTag(Name);
        try
        {
            EnsureUp();
            EnsureDeclared(message.Exchange);
            if (!_hub.Publish(message) && mandatory)
            {
                throw new BrokerUnroutableException(message.Exchange, message.RoutingKey);
            }
        }
        catch (BrokerException ex)
        {
            BrokerMetrics.PublishFailures.Add(1, tag);
            BrokerLog.PublishFailed(Logger, Name, message.Exchange, message.RoutingKey, ex.Message);
            return Task.FromException(ex);
        }

        BrokerMetrics.Published.Add(1, tag);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<IBrokerSubscription> SubscribeAsync(QueueSpec queue, BrokerHandler handler, CancellationToken cancellationToken = default)
    {
        EnsureUp();
        foreach (var binding in queue.Bindings)
        {
            EnsureDeclared(binding.Exchange);
        }

        var subscription = new InMemorySubscription(this, queue, handler, _events);
        lock (_gate)
        {
            if (_subscriptions.Any(s => s.Queue.Name == queue.Name))
            {
                throw new InvalidOperationException($"Queue '{queue.Name}' is already consumed by broker '{Name}'");
            }

            _hub.DeclareAndConsume(queue, this, subscription);
            _subscriptions.Add(subscription);
        }

        BrokerLog.Subscribed(Logger, Name, queue.Name, queue.Kind);
        if (queue.Kind == QueueKind.Exclusive)
        {
            subscription.SetActive(true);
        }

        return Task.FromResult<IBrokerSubscription>(subscription);
    }

    /// <summary>
    /// Test hook: the connection drops. Like RabbitMQ, the hub removes this node's consumers
    /// (single-active queues fail over) and deletes its exclusive queues; publishing fails with
    /// <see cref="BrokerUnavailableException"/> until <see cref="SimulateRecovery"/>.
    /// </summary>
    public void SimulateConnectionLoss()
    {
        BrokerLog.SimulatedConnectionLoss(Logger, Name);
        if (!_state.TransitionTo(BrokerConnectionState.ConnectionLost, "simulated connection loss"))
        {
            return;
        }

        Disconnect();
    }

    /// <summary>Test hook: reconnects and re-declares every exchange, queue, binding and consumer of this instance, as RabbitMQ's topology recovery does.</summary>
    public void SimulateRecovery()
    {
        if (State != BrokerConnectionState.ConnectionLost)
        {
            throw new InvalidOperationException($"Broker '{Name}' is {State}, not ConnectionLost");
        }

        lock (_gate)
        {
            foreach (var exchange in _exchanges.Values)
            {
                _hub.DeclareExchange(exchange);
            }

            foreach (var subscription in _subscriptions)
            {
                _hub.DeclareAndConsume(subscription.Queue, this, subscription);
            }
        }

        _state.TransitionTo(BrokerConnectionState.Recovered);
        lock (_gate)
        {
            foreach (var subscription in _subscriptions.Where(s => s.Queue.Kind == QueueKind.Exclusive))
            {
                subscription.SetActive(true);
            }
        }
    }

    /// <summary>Test hook: the node dies without any goodbye. Its consumers and exclusive queues vanish; a message it was handling is redelivered to the next consumer.</summary>
    public void Crash()
    {
        BrokerLog.SimulatedCrash(Logger, Name);
        if (_state.TransitionTo(BrokerConnectionState.Closed, "simulated crash"))
        {
            Disconnect();
        }
    }

    /// <summary>Graceful stop: cancels every subscription (single-active queues hand over), deletes exclusive queues, then Closed.</summary>
    public async ValueTask DisposeAsync()
    {
        if (State == BrokerConnectionState.Closed)
        {
            return;
        }

        InMemorySubscription[] subscriptions;
        lock (_gate)
        {
            subscriptions = [.. _subscriptions];
        }

        foreach (var subscription in subscriptions)
        {
            await subscription.DisposeAsync().ConfigureAwait(false);
        }

        _hub.Disconnect(this);
        _state.TransitionTo(BrokerConnectionState.Closed);
        await _events.DrainAsync().ConfigureAwait(false);
    }

    /// <summary>Called by a subscription being disposed: cancel it at the hub and forget it.</summary>
    internal void Forget(InMemorySubscription subscription)
    {
        lock (_gate)
        {
            _subscriptions.Remove(subscription);
        }

        _hub.Cancel(subscription);
    }

    private void Disconnect()
    {
        Interlocked.Increment(ref _epoch);
        _hub.Disconnect(this);
        InMemorySubscription[] subscriptions;
        lock (_gate)
        {
            subscriptions = [.. _subscriptions];
        }

        foreach (var subscription in subscriptions)
        {
            subscription.SetActive(false);
        }
    }

    private void EnsureUp()
    {
        switch (State)
        {
            case BrokerConnectionState.NotStarted:
                throw new InvalidOperationException($"Broker '{Name}' is not started");
            case BrokerConnectionState.Closed:
                throw new ObjectDisposedException(nameof(InMemoryBroker), $"Broker '{Name}' is closed");
            case BrokerConnectionState.ConnectionLost:
                throw new BrokerUnavailableException($"Broker '{Name}' is disconnected and reconnecting");
        }
    }

    private void EnsureDeclared(string exchange)
    {
        if (exchange.Length == 0)
        {
            return;
        }

        lock (_gate)
        {
            if (!_exchanges.ContainsKey(exchange))
            {
                throw new BrokerTopologyException($"Exchange '{exchange}' was not declared through broker '{Name}'");
            }
        }
    }
}
