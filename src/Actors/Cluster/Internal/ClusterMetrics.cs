using System.Diagnostics.Metrics;

namespace SocketIo.Actors.Cluster.Internal;

/// <summary>Metrics of the cluster adapter and membership (meter <c>SocketIo.Cluster</c>), tagged with the node id.</summary>
internal static class ClusterMetrics
{
    private static Meter Meter => ClusterMeter.Meter;

    public static readonly Counter<long> MembersUp = Meter.CreateCounter<long>("socketio.cluster.members.up", description: "Members seen joining");
    public static readonly Counter<long> MembersRemoved = Meter.CreateCounter<long>("socketio.cluster.members.removed", description: "Members removed (left or timed out), tagged by reason");
    public static readonly Counter<long> Published = Meter.CreateCounter<long>("socketio.cluster.messages.published", description: "Cluster messages published");
    public static readonly Counter<long> PublishFailures = Meter.CreateCounter<long>("socketio.cluster.messages.publish_failures", description: "Cluster messages dropped because the broker was unavailable or the queue full");
    public static readonly Counter<long> Received = Meter.CreateCounter<long>("socketio.cluster.messages.received", description: "Cluster messages received from other nodes");
    public static readonly Counter<long> RequestTimeouts = Meter.CreateCounter<long>("socketio.cluster.requests.timeouts", description: "Cluster requests that timed out");
    public static readonly Counter<long> BrokerConnectionLosses = Meter.CreateCounter<long>("socketio.cluster.broker.connection_losses", description: "Broker connection losses seen by the cluster adapter");

    public static KeyValuePair<string, object?> NodeTag(string node) => new("node", node);
}
