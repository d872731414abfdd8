namespace SocketIo.Node.Configuration;

/// <summary>
/// Everything one node needs to start, read from the <c>socketio-actors { ... }</c> object of a
/// configuration (see the repository's <c>cluster.hocon</c>, which documents every key). A missing key
/// takes the default shown in <see cref="Default"/>; a missing root object means all defaults.
/// <see cref="FromHocon"/> validates every value and rejects unknown keys under the root, so a typo
/// fails at start-up instead of being ignored; each error is a <see cref="HoconConfigException"/>
/// naming the full key and where it was written.
/// </summary>
/// <param name="NodeName">This node's name, unique in the cluster (<c>node.name</c>); defaults to the machine name and the HTTP port.</param>
public sealed partial record NodeConfig(
    string NodeName,
    HttpConfig Http,
    EngineConfig Engine,
    SocketIoConfig SocketIo,
    ClusterConfig Cluster)
{
    /// <summary>The key of the object this model is read from.</summary>
    public const string RootPath = "socketio-actors";

    /// <summary>All defaults (the node name is derived from this machine's name and port 3000).</summary>
    public static NodeConfig Default => FromHocon(HoconConfig.Empty);

    /// <summary>Reads <c>socketio-actors</c> from <paramref name="config"/>; throws <see cref="HoconConfigException"/> on the first invalid or unknown key.</summary>
    public static NodeConfig FromHocon(HoconConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return Internal.NodeConfigReader.Read(config);
    }

    /// <summary>Loads and parses the file at <paramref name="path"/>, then reads it as <see cref="FromHocon"/> does.</summary>
    public static NodeConfig Load(string path, Func<string, string?>? environment = null) =>
        FromHocon(HoconConfig.Load(path, environment));
}

/// <summary>Where Kestrel listens (<c>http.*</c>).</summary>
/// <param name="Host">Address to bind (<c>http.host</c>, default 127.0.0.1).</param>
/// <param name="Port">TCP port, 0 for any free port (<c>http.port</c>, default 3000).</param>
public sealed record HttpConfig(string Host, int Port);

/// <summary>Engine.IO transport settings (<c>engine.*</c>), the same names and defaults as the reference server.</summary>
/// <param name="Path">Endpoint path (<c>engine.path</c>, default <c>/socket.io/</c>).</param>
/// <param name="PingInterval">Heartbeat interval (<c>engine.ping-interval</c>, default 25 s).</param>
/// <param name="PingTimeout">How long a pong may take (<c>engine.ping-timeout</c>, default 20 s).</param>
/// <param name="UpgradeTimeout">How long a polling to WebSocket upgrade may take (<c>engine.upgrade-timeout</c>, default 10 s).</param>
/// <param name="MaxHttpBufferSize">Largest message or POST body in bytes (<c>engine.max-http-buffer-size</c>, default 1,000,000).</param>
/// <param name="Transports">Accepted transports, <c>polling</c> and/or <c>websocket</c> (<c>engine.transports</c>, default both).</param>
/// <param name="AllowUpgrades">Whether polling may upgrade to WebSocket (<c>engine.allow-upgrades</c>, default true).</param>
/// <param name="AllowEio3">Whether Engine.IO v3 clients (socket.io-client 2.x) are accepted (<c>engine.allow-eio3</c>, default true).</param>
/// <param name="CorsOrigin">Allowed CORS origin, <c>*</c> for any; null (default) sends no CORS headers (<c>engine.cors-origin</c>).</param>
public sealed record EngineConfig(
    string Path,
    TimeSpan PingInterval,
    TimeSpan PingTimeout,
    TimeSpan UpgradeTimeout,
    long MaxHttpBufferSize,
    IReadOnlyList<string> Transports,
    bool AllowUpgrades,
    bool AllowEio3,
    string? CorsOrigin)
{
    /// <summary>Value equality, comparing <see cref="Transports"/> element by element rather than by reference.</summary>
    public bool Equals(EngineConfig? other) =>
        other is not null
        && Path == other.Path
        && PingInterval == other.PingInterval
        && PingTimeout == other.PingTimeout
        && UpgradeTimeout == other.UpgradeTimeout
        && MaxHttpBufferSize == other.MaxHttpBufferSize
        && Transports.SequenceEqual(other.Transports)
        && AllowUpgrades == other.AllowUpgrades
        && AllowEio3 == other.AllowEio3
        && CorsOrigin == other.CorsOrigin;

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Path);
        hash.Add(PingInterval);
        hash.Add(PingTimeout);
        hash.Add(UpgradeTimeout);
        hash.Add(MaxHttpBufferSize);
        foreach (var transport in Transports) hash.Add(transport);
        hash.Add(AllowUpgrades);
        hash.Add(AllowEio3);
        hash.Add(CorsOrigin);
        return hash.ToHashCode();
    }
}

