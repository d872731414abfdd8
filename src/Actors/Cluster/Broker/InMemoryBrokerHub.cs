using SocketIo.Actors.Cluster.Broker.Internal;

namespace SocketIo.Actors.Cluster.Broker;

/// <summary>
/// The "server" that several <see cref="InMemoryBroker"/> instances (one per simulated node) share:
/// exchanges, queues, bindings and consumers with RabbitMQ's semantics. One hub per test.
/// Thread-safe; every delivery runs on the thread pool, one at a time per queue, in queue order.
/// </summary>
public sealed class InMemoryBrokerHub
{
    private readonly object _gate = new();
    private readonly Dictionary<string, HubExchange> _exchanges = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HubQueue> _queues = new(StringComparer.Ordinal);

    /// <summary>Whether a queue with this name currently exists.</summary>
    public bool QueueExists(string queue)
    {
        lock (_gate)
        {
            return _queues.ContainsKey(queue);
        }
    }

    /// <summary>Messages waiting in <paramref name="queue"/> (0 when it does not exist).</summary>
    public int MessageCount(string queue)
    {
        lock (_gate)
        {
            return _queues.TryGetValue(queue, out var q) ? q.Messages.Count : 0;
        }
    }

    internal void DeclareExchange(ExchangeSpec spec)
    {
        if (spec.Name.Length == 0)
        {
            throw new BrokerTopologyException("The default exchange cannot be declared");
        }

        lock (_gate)
        {
            if (_exchanges.TryGetValue(spec.Name, out var existing))
            {
                if (existing.Spec != spec)
                {
                    throw new BrokerTopologyException($"Exchange '{spec.Name}' exists as {existing.Spec}; cannot redeclare as {spec}");
                }

                return;
            }

            _exchanges[spec.Name] = new HubExchange(spec);
        }
    }

    /// <summary>Declares the queue and its bindings and registers <paramref name="consumer"/> on it, atomically.</summary>
    internal void DeclareAndConsume(QueueSpec spec, InMemoryBroker owner, InMemorySubscription consumer)
    {
        lock (_gate)
        {
            foreach (var binding in spec.Bindings)
            {
                if (!_exchanges.ContainsKey(binding.Exchange))
                {
                    throw new BrokerTopologyException($"Cannot bind '{spec.Name}' to missing exchange '{binding.Exchange}'");
                }
            }

            if (_queues.TryGetValue(spec.Name, out var queue))
            {
                if (queue.Spec.Kind != spec.Kind || queue.Spec.Durable != spec.Durable || queue.Spec.AutoDelete != spec.AutoDelete)
                {
                    throw new BrokerTopologyException($"Queue '{spec.Name}' exists with other flags ({queue.Spec.Kind}, durable={queue.Spec.Durable}, autoDelete={queue.Spec.AutoDelete})");
                }

                if (spec.Kind == QueueKind.Exclusive && queue.ExclusiveOwner != owner)
                {
                    throw new BrokerTopologyException($"Queue '{spec.Name}' is exclusive to another node");
                }
            }
            else
            {
                queue = new HubQueue(spec, spec.Kind == QueueKind.Exclusive ? owner : null);
                _queues[spec.Name] = queue;
            }

            if (spec.Kind == QueueKind.Exclusive && queue.Consumers.Count > 0)
            {
                throw new BrokerTopologyException($"Exclusive queue '{spec.Name}' already has a consumer");
            }

            foreach (var binding in spec.Bindings)
            {
                var exchange = _exchanges[binding.Exchange];
                if (!exchange.Bindings.Any(b => b.Queue == spec.Name && b.Key == binding.BindingKey))
                {
                    exchange.Bindings.Add((spec.Name, binding.BindingKey));
                }
            }

            queue.Consumers.Add(consumer);
            KickLocked(queue);
        }
    }

    /// <summary>Routes <paramref name="message"/>; returns whether any queue took it.</summary>
    internal bool Publish(BrokerMessage message)
    {
        lock (_gate)
        {
            var targets = new List<HubQueue>();
            if (message.Exchange.Length == 0)
            {
                if (_queues.TryGetValue(message.RoutingKey, out var direct))
                {
                    targets.Add(direct);
                }
            }
            else
            {
                if (!_exchanges.TryGetValue(message.Exchange, out var exchange))
                {
                    throw new BrokerTopologyException($"Exchange '{message.Exchange}' does not exist");
                }

                foreach (var (queueName, key) in exchange.Bindings)
                {
                    if (TopicMatcher.Routes(exchange.Spec.Kind, key, message.RoutingKey) && _queues.TryGetValue(queueName, out var q) && !targets.Contains(q))
                    {
                        targets.Add(q);
                    }
                }
            }

            foreach (var queue in targets)
            {
                queue.Messages.AddLast(new Pending(message, Redelivered: false));
                KickLocked(queue);
            }

            return targets.Count > 0;
        }
    }

