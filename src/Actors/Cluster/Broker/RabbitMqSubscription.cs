using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using SocketIo.Actors.Cluster.Broker.Internal;

namespace SocketIo.Actors.Cluster.Broker;

/// <summary>One queue consumed on its own channel of a <see cref="RabbitMqBroker"/>'s connection.</summary>
internal sealed class RabbitMqSubscription : SubscriptionCore
{
    private const string SingleActiveConsumerArgument = "x-single-active-consumer";

    private readonly RabbitMqBroker _owner;
    private IChannel? _channel;
    private string? _consumerTag;

    public RabbitMqSubscription(RabbitMqBroker owner, QueueSpec queue, BrokerHandler handler, SerialEventQueue events)
        : base(queue, handler, owner.Name, owner.Logger, events)
    {
        _owner = owner;
    }

    public override Task ProbeAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        return _owner.PublishAsync(ProbeMessage(), mandatory: false, cancellationToken);
    }

    /// <summary>Opens the channel, declares and binds the queue, and starts consuming (manual acks).</summary>
    internal async Task StartAsync(IConnection connection, ushort prefetch, CancellationToken cancellationToken)
    {
        _channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        await _channel.BasicQosAsync(0, prefetch, global: false, cancellationToken).ConfigureAwait(false);
        var exclusive = Queue.Kind == QueueKind.Exclusive;
        var arguments = exclusive ? null : new Dictionary<string, object?> { [SingleActiveConsumerArgument] = true };

        // Exclusive queues are also auto-delete, so cancelling the consumer removes them just as
        // closing the connection does (the in-memory broker behaves the same).
        await _channel.QueueDeclareAsync(
            Queue.Name,
            durable: !exclusive && Queue.Durable,
            exclusive: exclusive,
            autoDelete: exclusive || Queue.AutoDelete,
            arguments: arguments,
            cancellationToken: cancellationToken).ConfigureAwait(false);
        foreach (var binding in Queue.Bindings)
        {
            await _channel.QueueBindAsync(Queue.Name, binding.Exchange, binding.BindingKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        var consumer = new AsyncEventingBasicConsumer(_channel);
        consumer.ReceivedAsync += OnReceivedAsync;
        _consumerTag = await _channel.BasicConsumeAsync(Queue.Name, autoAck: false, consumer, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Drops a half-started subscription.</summary>
    internal async Task AbortAsync()
    {
        if (_channel is { } channel)
        {
            _channel = null;
            await CloseQuietlyAsync(channel).ConfigureAwait(false);
        }
    }

    protected override async ValueTask DisposeCoreAsync()
    {
        _owner.Forget(this);
        if (_channel is not { } channel)
        {
            return;
        }

        if (channel.IsOpen && _consumerTag is { } tag)
        {
            try
            {
                // Cancel first so a single-active queue hands over to the next node at once.
                using var timeout = new CancellationTokenSource(_owner.OperationTimeout);
                await channel.BasicCancelAsync(tag, noWait: false, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Down or slow: closing the channel (or the connection being gone) cancels it anyway.
            }
        }

        await AbortAsync().ConfigureAwait(false);
    }

    private async Task OnReceivedAsync(object sender, BasicDeliverEventArgs args)
    {
        // The body buffer is only valid during this callback; handlers may keep the message.
        var message = new BrokerMessage(args.Exchange, args.RoutingKey, args.Body.ToArray())
        {
            Headers = RabbitMqBroker.ReadHeaders(args.BasicProperties.Headers),
            MessageId = args.BasicProperties.MessageId,
            ReplyTo = args.BasicProperties.ReplyTo,
            CorrelationId = args.BasicProperties.CorrelationId,
        };
        await DispatchAsync(new BrokerDelivery(message, Queue.Name, args.Redelivered), args.CancellationToken).ConfigureAwait(false);
        try
        {
            await ((AsyncEventingBasicConsumer)sender).Channel.BasicAckAsync(args.DeliveryTag, multiple: false, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // The channel went down while handling; the server redelivers the message.
            BrokerLog.AckFailed(Logger, BrokerName, Queue.Name, ex);
        }
    }

    private static async Task CloseQuietlyAsync(IChannel channel)
    {
        try
        {
            if (channel.IsOpen)
            {
                await channel.CloseAsync().ConfigureAwait(false);
            }
        }
        catch (Exception)
        {
            // Already closed by the server or the connection is down.
        }

        await channel.DisposeAsync().ConfigureAwait(false);
    }
}
