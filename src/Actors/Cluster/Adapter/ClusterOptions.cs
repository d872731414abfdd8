namespace SocketIo.Actors.Cluster.Adapter;

/// <summary>Settings of a <see cref="ClusterNode"/> (the host reads them from <c>cluster.*</c> in cluster.hocon).</summary>
public sealed record ClusterOptions
{
    /// <summary>Prefix of the exchange and queue names; every node of one cluster uses the same (<c>cluster.cluster-name</c>).</summary>
    public string ClusterName { get; init; } = "socketio";

    /// <summary>This node's id, unique in the cluster (<c>node.name</c>).</summary>
    public required string NodeId { get; init; }

    /// <summary>This node's HTTP address, announced to the others (informational).</summary>
    public string Address { get; init; } = "";

    /// <summary>How often the node announces itself (<c>cluster.heartbeat-interval</c>).</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Silence after which another node is removed (<c>cluster.heartbeat-timeout</c>); must exceed the interval.</summary>
    public TimeSpan HeartbeatTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a cluster-wide request (fetchSockets, socketsJoin, serverSideEmitWithAck, ...) waits for live nodes (<c>cluster.request-timeout</c>).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Publish this node's room events to the other nodes, where they appear as
    /// <see cref="Membership.ClusterEvents.RemoteRoomEvent"/> (default true). Costs one broker message per room
    /// change while other nodes are up; turn it off when no node subscribes to cluster room events.
    /// </summary>
    public bool ShareRoomEvents { get; init; } = true;

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(NodeId);
        if (HeartbeatInterval <= TimeSpan.Zero) throw new ArgumentException("HeartbeatInterval must be positive", nameof(HeartbeatInterval));
        if (HeartbeatTimeout <= HeartbeatInterval) throw new ArgumentException("HeartbeatTimeout must be longer than HeartbeatInterval", nameof(HeartbeatTimeout));
        if (RequestTimeout <= TimeSpan.Zero) throw new ArgumentException("RequestTimeout must be positive", nameof(RequestTimeout));
    }
}
