using System.Collections.Concurrent;
using Akka.Actor;
using SocketIo.Actors;
using SocketIo.Actors.Cluster.Adapter;
using SocketIo.Actors.Cluster.Broker;
using SocketIo.Actors.Cluster.Sharding;
using SocketIo.Node.Configuration;
using SocketIo.Node.Hosting;

namespace SocketIo.Node.Apps;

/// <summary>
/// The demos' sharded state on this node: the regions "chat-username" (<see cref="UsernameRegistryActor"/>)
/// and "counter" (<see cref="CounterActor"/>). In a cluster they run over the node's RabbitMQ broker, so a
/// name or the count is one entity for the whole cluster; on a single node the same regions run over an
/// in-memory broker, so the demos have one code path either way.
/// </summary>
/// <remarks>
/// Entity state is in memory (docs/SHARDING.md, "Guarantees and limits"). When a node crashes, the entities of
/// the shards it owned are recreated empty on the next owner: the count starts again from 0, and the names
/// kept there are free until their holders' nodes claim them back (<see cref="ClusterDemoRelayActor"/>
/// re-claims this node's names when a node is removed and after a broker reconnect).
/// </remarks>
public sealed class ClusterDemo : IAsyncDisposable
{
    /// <summary>Entity type (region) of the chat's usernames.</summary>
    public const string UsernameType = "chat-username";

    /// <summary>Entity type (region) of the counter.</summary>
    public const string CounterType = "counter";

    /// <summary>How long a graceful shutdown waits for the regions to hand their shards over.</summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(5);

    private readonly ActorSystem _system;
    private readonly IBroker _broker;
    private readonly bool _ownsBroker;
    private readonly IActorRef _relay;
    private int _stopped;

    private ClusterDemo(ActorSystem system, IBroker broker, bool ownsBroker, string nodeId, bool clustered, IActorRef usernames, IActorRef counter, IActorRef relay, ConcurrentDictionary<string, string> localUsernames)
    {
        _system = system;
        _broker = broker;
        _ownsBroker = ownsBroker;
        NodeId = nodeId;
        IsClustered = clustered;
        Usernames = usernames;
        Counter = counter;
        _relay = relay;
        LocalUsernames = localUsernames;
    }

    /// <summary>The message types the demo regions send between nodes; every node registers the same names.</summary>
    public static ShardingMessageTypes MessageTypes() => new ShardingMessageTypes()
        .Register<UsernameRegistryProtocol.Claim>("chat.claim")
        .Register<UsernameRegistryProtocol.Claimed>("chat.claimed")
        .Register<UsernameRegistryProtocol.Taken>("chat.taken")
        .Register<UsernameRegistryProtocol.Release>("chat.release")
        .Register<CounterProtocol.Increment>("counter.increment")
        .Register<CounterProtocol.SendCountTo>("counter.send-count-to")
        .Register<CounterProtocol.GetCount>("counter.get-count")
        .Register<CounterProtocol.Count>("counter.count");

    /// <summary>This node's id (in a cluster, its <c>node.name</c>).</summary>
    public string NodeId { get; }

    /// <summary>Whether the regions span a cluster (false: a single node over the in-memory broker).</summary>
    public bool IsClustered { get; }

    /// <summary>The "chat-username" region: tell it <see cref="UsernameRegistryProtocol"/> messages.</summary>
    public IActorRef Usernames { get; }

    /// <summary>The "counter" region: tell it <see cref="CounterProtocol"/> messages.</summary>
    public IActorRef Counter { get; }

    /// <summary>The names held by this node's sockets (socket id → name as claimed), re-claimed after a failover.</summary>
    public ConcurrentDictionary<string, string> LocalUsernames { get; }

    /// <summary>
    /// Starts the demo regions for the host: over the cluster's broker when <paramref name="io"/> uses the cluster
    /// adapter (the <see cref="ClusterHosting"/> registered in the services, else a connection of its own to the
    /// broker of <c>--config</c>), over an in-memory broker otherwise. Stops them gracefully when the host stops.
    /// </summary>
    public static ClusterDemo StartForHost(WebApplication app, NodeOptions options, SocketIoServer io)
    {
        var started = StartForHostAsync(app.Services, options.ConfigPath, io).GetAwaiter().GetResult();
        app.Lifetime.ApplicationStopping.Register(() => started.DisposeAsync().AsTask().Wait(ShutdownTimeout + TimeSpan.FromSeconds(2)));
        return started;
    }

