using System.Diagnostics.Metrics;

namespace SocketIo.Actors.Cluster.Internal;

/// <summary>The one "SocketIo.Cluster" meter that the broker, adapter, membership and sharding instruments live on.</summary>
internal static class ClusterMeter
{
    public const string Name = "SocketIo.Cluster";

    public static readonly Meter Meter = new(Name);
}
