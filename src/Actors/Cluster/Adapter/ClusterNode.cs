using SocketIo.Actors.Rooms;
using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SocketIo.Actors.Adapters;
using SocketIo.Actors.Cluster.Internal;
using SocketIo.Actors.Cluster.Membership;
using SocketIo.Actors.Cluster.Serialization;
using SocketIo.Actors.Cluster.Sockets;
using AkkaCluster = Akka.Cluster.Cluster;

namespace SocketIo.Actors.Cluster.Adapter;

/// <summary>
/// This node's Socket.IO cluster adapter on Akka.Cluster. <see cref="Start"/> creates the node's cluster actor
/// (<c>/user/socketio-cluster</c>, <see cref="ClusterNodeActor"/>), which follows the members that have the
/// Socket.IO role and exchanges <see cref="ClusterProtocol"/> messages with their cluster actors; put the node in
/// <c>SocketIoOptions.Adapter</c> before creating the <see cref="SocketIoServer"/> (on the same
/// <see cref="ActorSystem"/>). Membership itself (joining, gossip, failure detection, downing) is Akka.Cluster's.
/// </summary>
/// <remarks>
/// The actor system must use the cluster provider (<c>akka.actor.provider = cluster</c>). Broadcasts go to every
/// Socket.IO member that is up, reachable or not (Akka.Remote delivers them in order if the member comes back);
/// requests wait only for the members that are up and reachable, and stop waiting for a member the moment it
/// becomes unreachable, leaves or is removed.
/// </remarks>
public sealed class ClusterNode : IClusterAdapter, IAsyncDisposable
{
    /// <summary>The name of every node's cluster actor, under <c>/user</c>.</summary>
    public const string ActorName = "socketio-cluster";

    private readonly ActorSystem _system;
    private readonly ConcurrentDictionary<string, Namespace> _namespaces = new(StringComparer.Ordinal);
    private IActorRef _forwarder = ActorRefs.Nobody;
    private int _left;

    private ClusterNode(ActorSystem system, ClusterOptions options, SocketRegion sockets, ILogger logger)
    {
        _system = system;
        Options = options;
        Sockets = sockets;
        Logger = logger;
        NodeId = AkkaCluster.Get(system).SelfAddress.ToString();
        Requests = new RequestTracker(NodeId, TimeProvider.System, logger);
    }

    /// <summary>
    /// The serializer of the cross-node messages and its bindings, as HOCON: put it in the actor system's
    /// configuration (the host does). <see cref="Start"/> registers them at runtime only when the configuration does
    /// not, which is safe only before the system talks to other nodes: Akka's serializer map is not meant to change
    /// while messages are being serialized.
    /// </summary>
    public static Config SerializationConfig { get; } = ConfigurationFactory.ParseString($$"""
        akka.actor {
          serializers.socketio-cluster = "{{typeof(ClusterMessageSerializer).AssemblyQualifiedName}}"
          serialization-bindings { "{{typeof(ClusterProtocol.ICrossNodeMessage).AssemblyQualifiedName}}" = socketio-cluster }
          serialization-identifiers { "{{typeof(ClusterMessageSerializer).AssemblyQualifiedName}}" = {{ClusterMessageSerializer.Id}} }
        }
        """);

    /// <summary>This node's id: its Akka.Cluster address (<c>akka.tcp://socketio@127.0.0.1:4001</c>).</summary>
    public string NodeId { get; }

    /// <summary>The settings it was started with.</summary>
    public ClusterOptions Options { get; }

    /// <summary>The other Socket.IO members as this node sees them.</summary>
    public MembershipView Membership { get; } = new();

    /// <summary>Whether <see cref="LeaveAsync"/> ran.</summary>
    public bool HasLeft => Volatile.Read(ref _left) != 0;

    /// <summary>This node's cluster actor: the sender of every message this node sends to the others.</summary>
    internal IActorRef Actor { get; private set; } = ActorRefs.Nobody;

    internal RequestTracker Requests { get; }

    /// <summary>This node's socket actors: entities of the cluster's socket region, reachable from any node by socket id.</summary>
    public SocketRegion Sockets { get; }

    /// <inheritdoc />
    ISocketActorHost? IClusterAdapter.SocketActors => Sockets;

    internal ILogger Logger { get; }