    /// <summary>Removes one consumer (cancel); an auto-delete queue without consumers goes too.</summary>
    internal void Cancel(InMemorySubscription consumer)
    {
        lock (_gate)
        {
            if (_queues.TryGetValue(consumer.Queue.Name, out var queue) && queue.Consumers.Remove(consumer))
            {
                if (queue.ExclusiveOwner is not null || (queue.Spec.AutoDelete && queue.Consumers.Count == 0))
                {
                    DeleteQueueLocked(queue);
                }
                else
                {
                    KickLocked(queue);
                }
            }
        }
    }

    /// <summary>
    /// What the server does when a node's connection goes away: its consumers are removed
    /// (single-active queues fail over to the next consumer) and its exclusive queues deleted.
    /// </summary>
    internal void Disconnect(InMemoryBroker owner)
    {
        lock (_gate)
        {
            foreach (var queue in _queues.Values.ToList())
            {
                if (queue.ExclusiveOwner == owner)
                {
                    DeleteQueueLocked(queue);
                    continue;
                }

                if (queue.Consumers.RemoveAll(c => c.Owner == owner) > 0)
                {
                    if (queue.Spec.AutoDelete && queue.Consumers.Count == 0)
                    {
                        DeleteQueueLocked(queue);
                    }
                    else
                    {
                        KickLocked(queue);
                    }
                }
            }
        }
    }

    private void DeleteQueueLocked(HubQueue queue)
    {
        _queues.Remove(queue.Spec.Name);
        queue.Deleted = true;
        queue.Consumers.Clear();
        queue.Messages.Clear();
        foreach (var exchange in _exchanges.Values)
        {
            exchange.Bindings.RemoveAll(b => b.Queue == queue.Spec.Name);
        }
    }

    private void KickLocked(HubQueue queue)
    {
        if (queue.Pumping || queue.Deleted || queue.Messages.Count == 0 || queue.Consumers.Count == 0)
        {
            return;
        }

        queue.Pumping = true;

        // Like a network hop: the publisher's ambient state (AsyncLocals, log scopes) stays behind.
        using (ExecutionContext.SuppressFlow())
        {
            _ = Task.Run(() => PumpAsync(queue));
        }
    }

    /// <summary>Delivers a queue's messages one at a time to its (first, i.e. active) consumer.</summary>
    private async Task PumpAsync(HubQueue queue)
    {
        while (true)
        {
            Pending pending;
            InMemorySubscription consumer;
            lock (_gate)
            {
                if (queue.Deleted || queue.Messages.Count == 0 || queue.Consumers.Count == 0)
                {
                    queue.Pumping = false;
                    return;
                }

                pending = queue.Messages.First!.Value;
                queue.Messages.RemoveFirst();
                consumer = queue.Consumers[0];
            }

            var acked = await consumer.DeliverAsync(new BrokerDelivery(pending.Message, queue.Spec.Name, pending.Redelivered)).ConfigureAwait(false);

            lock (_gate)
            {
                // Like an unacked message on a channel that closed: it goes back to the head of
                // the queue (for the next consumer, if this one is gone).
                if (!acked && !queue.Deleted)
                {
                    queue.Messages.AddFirst(pending with { Redelivered = true });
                }
            }
        }
    }

    private sealed class HubExchange(ExchangeSpec spec)
    {
        public ExchangeSpec Spec { get; } = spec;

        public List<(string Queue, string Key)> Bindings { get; } = [];
    }

    private sealed class HubQueue(QueueSpec spec, InMemoryBroker? exclusiveOwner)
    {
        public QueueSpec Spec { get; } = spec;

        public InMemoryBroker? ExclusiveOwner { get; } = exclusiveOwner;

        public List<InMemorySubscription> Consumers { get; } = [];

        public LinkedList<Pending> Messages { get; } = new();

        public bool Pumping { get; set; }

        public bool Deleted { get; set; }
    }

    private readonly record struct Pending(BrokerMessage Message, bool Redelivered);
}
