using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;
using SocketIo.Actors.Cluster.Broker.Internal;

namespace SocketIo.Actors.Cluster.Broker;

/// <summary>
/// <see cref="IBroker"/> on RabbitMQ through RabbitMQ.Client 7. One connection per node with the
/// client's automatic connection and topology recovery: after a loss it reconnects every
/// <see cref="RabbitMqBrokerOptions.NetworkRecoveryInterval"/> and re-declares the exchanges,
/// queues, bindings and consumers declared through it, then reports
/// <see cref="BrokerConnectionState.Recovered"/>.
/// </summary>
/// <remarks>
/// Publishing and declarations share one channel with publisher confirms (a publish completes
/// when the broker confirmed it; publishes of one node are serialized, which keeps their order).
/// While disconnected, publishing fails at once with <see cref="BrokerUnavailableException"/>;
/// nothing is buffered. Each subscription has its own channel, so a server-side error on one
/// queue never disturbs another, and deliveries of one queue are handled one at a time.
/// </remarks>
public sealed class RabbitMqBroker : IBroker
{
    private readonly RabbitMqBrokerOptions _options;
    private readonly ILogger _logger;
    private readonly SerialEventQueue _events = new();
    private readonly ConnectionStateMachine _state;
    private readonly SemaphoreSlim _channelLock = new(1, 1);
    private readonly object _gate = new();
    private readonly HashSet<string> _exchanges = new(StringComparer.Ordinal);
    private readonly List<RabbitMqSubscription> _subscriptions = [];
    private IConnection? _connection;
    private IChannel? _channel;

    /// <summary>Creates the broker; call <see cref="StartAsync"/> next.</summary>
    public RabbitMqBroker(RabbitMqBrokerOptions options, ILogger<RabbitMqBroker>? logger = null)
    {
        _options = options;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _state = new ConnectionStateMachine(Name, _logger, _events, this);
        _state.Changed += (s, e) => ConnectionStateChanged?.Invoke(s, e);
    }

    /// <inheritdoc />
    public event EventHandler<BrokerConnectionStateChanged>? ConnectionStateChanged;

    /// <summary>The connection name (node id) used in logs and metric tags.</summary>
    public string Name => _options.ConnectionName;

    /// <inheritdoc />
    public BrokerConnectionState State => _state.State;

    internal ILogger Logger => _logger;

    internal TimeSpan OperationTimeout => _options.OperationTimeout;

    internal bool IsUp => _state.IsUp;

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (State != BrokerConnectionState.NotStarted)
        {
            throw new InvalidOperationException($"Broker '{Name}' is {State}; it can be started once");
        }

        var endpoint = $"{_options.Uri.Host}:{_options.Uri.Port}";
        BrokerLog.Connecting(_logger, Name, endpoint);
        var factory = new ConnectionFactory
        {
            Uri = _options.Uri,
            ClientProvidedName = _options.ConnectionName,
            AutomaticRecoveryEnabled = true,
            TopologyRecoveryEnabled = true,
            NetworkRecoveryInterval = _options.NetworkRecoveryInterval,
            RequestedHeartbeat = _options.Heartbeat,
            RequestedConnectionTimeout = _options.OperationTimeout,
            ContinuationTimeout = _options.OperationTimeout,
        };

        try
        {
            _connection = await factory.CreateConnectionAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (BrokerUnreachableException ex)
        {
            BrokerLog.ConnectFailed(_logger, Name, endpoint, ex);
            throw new BrokerUnavailableException($"RabbitMQ at {endpoint} is unreachable: {ex.InnerException?.Message ?? ex.Message}", ex);
        }

        _connection.ConnectionShutdownAsync += OnConnectionShutdownAsync;
        _connection.RecoverySucceededAsync += OnRecoverySucceededAsync;
        _connection.ConnectionRecoveryErrorAsync += OnRecoveryErrorAsync;
        _channel = await CreatePublishChannelAsync(cancellationToken).ConfigureAwait(false);
        _state.TransitionTo(BrokerConnectionState.Connected);
    }

    /// <inheritdoc />
    public async Task DeclareExchangeAsync(ExchangeSpec exchange, CancellationToken cancellationToken = default)
    {
        await WithChannelAsync(
            $"declare exchange {exchange.Name}",
            (channel, ct) => channel.ExchangeDeclareAsync(exchange.Name, KindName(exchange.Kind), exchange.Durable, autoDelete: false, arguments: null, cancellationToken: ct),
            cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            _exchanges.Add(exchange.Name);
        }

        BrokerLog.ExchangeDeclared(_logger, Name, exchange.Name, exchange.Kind);
    }

