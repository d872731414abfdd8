using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Configuration;
using Akka.Event;
using SocketIo.Actors.Adapters;
using SocketIo.Actors.Cluster.Internal;
using SocketIo.Actors.Sockets;
using AkkaCluster = Akka.Cluster.Cluster;

namespace SocketIo.Actors.Cluster.Sockets;

/// <summary>
/// The node's socket actors as entities of one Akka.Cluster.Sharding region (type <see cref="TypeName"/>): the entity
/// id is the socket id (<see cref="EntityId"/>), the shard is the tag of the node that holds the socket's connection
/// (<see cref="NodeTags"/>),
/// and <see cref="NodeShardAllocationStrategy"/> allocates that shard to that node and never rebalances it away. So the
/// socket actor runs where its connection is, the connection keeps the entity's <see cref="IActorRef"/> for every
/// packet, and any node reaches any socket by its id through the region (<see cref="Tell"/>).
/// </summary>
/// <remarks>
/// Entities are never passivated (a socket lives as long as its connection) and not remembered. When the node leaves,
/// the shard's hand-off stops each entity with <c>Disconnect("server shutting down")</c>, the reason socket.io gives
/// a server's own shutdown; when the node is lost, its socket actors go with its connections, and the shard's next
/// message starts it again on the node of the same address (a restarted node), where an unknown socket id stops at
/// once (<see cref="AbsentSocketActor"/>).
/// </remarks>
public sealed class SocketRegion : ISocketActorHost
{
    /// <summary>The sharding type name of socket entities.</summary>
    public const string TypeName = "socketio-socket";

    // Props of the entities about to start on this node, by socket id: the region's entity factory takes them out.
    private readonly ConcurrentDictionary<string, Props> _starting = new(StringComparer.Ordinal);
    private SocketRegion(ActorSystem system, string role)
    {
        var cluster = AkkaCluster.Get(system);
        SocketIdPrefix = NodeTags.Of(cluster.SelfAddress);
        // Sharding's coordinator state goes to Distributed Data (no journal needed), whatever the default says.
        system.Settings.InjectTopLevelFallback(Akka.DistributedData.DistributedData.DefaultConfig());
        var sharding = ClusterSharding.Get(system);
        var config = system.Settings.Config;
        // A socket entity lives as long as its connection: never passivated for being idle, nothing to remember.
        var shardingConfig = ConfigurationFactory.ParseString("passivate-idle-entity-after = 0s, remember-entities = off, state-store-mode = ddata")
            .WithFallback(config.GetConfig("akka.cluster.sharding"));
        var settings = ClusterShardingSettings.Create(shardingConfig, config.GetConfig("akka.cluster.singleton")).WithRole(role);
        Region = sharding.Start(
            TypeName,
            EntityProps,
            settings,
            new SocketMessageExtractor(),
            new NodeShardAllocationStrategy(cluster.SelfAddress),
            new SocketProtocol.Disconnect(DisconnectReasons.ServerShuttingDown, NotifyClient: false));
    }

    /// <summary>The region's <see cref="IActorRef"/> on this node.</summary>
    public IActorRef Region { get; }

    /// <inheritdoc />
    public string SocketIdPrefix { get; }

    /// <summary>Starts the region on <paramref name="system"/> (a cluster system) for the members with <paramref name="role"/>.</summary>
    public static SocketRegion Start(ActorSystem system, string role) => new(system, role);

    /// <inheritdoc />
    public void StartSocketActor(string socketId, Props props)
    {
        var entityId = EntityId(socketId, SocketIdPrefix);
        _starting[entityId] = props;
        Region.Tell(new SocketEnvelope(entityId, SocketProtocol.Announce.Instance));
    }

    /// <summary>
    /// The entity id of socket <paramref name="socketId"/> of the node tagged <paramref name="nodeTag"/>: the socket id
    /// itself when it starts with the tag and is URL-safe (every v5 socket id), else the tag followed by the id
    /// escaped for an actor name (v4-protocol ids such as <c>/admin#SID</c>), so the shard is still the node's.
    /// </summary>
    public static string EntityId(string socketId, string nodeTag)
    {
        ArgumentNullException.ThrowIfNull(socketId);
        var urlSafe = !socketId.AsSpan().ContainsAnyExcept(UrlSafe);
        return urlSafe && socketId.StartsWith(nodeTag, StringComparison.Ordinal) ? socketId : nodeTag + Uri.EscapeDataString(socketId);
    }

    private static readonly System.Buffers.SearchValues<char> UrlSafe =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    /// <summary>
    /// Tells <paramref name="command"/> to its socket wherever it lives, through the region (to another node it crosses
    /// with <c>ClusterMessageSerializer</c>). A socket that no longer exists drops it.
    /// </summary>
    internal void Tell(ClusterProtocol.SocketCommand command) => Region.Tell(command);

    private Props EntityProps(string socketId)
    {
        if (_starting.TryRemove(socketId, out var props)) return props;
        return Props.Create(() => new AbsentSocketActor());
    }

    /// <summary>A message for the entity <paramref name="EntityId"/> on this node (cross-node commands are their own envelopes).</summary>
    internal sealed record SocketEnvelope(string EntityId, object Message);

    /// <summary>The entity of a socket id this node has no socket for (it disconnected, or it lived in an earlier incarnation): drops what it is told and stops.</summary>
    internal sealed class AbsentSocketActor : ReceiveActor
    {
        public AbsentSocketActor()
        {
            // An announce means a socket of another node landed here: its shard was allocated to the wrong node.
            Receive<SocketProtocol.Announce>(_ =>
            {
                Context.GetLogger().Warning("socket entity {0} started on a node that does not hold its connection; the socket is not admitted", Self.Path.Name);
                Context.Stop(Self);
            });
            ReceiveAny(_ => Context.Stop(Self));
        }
    }
}
