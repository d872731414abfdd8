using System.Diagnostics.Metrics;
using SocketIo.Actors.Cluster.Internal;

namespace SocketIo.Actors.Cluster.Broker.Internal;

/// <summary>The broker layer's instruments on the "SocketIo.Cluster" meter; every instrument is tagged with the broker instance name.</summary>
internal static class BrokerMetrics
{
    private static Meter Meter => ClusterMeter.Meter;

    /// <summary>Messages the broker confirmed.</summary>
    public static readonly Counter<long> Published = Meter.CreateCounter<long>("socketio.cluster.broker.published", "{message}", "Messages published and confirmed");

    /// <summary>Publishes that failed (unavailable, unroutable, timed out).</summary>
    public static readonly Counter<long> PublishFailures = Meter.CreateCounter<long>("socketio.cluster.broker.publish_failures", "{message}", "Publishes that failed");

    /// <summary>Deliveries handed to handlers (probes excluded).</summary>
    public static readonly Counter<long> Consumed = Meter.CreateCounter<long>("socketio.cluster.broker.consumed", "{message}", "Messages consumed");

    /// <summary>Handlers that threw.</summary>
    public static readonly Counter<long> HandlerFailures = Meter.CreateCounter<long>("socketio.cluster.broker.handler_failures", "{message}", "Handlers that failed");

    /// <summary>Connection state transitions, tagged with the new state.</summary>
    public static readonly Counter<long> ConnectionStateChanges = Meter.CreateCounter<long>("socketio.cluster.broker.connection_state_changes", "{change}", "Connection state transitions");

    /// <summary>Brokers currently connected (+1 on Connected/Recovered, -1 on ConnectionLost/Closed from a connected state).</summary>
    public static readonly UpDownCounter<long> Connected = Meter.CreateUpDownCounter<long>("socketio.cluster.broker.connected", "{connection}", "Broker connections currently up");

    /// <summary>Single-active subscriptions this process currently knows it is active for.</summary>
    public static readonly UpDownCounter<long> ActiveSubscriptions = Meter.CreateUpDownCounter<long>("socketio.cluster.broker.active_subscriptions", "{subscription}", "Subscriptions known to be the active consumer");

    public static KeyValuePair<string, object?> BrokerTag(string broker) => new("broker", broker);
}
