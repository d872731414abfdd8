using Microsoft.Extensions.Logging;

namespace SocketIo.Actors.Cluster.Broker.Internal;

/// <summary>Shared bookkeeping of a broker's connection state: transitions, logs, metrics, events.</summary>
internal sealed class ConnectionStateMachine(string brokerName, ILogger logger, SerialEventQueue events, object sender)
{
    private readonly object _gate = new();
    private BrokerConnectionState _state = BrokerConnectionState.NotStarted;

    public event EventHandler<BrokerConnectionStateChanged>? Changed;

    public BrokerConnectionState State
    {
        get
        {
            lock (_gate)
            {
                return _state;
            }
        }
    }

    public bool IsUp => State is BrokerConnectionState.Connected or BrokerConnectionState.Recovered;

    /// <summary>Moves to <paramref name="next"/> unless already there or closed; returns whether it moved.</summary>
    public bool TransitionTo(BrokerConnectionState next, string? reason = null)
    {
        BrokerConnectionState previous;
        lock (_gate)
        {
            previous = _state;
            if (previous == next || previous == BrokerConnectionState.Closed)
            {
                return false;
            }

            _state = next;
        }

        var tag = BrokerMetrics.BrokerTag(brokerName);
        BrokerMetrics.ConnectionStateChanges.Add(1, tag, new("state", next.ToString()));
        var wasUp = previous is BrokerConnectionState.Connected or BrokerConnectionState.Recovered;
        var isUp = next is BrokerConnectionState.Connected or BrokerConnectionState.Recovered;
        if (wasUp != isUp)
        {
            BrokerMetrics.Connected.Add(isUp ? 1 : -1, tag);
        }

        switch (next)
        {
            case BrokerConnectionState.Connected:
                BrokerLog.Connected(logger, brokerName);
                break;
            case BrokerConnectionState.ConnectionLost:
                BrokerLog.ConnectionLost(logger, brokerName, reason);
                break;
            case BrokerConnectionState.Recovered:
                BrokerLog.Recovered(logger, brokerName);
                break;
            case BrokerConnectionState.Closed:
                BrokerLog.Closed(logger, brokerName);
                break;
        }

        var args = new BrokerConnectionStateChanged(previous, next, reason);
        events.Post(() => Changed?.Invoke(sender, args));
        return true;
    }
}
