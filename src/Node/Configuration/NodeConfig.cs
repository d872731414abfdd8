using Akka.Configuration;
using Microsoft.Extensions.Configuration;
using SocketIo.Actors;

namespace SocketIo.Node.Configuration;

/// <summary>
/// Everything one node needs to start, read from the <c>socketio { ... }</c> section of a configuration file
/// (see the repository's <c>cluster.hocon</c>, which documents every key; its <c>akka { ... }</c> section is the
/// actor system's). The file is parsed by Akka's HOCON parser; environment overrides come through ASP.NET Core
/// configuration (<c>SOCKETIO__HTTP__PORT=3001</c> sets <c>socketio.http.port</c>) and are put in front of the
/// file. A missing key takes the default shown in <see cref="Default"/>; a missing section means all defaults.
/// Every value is validated and unknown keys, in the file or in an override, are refused, so a typo fails at
/// start-up instead of being ignored; each error is a <see cref="NodeConfigException"/> naming the file and the key.
/// </summary>
/// <param name="NodeName">This node's name, unique in the cluster (<c>node.name</c>); defaults to the machine name and the HTTP port.</param>
public sealed partial record NodeConfig(
    string NodeName,
    HttpConfig Http,
    EngineConfig Engine,
    SocketIoConfig SocketIo,
    ClusterConfig Cluster)
{
    /// <summary>The key of the section this model is read from, and the first part of every override's name.</summary>
    public const string RootPath = "socketio";

    /// <summary>All defaults (the node name is derived from this machine's name and port 3000).</summary>
    public static NodeConfig Default => FromHocon(Config.Empty);

    /// <summary>
    /// Reads the <c>socketio</c> section of an already parsed <paramref name="config"/>, without overrides; errors
    /// name <paramref name="sourceName"/>. Throws <see cref="NodeConfigException"/> on the first invalid or unknown key.
    /// </summary>
    public static NodeConfig FromHocon(Config config, string sourceName = "config")
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(sourceName);
        return Internal.NodeConfigReader.Read(config, sourceName);
    }

    /// <summary>
    /// Parses <paramref name="hocon"/> (a whole file: <c>akka</c> and <c>socketio</c> sections) with Akka's parser,
    /// applies the overrides under <c>socketio</c> of <paramref name="overrides"/> and reads the result. Throws
    /// <see cref="NodeConfigException"/> naming <paramref name="sourceName"/> when the text is malformed, has another
    /// section, or holds an unknown or invalid key, and when an override names an unknown key.
    /// </summary>
    public static NodeConfig Parse(string hocon, string sourceName = "config", IConfiguration? overrides = null)
    {
        ArgumentNullException.ThrowIfNull(hocon);
        ArgumentNullException.ThrowIfNull(sourceName);
        return Internal.NodeConfigReader.Parse(hocon, sourceName, overrides).Node;
    }

    /// <summary>
    /// Reads the file at <paramref name="path"/> and parses it as <see cref="Parse"/> does; errors name the path as
    /// given. The host passes the process environment (<c>new ConfigurationBuilder().AddEnvironmentVariables().Build()</c>)
    /// as <paramref name="overrides"/>. A missing file is a <see cref="FileNotFoundException"/>.
    /// </summary>
    public static NodeConfig Load(string path, IConfiguration? overrides = null) => LoadBoth(path, overrides).Node;

    /// <summary>
    /// The file at <paramref name="path"/> as Akka's <see cref="Config"/>, with the overrides in front: what the
    /// actor system reads its <c>akka</c> section from. Validated as <see cref="Load"/> does, with the same errors.
    /// </summary>
    public static Config LoadHocon(string path, IConfiguration? overrides = null) => LoadBoth(path, overrides).Hocon;

    private static (Config Hocon, NodeConfig Node) LoadBoth(string path, IConfiguration? overrides)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Internal.NodeConfigReader.Parse(File.ReadAllText(path), path, overrides);
    }
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
/// <param name="OutboundOverflow">When a volatile packet is dropped: whenever the transport is not writable, or only when the outbound queue is full; a refused non-volatile packet closes the connection under both (<c>socketio.outbound-overflow = disconnect | drop-volatile</c>, default disconnect).</param>
public sealed record SocketIoConfig(
    TimeSpan ConnectTimeout,
    bool CleanupEmptyChildNamespaces,
    int MaxDynamicNamespaces,
    int MaxAttachments,
    int MaxJsonDepth,
    TimeSpan AttachmentTimeout,
    int MaxInboundBacklog,
    OutboundOverflowPolicy OutboundOverflow);

/// <summary>The cluster (<c>cluster.*</c>): Akka.Cluster over Akka.Remote between the nodes.</summary>
/// <param name="Enabled">Join an Akka cluster (<c>cluster.enabled</c>, default false: the node runs alone, with no remoting at all).</param>
/// <param name="ClusterName">The actor system's name; every node of one cluster uses the same (<c>cluster.cluster-name</c>, default socketio).</param>
/// <param name="Hostname">Address Akka.Remote binds and announces (<c>cluster.hostname</c>, default 127.0.0.1).</param>
/// <param name="Port">Akka.Remote's TCP port, 0 for any free one (<c>cluster.port</c>, default 4000).</param>
/// <param name="SeedNodes">Full Akka addresses of the seed nodes (<c>cluster.seed-nodes</c>, written host:port or as addresses); empty: the node forms a cluster of its own that others can join.</param>
/// <param name="Role">The Akka.Cluster role of Socket.IO nodes (<c>cluster.role</c>, default socketio).</param>
/// <param name="JoinTimeout">How long start-up waits for this node to be an Up member before giving up (<c>cluster.join-timeout</c>, default 60 s).</param>
/// <param name="ShardCount">Number of shards of the sharded entities; the same on every node (<c>cluster.shard-count</c>, default 64).</param>
/// <param name="RequestTimeout">How long a cross-node request such as fetchSockets waits for answers (<c>cluster.request-timeout</c>, default 5 s).</param>
public sealed record ClusterConfig(
    bool Enabled,
    string ClusterName,
    string Hostname,
    int Port,
    IReadOnlyList<string> SeedNodes,
    string Role,
    TimeSpan JoinTimeout,
    int ShardCount,
    TimeSpan RequestTimeout)
{
    /// <summary>Value equality, comparing <see cref="SeedNodes"/> element by element rather than by reference.</summary>
    public bool Equals(ClusterConfig? other) =>
        other is not null
        && Enabled == other.Enabled
        && ClusterName == other.ClusterName
        && Hostname == other.Hostname
        && Port == other.Port
        && SeedNodes.SequenceEqual(other.SeedNodes)
        && Role == other.Role
        && JoinTimeout == other.JoinTimeout
        && ShardCount == other.ShardCount
        && RequestTimeout == other.RequestTimeout;

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Enabled);
        hash.Add(ClusterName);
        hash.Add(Hostname);
        hash.Add(Port);
        foreach (var seed in SeedNodes) hash.Add(seed);
        hash.Add(Role);
        hash.Add(JoinTimeout);
        hash.Add(ShardCount);
        hash.Add(RequestTimeout);
        return hash.ToHashCode();
    }
}
