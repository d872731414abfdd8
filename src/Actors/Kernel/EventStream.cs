using System.Collections.Concurrent;

namespace SocketIo.Actors.Kernel;

/// <summary>
/// Publish/subscribe by type within one system. A subscriber to a type receives every published
/// event assignable to it (base classes and interfaces included), once, with no sender. Local
/// actors are unsubscribed automatically when they stop. Thread-safe; <see cref="Publish"/> is
/// lock-free (subscriber lists are cached per event type).
/// </summary>
public sealed class EventStream
{
    private readonly object _gate = new();
    private volatile Subscription[] _subscriptions = [];
    private volatile ConcurrentDictionary<Type, IActorRef[]> _cache = new();

    /// <summary>Subscribes <paramref name="subscriber"/> to events assignable to <paramref name="channel"/>; false if already subscribed.</summary>
    public bool Subscribe(IActorRef subscriber, Type channel)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        ArgumentNullException.ThrowIfNull(channel);
        lock (_gate)
        {
            foreach (var s in _subscriptions)
            {
                if (s.Channel == channel && s.Subscriber.Equals(subscriber))
                {
                    return false;
                }
            }

            Update([.. _subscriptions, new Subscription(subscriber, channel)]);
            return true;
        }
    }

    /// <summary>Removes one subscription; false if there was none.</summary>
    public bool Unsubscribe(IActorRef subscriber, Type channel)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        ArgumentNullException.ThrowIfNull(channel);
        return Remove(s => s.Channel == channel && s.Subscriber.Equals(subscriber));
    }

    /// <summary>Removes every subscription of <paramref name="subscriber"/>; false if there was none.</summary>
    public bool Unsubscribe(IActorRef subscriber)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        return Remove(s => s.Subscriber.Equals(subscriber));
    }

    /// <summary>Tells <paramref name="event"/> to every subscriber of its type or of a base type or interface.</summary>
    public void Publish(object @event)
    {
        ArgumentNullException.ThrowIfNull(@event);
        var cache = _cache;
        if (!cache.TryGetValue(@event.GetType(), out var targets))
        {
            targets = cache.GetOrAdd(@event.GetType(), Resolve);
        }

        foreach (var target in targets)
        {
            target.Tell(@event, null);
        }
    }

    private IActorRef[] Resolve(Type eventType)
    {
        var result = new List<IActorRef>();
        foreach (var s in _subscriptions)
        {
            if (s.Channel.IsAssignableFrom(eventType) && !result.Contains(s.Subscriber))
            {
                result.Add(s.Subscriber);
            }
        }

        return [.. result];
    }

    private bool Remove(Func<Subscription, bool> match)
    {
        // Cheap lock-free check first: stopping actors call this whether or not they subscribed.
        if (!_subscriptions.Any(match))
        {
            return false;
        }

        lock (_gate)
        {
            var kept = _subscriptions.Where(s => !match(s)).ToArray();
            if (kept.Length == _subscriptions.Length)
            {
                return false;
            }

            Update(kept);
            return true;
        }
    }

    // Subscriptions first, then a fresh cache: a Publish that sees the new cache also sees them.
    private void Update(Subscription[] subscriptions)
    {
        _subscriptions = subscriptions;
        _cache = new ConcurrentDictionary<Type, IActorRef[]>();
    }

    private readonly record struct Subscription(IActorRef Subscriber, Type Channel);
}