    /// <summary>Same as <see cref="StartForHost"/> without the shutdown hook; the caller disposes the result.</summary>
    public static async Task<ClusterDemo> StartForHostAsync(IServiceProvider services, string? configPath, SocketIoServer io, CancellationToken cancellationToken = default)
    {
        if (io.Options.Adapter is not ClusterNode node)
            return await StartLocalAsync(io, cancellationToken).ConfigureAwait(false);
        var config = services.GetService<NodeConfig>()
            ?? (configPath is not null ? NodeConfig.Load(configPath, new ConfigurationBuilder().AddEnvironmentVariables().Build()) : NodeConfig.Default);
        if (services.GetService<ClusterHosting>() is { } hosting)
            return await StartAsync(io, node, hosting.Broker, ownsBroker: false, config.Cluster.ShardCount, cancellationToken).ConfigureAwait(false);
        // The host does not expose its broker: open a connection of our own to the same RabbitMQ.
        var uri = config.Cluster.RabbitMqUri ?? throw new ArgumentException("socketio.cluster.rabbitmq.uri (SOCKETIO__CLUSTER__RABBITMQ__URI) is required when cluster.enabled is true");
        var broker = new RabbitMqBroker(
            new RabbitMqBrokerOptions { Uri = new Uri(uri), ConnectionName = node.NodeId + "-demo" },
            io.LoggerFactory.CreateLogger<RabbitMqBroker>());
        try
        {
            await broker.StartAsync(cancellationToken).ConfigureAwait(false);
            return await StartAsync(io, node, broker, ownsBroker: true, config.Cluster.ShardCount, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await broker.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Starts the regions of a cluster node over its started <paramref name="broker"/>.</summary>
    public static Task<ClusterDemo> StartAsync(SocketIoServer io, ClusterNode node, IBroker broker, bool ownsBroker, int shardCount, CancellationToken cancellationToken = default) =>
        StartCoreAsync(io, broker, ownsBroker, node.Topology, node.NodeId, clustered: true, shardCount, cancellationToken);

    /// <summary>Starts the regions of a node that runs alone, over an in-memory broker of its own.</summary>
    public static async Task<ClusterDemo> StartLocalAsync(SocketIoServer io, CancellationToken cancellationToken = default)
    {
        var broker = new InMemoryBroker(new InMemoryBrokerHub(), "local");
        await broker.StartAsync(cancellationToken).ConfigureAwait(false);
        return await StartCoreAsync(io, broker, ownsBroker: true, new ClusterTopology("local"), "local", clustered: false, 16, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<ClusterDemo> StartCoreAsync(SocketIoServer io, IBroker broker, bool ownsBroker, ClusterTopology topology, string nodeId, bool clustered, int shardCount, CancellationToken cancellationToken)
    {
        var system = io.System;
        var settings = new ShardingSettings { ShardCount = shardCount, MessageTypes = MessageTypes() };
        var goneNodes = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        var usernames = await ShardRegion.Start(
            system, broker, topology, nodeId, UsernameType,
            _ => Props.Create<UsernameRegistryActor>(new Func<string, bool>(goneNodes.ContainsKey)),
            HashCodeMessageExtractor.Create(shardCount, m => m switch
            {
                UsernameRegistryProtocol.Claim c => UsernameRegistryProtocol.EntityId(c.Name),
                UsernameRegistryProtocol.Release r => UsernameRegistryProtocol.EntityId(r.Name),
                _ => null,
            }),
            settings, cancellationToken).ConfigureAwait(false);
        IActorRef counter;
        try
        {
            counter = await ShardRegion.Start(
                system, broker, topology, nodeId, CounterType,
                Props.Create<CounterActor>(io.Sockets),
                HashCodeMessageExtractor.Create(shardCount, m => m switch
                {
                    CounterProtocol.Increment i => i.CounterId,
                    CounterProtocol.SendCountTo s => s.CounterId,
                    CounterProtocol.GetCount g => g.CounterId,
                    _ => null,
                }),
                settings, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            system.Stop(usernames);
            throw;
        }
        var localUsernames = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        var logger = io.LoggerFactory.CreateLogger("SocketIo.Node.Demo");
        var relay = system.ActorOf(Props.Create<ClusterDemoRelayActor>(nodeId, new[] { usernames, counter }, usernames, localUsernames, goneNodes, logger), "demo-cluster-relay");
        var demo = new ClusterDemo(system, broker, ownsBroker, nodeId, clustered, usernames, counter, relay, localUsernames);
        broker.ConnectionStateChanged += demo.OnConnectionStateChanged;
        return demo;
    }

    private void OnConnectionStateChanged(object? sender, BrokerConnectionStateChanged change)
    {
        if (change.Current == BrokerConnectionState.Recovered)
            _relay.Tell(ClusterDemoRelayActor.BrokerRecovered.Instance, null);
    }

    /// <summary>Hands the shards over to the other nodes (bounded by <see cref="ShutdownTimeout"/>), then closes the broker if it is ours. Idempotent.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0) return;
        _broker.ConnectionStateChanged -= OnConnectionStateChanged;
        _system.Stop(_relay);
        await Task.WhenAll(ShutdownRegion(Usernames), ShutdownRegion(Counter)).ConfigureAwait(false);
        if (_ownsBroker) await _broker.DisposeAsync().ConfigureAwait(false);
    }

    private static async Task ShutdownRegion(IActorRef region)
    {
        try
        {
            await region.Ask<ShardRegionProtocol.ShutdownCompleted>(ShardRegionProtocol.GracefulShutdown.Instance, ShutdownTimeout).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AskTimeoutException or TimeoutException or OperationCanceledException)
        {
            // The actor system or the broker is already going: the others take the shards over when our consumers go.
        }
    }
}
