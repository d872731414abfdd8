using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using SocketIo.Actors.Cluster.Broker;

namespace SocketIo.Actors.Cluster.Sharding.Internal;

/// <summary>
/// Publishes messages one at a time in the order they were enqueued, so messages that one sender
/// gave in order reach the broker (and their queue) in that order. While the broker reconnects a
/// message is retried for <c>retryTimeout</c>, then dropped and logged; later messages wait behind it.
/// </summary>
internal sealed class SerialPublisher : IAsyncDisposable
{
    private readonly Channel<BrokerMessage> _queue = Channel.CreateUnbounded<BrokerMessage>(new UnboundedChannelOptions { SingleReader = true });
    private readonly IBroker _broker;
    private readonly ILogger _logger;
    private readonly string _component;
    private readonly TimeSpan _retryTimeout;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public SerialPublisher(IBroker broker, ILogger logger, string component, TimeSpan retryTimeout)
    {
        _broker = broker;
        _logger = logger;
        _component = component;
        _retryTimeout = retryTimeout;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Queues <paramref name="message"/>; returns at once. After disposal the message is dropped and logged.</summary>
    public void Enqueue(BrokerMessage message)
    {
        if (!_queue.Writer.TryWrite(message))
        {
            Drop(message, "the publisher is stopped");
        }
    }

    /// <summary>Publishes what is queued (bounded by the retry timeout), then stops.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        if (await Task.WhenAny(_loop, Task.Delay(_retryTimeout + TimeSpan.FromSeconds(1))).ConfigureAwait(false) != _loop)
        {
            await _stop.CancelAsync().ConfigureAwait(false);
        }

        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        await foreach (var message in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            await PublishOneAsync(message).ConfigureAwait(false);
        }
    }

    private async Task PublishOneAsync(BrokerMessage message)
    {
        DateTime? failingSince = null;
        var delay = TimeSpan.FromMilliseconds(50);
        while (true)
        {
            try
            {
                await _broker.PublishAsync(message, mandatory: false, _stop.Token).ConfigureAwait(false);
                return;
            }
            catch (BrokerUnavailableException ex) when (!_stop.IsCancellationRequested)
            {
                failingSince ??= DateTime.UtcNow;
                if (DateTime.UtcNow - failingSince > _retryTimeout)
                {
                    Drop(message, ex.Message);
                    return;
                }

                if (delay == TimeSpan.FromMilliseconds(50))
                {
                    ShardingLog.PublishRetrying(_logger, _component, ex.Message);
                }

                try
                {
                    await Task.Delay(delay, _stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    Drop(message, "stopped while retrying");
                    return;
                }

                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(1).Ticks));
            }
            catch (Exception ex) when (ex is BrokerException or ObjectDisposedException or InvalidOperationException or OperationCanceledException)
            {
                Drop(message, ex.Message);
                return;
            }
        }
    }

    private void Drop(BrokerMessage message, string reason)
    {
        ShardingMetrics.MessagesDropped.Add(1, new KeyValuePair<string, object?>("component", _component));
        ShardingLog.PublishDropped(_logger, _component, message.Exchange, message.RoutingKey, reason);
    }
}
