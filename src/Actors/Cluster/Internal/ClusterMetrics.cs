using System.Diagnostics.Metrics;

namespace SocketIo.Actors.Cluster.Internal;

/// <summary>Metrics of the cluster adapter and membership (meter <c>SocketIo.Cluster</c>), tagged with the node id.</summary>
internal static class ClusterMetrics
{
    private static Meter Meter => ClusterMeter.Meter;

    public static readonly Counter<long> MembersUp = Meter.CreateCounter<long>("socketio.cluster.members.up", description: "Members seen joining");
    public static readonly Counter<long> MembersRemoved = Meter.CreateCounter<long>("socketio.cluster.members.removed", description: "Members removed (left, downed or unreachable), tagged by reason");
    public static readonly Counter<long> Sent = Meter.CreateCounter<long>("socketio.cluster.messages.sent", description: "Cluster messages sent to other nodes (one per operation and destination node)");
    public static readonly Counter<long> Received = Meter.CreateCounter<long>("socketio.cluster.messages.received", description: "Cluster messages received from other nodes");
    public static readonly Counter<long> RequestTimeouts = Meter.CreateCounter<long>("socketio.cluster.requests.timeouts", description: "Cluster requests that timed out");

    public static KeyValuePair<string, object?> NodeTag(string node) => new("node", node);
}