/// <summary>Socket.IO layer settings (<c>socketio.*</c>).</summary>
/// <param name="ConnectTimeout">A connection that joins no namespace in this time is closed (<c>socketio.connect-timeout</c>, default 45 s).</param>
/// <param name="CleanupEmptyChildNamespaces">Remove a dynamic child namespace when its last socket leaves (<c>socketio.cleanup-empty-child-namespaces</c>, default false).</param>
/// <param name="MaxDynamicNamespaces">Most child namespaces dynamic namespaces may create (<c>socketio.max-dynamic-namespaces</c>, default 10,000).</param>
/// <param name="MaxAttachments">Most binary attachments one packet may announce (<c>socketio.max-attachments</c>, default 10).</param>
/// <param name="MaxJsonDepth">Deepest JSON nesting accepted in a packet (<c>socketio.max-json-depth</c>, default 32).</param>
/// <param name="AttachmentTimeout">How long announced attachments may take to arrive (<c>socketio.attachment-timeout</c>, default 30 s).</param>
/// <param name="MaxInboundBacklog">Unhandled inbound packets per connection before it stops reading; 0 turns flow control off (<c>socketio.max-inbound-backlog</c>, default 256).</param>
public sealed record SocketIoConfig(
    TimeSpan ConnectTimeout,
    bool CleanupEmptyChildNamespaces,
    int MaxDynamicNamespaces,
    int MaxAttachments,
    int MaxJsonDepth,
    TimeSpan AttachmentTimeout,
    int MaxInboundBacklog);

/// <summary>The cluster backplane (<c>cluster.*</c>).</summary>
/// <param name="Enabled">Join the cluster through RabbitMQ (<c>cluster.enabled</c>, default false: the node runs alone with the in-memory adapter).</param>
/// <param name="RabbitMqUri">Broker address, <c>amqp://</c> or <c>amqps://</c> (<c>cluster.rabbitmq.uri</c>); required when <paramref name="Enabled"/>.</param>
/// <param name="ClusterName">Names the exchanges and queues, so several clusters can share one broker (<c>cluster.cluster-name</c>, default socketio).</param>
/// <param name="HeartbeatInterval">How often a node announces itself (<c>cluster.heartbeat-interval</c>, default 1 s).</param>
/// <param name="HeartbeatTimeout">Silence after which a node counts as gone (<c>cluster.heartbeat-timeout</c>, default 5 s).</param>
/// <param name="ShardCount">Number of shards; the same on every node (<c>cluster.shard-count</c>, default 64).</param>
/// <param name="RequestTimeout">How long a cross-node request such as fetchSockets waits for answers (<c>cluster.request-timeout</c>, default 5 s).</param>
public sealed record ClusterConfig(
    bool Enabled,
    string? RabbitMqUri,
    string ClusterName,
    TimeSpan HeartbeatInterval,
    TimeSpan HeartbeatTimeout,
    int ShardCount,
    TimeSpan RequestTimeout);