    /// <summary>
    /// Starts the node's cluster actor in <paramref name="system"/>, which must use the cluster provider; joining
    /// (seed nodes, <c>Cluster.Join</c>) is the system's own business and may happen before or after. Throws
    /// <see cref="ArgumentException"/> when the system is not a cluster system.
    /// </summary>
    public static ClusterNode Start(ActorSystem system, ClusterOptions options, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (system is not ExtendedActorSystem extended || extended.Provider is not Akka.Cluster.ClusterActorRefProvider)
            throw new ArgumentException($"actor system '{system.Name}' does not use the cluster provider (akka.actor.provider = cluster)", nameof(system));
        // The socket region first: a runtime registration made before Akka.Cluster.Sharding and Distributed Data
        // start (they inject their configuration) was found not to apply afterwards, and broadcasts left as JSON.
        var sockets = SocketRegion.Start(system, options.Role);
        RegisterSerializer(extended);
        var logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("SocketIo.Actors.Cluster");
        var node = new ClusterNode(system, options, sockets, logger);
        node.Actor = system.ActorOf(Props.Create(() => new ClusterNodeActor(node)), ActorName);
        if (options.ShareRoomEvents)
            node._forwarder = system.ActorOf(Props.Create(() => new RoomEventForwarderActor(node.ForwardRoomEvent)), ActorName + "-room-events");
        ClusterLog.NodeStarted(logger, node.NodeId, system.Name);
        return node;
    }

    private static void RegisterSerializer(ExtendedActorSystem system)
    {
        if (system.Serialization.FindSerializerForType(typeof(ClusterProtocol.Broadcast)) is ClusterMessageSerializer) return;
        var serializer = new ClusterMessageSerializer(system);
        system.Serialization.AddSerializer("socketio-cluster", serializer);
        // Each concrete type: a runtime map for the interface alone loses to the JSON binding of object, which
        // Akka's lookup can meet first.
        foreach (var type in typeof(ClusterProtocol).GetNestedTypes(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic))
            if (!type.IsAbstract && typeof(ClusterProtocol.ICrossNodeMessage).IsAssignableFrom(type))
                system.Serialization.AddSerializationMap(type, serializer);
    }

    /// <inheritdoc />
    public INamespaceAdapter Attach(Namespace nsp)
    {
        _namespaces[nsp.Name] = nsp;
        return new ClusterNamespaceAdapter(this, nsp);
    }

    /// <summary>A live namespace of this node by name (a removed child namespace no longer counts).</summary>
    internal Namespace? Find(string name) =>
        _namespaces.TryGetValue(name, out var nsp) && nsp.Server.Namespaces.TryGetValue(name, out var live) && ReferenceEquals(live, nsp) ? nsp : null;

    /// <summary>Tells <paramref name="message"/> to every other Socket.IO node that is up; false when there is none.</summary>
    internal bool SendToAll(ClusterProtocol.ICrossNodeMessage message)
    {
        var actors = Membership.Actors;
        if (actors.IsEmpty) return false;
        foreach (var actor in actors) actor.Tell(message, Actor);
        ClusterMetrics.Sent.Add(actors.Length, ClusterMetrics.NodeTag(NodeId));
        return true;
    }

    private void ForwardRoomEvent(RoomEvents.IRoomEvent e) => SendToAll(new ClusterProtocol.RoomEventHappened(e));

    /// <summary>
    /// Leaves the cluster gracefully (Akka's <c>Cluster.LeaveAsync</c>: the others see this member leaving at once
    /// and stop counting it), bounded to 10 s. The actor system keeps running; its CoordinatedShutdown does the
    /// same when the system stops. Idempotent.
    /// </summary>
    public async Task LeaveAsync()
    {
        if (Interlocked.Exchange(ref _left, 1) != 0) return;
        if (!_forwarder.Equals(ActorRefs.Nobody)) _system.Stop(_forwarder);
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await AkkaCluster.Get(_system).LeaveAsync(cts.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or TaskCanceledException)
        {
            // Not removed in time (a cluster without convergence): the others drop us when we stop.
        }
        ClusterLog.NodeLeft(Logger, NodeId, _system.Name);
    }

    /// <summary>Same as <see cref="LeaveAsync"/>.</summary>
    public async ValueTask DisposeAsync() => await LeaveAsync().ConfigureAwait(false);
}
