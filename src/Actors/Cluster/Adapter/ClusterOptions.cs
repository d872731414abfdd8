namespace SocketIo.Actors.Cluster.Adapter;

/// <summary>Settings of a <see cref="ClusterNode"/> (the host reads them from <c>socketio.cluster</c> in cluster.hocon).</summary>
public sealed record ClusterOptions
{
    /// <summary>This node's name in logs (<c>node.name</c>); its id in the cluster is its Akka address.</summary>
    public string NodeName { get; init; } = "";

    /// <summary>
    /// The Akka.Cluster role of Socket.IO nodes (<c>cluster.role</c>, default <c>socketio</c>): only members with it
    /// take part in broadcasts and requests, so other Akka nodes (workers of the application) can share the cluster.
    /// </summary>
    public string Role { get; init; } = "socketio";

    /// <summary>How long a cluster-wide request (fetchSockets, socketsJoin, serverSideEmitWithAck, ...) waits for reachable nodes (<c>cluster.request-timeout</c>).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Send this node's room events to the other nodes, where they appear as
    /// <see cref="Membership.ClusterEvents.RemoteRoomEvent"/> (default true). Costs one message per room change and
    /// node while other nodes are up; turn it off when no node subscribes to cluster room events.
    /// </summary>
    public bool ShareRoomEvents { get; init; } = true;

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(Role);
        if (RequestTimeout <= TimeSpan.Zero) throw new ArgumentException("RequestTimeout must be positive", nameof(RequestTimeout));
    }
}