    /// <inheritdoc />
    public async Task PublishAsync(BrokerMessage message, bool mandatory = false, CancellationToken cancellationToken = default)
    {
        var tag = BrokerMetrics.BrokerTag(Name);
        try
        {
            EnsureUp();
            EnsureDeclared(message.Exchange);
            var properties = new BasicProperties
            {
                MessageId = message.MessageId,
                ReplyTo = message.ReplyTo,
                CorrelationId = message.CorrelationId,
                DeliveryMode = DeliveryModes.Transient,
            };
            if (message.Headers.Count > 0)
            {
                properties.Headers = message.Headers.ToDictionary(h => h.Key, h => (object?)h.Value);
            }

            await WithChannelAsync(
                "publish",
                async (channel, ct) =>
                {
                    try
                    {
                        await channel.BasicPublishAsync(message.Exchange, message.RoutingKey, mandatory, properties, message.Body, ct).ConfigureAwait(false);
                    }
                    catch (PublishException ex) when (ex.IsReturn)
                    {
                        throw new BrokerUnroutableException(message.Exchange, message.RoutingKey);
                    }
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (BrokerException ex)
        {
            BrokerMetrics.PublishFailures.Add(1, tag);
            BrokerLog.PublishFailed(_logger, Name, message.Exchange, message.RoutingKey, ex.Message);
            throw;
        }

        BrokerMetrics.Published.Add(1, tag);
    }

    /// <inheritdoc />
    public async Task<IBrokerSubscription> SubscribeAsync(QueueSpec queue, BrokerHandler handler, CancellationToken cancellationToken = default)
    {
        EnsureUp();
        foreach (var binding in queue.Bindings)
        {
            EnsureDeclared(binding.Exchange);
        }

        lock (_gate)
        {
            if (_subscriptions.Any(s => s.Queue.Name == queue.Name))
            {
                throw new InvalidOperationException($"Queue '{queue.Name}' is already consumed by broker '{Name}'");
            }
        }

        var subscription = new RabbitMqSubscription(this, queue, handler, _events);
        try
        {
            await RunAsync($"subscribe to {queue.Name}", ct => subscription.StartAsync(_connection!, _options.PrefetchCount, ct), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await subscription.AbortAsync().ConfigureAwait(false);
            throw;
        }

        lock (_gate)
        {
            _subscriptions.Add(subscription);
        }

        BrokerLog.Subscribed(_logger, Name, queue.Name, queue.Kind);
        if (queue.Kind == QueueKind.Exclusive)
        {
            subscription.SetActive(true);
        }

        return subscription;
    }

    /// <summary>Cancels every subscription (single-active queues hand over at once), closes the connection (exclusive queues go), then Closed.</summary>
    public async ValueTask DisposeAsync()
    {
        if (State == BrokerConnectionState.Closed)
        {
            return;
        }

        RabbitMqSubscription[] subscriptions;
        lock (_gate)
        {
            subscriptions = [.. _subscriptions];
        }

        foreach (var subscription in subscriptions)
        {
            await subscription.DisposeAsync().ConfigureAwait(false);
        }

        _state.TransitionTo(BrokerConnectionState.Closed);
        if (_connection is { } connection)
        {
            connection.ConnectionShutdownAsync -= OnConnectionShutdownAsync;
            connection.RecoverySucceededAsync -= OnRecoverySucceededAsync;
            connection.ConnectionRecoveryErrorAsync -= OnRecoveryErrorAsync;
            try
            {
                await connection.CloseAsync(Constants.ReplySuccess, "node stopping", _options.OperationTimeout, abort: false).ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Closing a connection that is down (or recovering) may throw; either way it ends.
            }

            await connection.DisposeAsync().ConfigureAwait(false);
        }

        _channelLock.Dispose();
        await _events.DrainAsync().ConfigureAwait(false);
    }

    internal void Forget(RabbitMqSubscription subscription)
    {
        lock (_gate)
        {
            _subscriptions.Remove(subscription);
        }
    }

    /// <summary>
    /// Runs a broker operation with the operation timeout and maps client failures to the port's
    /// exceptions: down or timed out → unavailable; 404/405/406 from the server → topology.
    /// </summary>
    internal async Task RunAsync(string what, Func<CancellationToken, Task> operation, CancellationToken cancellationToken)
    {
        EnsureUp();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.OperationTimeout);
        try
        {
            await operation(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new BrokerUnavailableException($"RabbitMQ did not answer '{what}' within {_options.OperationTimeout.TotalSeconds:0.#}s");
        }
        catch (PublishException ex)
        {
            throw new BrokerException($"RabbitMQ refused '{what}' (nack)", ex);
        }
        catch (OperationInterruptedException ex) when (ex.ShutdownReason is { ReplyCode: Constants.NotFound or Constants.ResourceLocked or Constants.PreconditionFailed or Constants.AccessRefused })
        {
            throw new BrokerTopologyException($"RabbitMQ refused '{what}': {ex.ShutdownReason.ReplyText}", ex);
        }
        catch (Exception ex) when (ex is AlreadyClosedException or OperationInterruptedException or IOException or System.Net.Sockets.SocketException)
        {
            throw new BrokerUnavailableException($"RabbitMQ connection is down during '{what}': {ex.Message}", ex);
        }
    }

    private async Task WithChannelAsync(string what, Func<IChannel, CancellationToken, Task> operation, CancellationToken cancellationToken)
    {
        EnsureUp();
        if (!await _channelLock.WaitAsync(_options.OperationTimeout, cancellationToken).ConfigureAwait(false))
        {
            throw new BrokerUnavailableException($"RabbitMQ did not answer earlier operations; '{what}' timed out waiting for its turn");
        }

        try
        {
            await RunAsync(what, async ct =>
            {
                if (_channel is not { IsOpen: true })
                {
                    // The server closes a channel on errors such as a redeclaration with other
                    // flags; connection recovery does not reopen those, so open a fresh one.
                    var reason = _channel?.CloseReason?.ReplyText ?? "never opened";
                    if (_channel is not null)
                    {
                        BrokerLog.ChannelClosedByServer(_logger, Name, "publish", reason);
                        await _channel.DisposeAsync().ConfigureAwait(false);
                    }

                    _channel = await CreatePublishChannelAsync(ct).ConfigureAwait(false);
                }

                await operation(_channel, ct).ConfigureAwait(false);
            }, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _channelLock.Release();
        }
    }

    private Task<IChannel> CreatePublishChannelAsync(CancellationToken cancellationToken) =>
        _connection!.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), cancellationToken);

    private Task OnConnectionShutdownAsync(object sender, ShutdownEventArgs args)
    {
        if (args.Initiator != ShutdownInitiator.Application)
        {
            _state.TransitionTo(BrokerConnectionState.ConnectionLost, $"{args.ReplyCode} {args.ReplyText}");
            foreach (var subscription in Snapshot())
            {
                subscription.SetActive(false);
            }
        }

        return Task.CompletedTask;
    }

    private Task OnRecoverySucceededAsync(object sender, AsyncEventArgs args)
    {
        _state.TransitionTo(BrokerConnectionState.Recovered);
        foreach (var subscription in Snapshot().Where(s => s.Queue.Kind == QueueKind.Exclusive))
        {
            subscription.SetActive(true);
        }

        return Task.CompletedTask;
    }

    private Task OnRecoveryErrorAsync(object sender, ConnectionRecoveryErrorEventArgs args)
    {
        BrokerLog.RecoveryAttemptFailed(_logger, Name, args.Exception);
        return Task.CompletedTask;
    }

    private RabbitMqSubscription[] Snapshot()
    {
        lock (_gate)
        {
            return [.. _subscriptions];
        }
    }

    private void EnsureUp()
    {
        switch (State)
        {
            case BrokerConnectionState.NotStarted:
                throw new InvalidOperationException($"Broker '{Name}' is not started");
            case BrokerConnectionState.Closed:
                throw new ObjectDisposedException(nameof(RabbitMqBroker), $"Broker '{Name}' is closed");
            case BrokerConnectionState.ConnectionLost:
                throw new BrokerUnavailableException($"Broker '{Name}' lost its RabbitMQ connection and is reconnecting");
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
            if (!_exchanges.Contains(exchange))
            {
                throw new BrokerTopologyException($"Exchange '{exchange}' was not declared through broker '{Name}'");
            }
        }
    }

    internal static string KindName(ExchangeKind kind) => kind switch
    {
        ExchangeKind.Direct => ExchangeType.Direct,
        ExchangeKind.Fanout => ExchangeType.Fanout,
        _ => ExchangeType.Topic,
    };

    /// <summary>AMQP header values arrive as byte arrays for strings; everything else is formatted.</summary>
    internal static IReadOnlyDictionary<string, string> ReadHeaders(IDictionary<string, object?>? headers)
    {
        var result = new Dictionary<string, string>(headers?.Count ?? 0, StringComparer.Ordinal);
        if (headers is null)
        {
            return result;
        }

        foreach (var (key, value) in headers)
        {
            result[key] = value switch
            {
                byte[] bytes => Encoding.UTF8.GetString(bytes),
                null => string.Empty,
                _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty,
            };
        }

        return result;
    }
}
