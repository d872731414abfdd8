using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Cluster.Sharding;
using SocketIo.Actors;
using SocketIo.Actors.Cluster.Adapter;
using SocketIo.Node.Apps.Internal;

namespace SocketIo.Node.Apps;

/// <summary>
/// The demos' entities on this node: "chat-username" (<see cref="UsernameRegistryActor"/>, one entity per lower-cased
/// name) and "counter" (<see cref="CounterActor"/>). In a cluster they are Akka.Cluster.Sharding entities (coordinator
/// state in Distributed Data), so a name or the count is one entity for the whole cluster wherever it is asked from;
/// on a single node the same actors run under a <see cref="LocalEntityRegion"/>, so the demos have one code path
/// either way.
/// </summary>
/// <remarks>
/// Entity state is in memory (no remember-entities, no journal). When a node is lost, the shards it hosted start
/// again on the survivors at the next message: the count starts again from 0, and the names kept there are free
/// until their holders' nodes claim them back (<see cref="ClusterDemoRelayActor"/> re-claims this node's names when
/// another node is removed). A graceful leave hands the shards off; their state still starts empty on the new node.
/// </remarks>
public sealed class ClusterDemo : IAsyncDisposable
{
    /// <summary>Entity type (region) of the chat's usernames.</summary>
    public const string UsernameType = "chat-username";

    /// <summary>Entity type (region) of the counter.</summary>
    public const string CounterType = "counter";

    private readonly ActorSystem _system;
    private readonly IActorRef _relay;
    private int _stopped;

    private ClusterDemo(ActorSystem system, string nodeId, bool clustered, IActorRef usernames, IActorRef counter, IActorRef relay, ConcurrentDictionary<string, string> localUsernames)
    {
        _system = system;
        NodeId = nodeId;
        IsClustered = clustered;
        Usernames = usernames;
        Counter = counter;
        _relay = relay;
        LocalUsernames = localUsernames;
    }

    /// <summary>This node's id (in a cluster, its Akka address; "local" alone).</summary>
    public string NodeId { get; }

    /// <summary>Whether the entities are sharded across a cluster (false: local to this node).</summary>
    public bool IsClustered { get; }

    /// <summary>The "chat-username" region: tell it <see cref="UsernameRegistryProtocol"/> messages.</summary>
    public IActorRef Usernames { get; }

    /// <summary>The "counter" region: tell it <see cref="CounterProtocol"/> messages.</summary>
    public IActorRef Counter { get; }

    /// <summary>The names held by this node's sockets (socket id → name as claimed), re-claimed after a failover.</summary>
    public ConcurrentDictionary<string, string> LocalUsernames { get; }

    /// <summary>Starts the demo entities for the host (sharded when <paramref name="io"/> uses the cluster adapter); they stop with the host.</summary>
    public static ClusterDemo StartForHost(WebApplication app, SocketIoServer io, int shardCount)
    {
        var started = StartAsync(io, shardCount).GetAwaiter().GetResult();
        app.Lifetime.ApplicationStopping.Register(() => started.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(5)));
        return started;
    }

    /// <summary>Starts the entities: Akka.Cluster.Sharding regions of <paramref name="shardCount"/> shards in a cluster, local regions otherwise.</summary>
    public static async Task<ClusterDemo> StartAsync(SocketIoServer io, int shardCount)
    {
        var system = io.System;
        var goneNodes = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        var usernameProps = Props.Create(() => new UsernameRegistryActor(goneNodes.ContainsKey));
        var counterProps = Props.Create(() => new CounterActor(io.Sockets));
        var usernameExtractor = HashCodeMessageExtractor.Create(shardCount, m => m switch
        {
            UsernameRegistryProtocol.Claim c => UsernameRegistryProtocol.EntityId(c.Name),
            UsernameRegistryProtocol.Release r => UsernameRegistryProtocol.EntityId(r.Name),
            _ => null,
        });
        var counterExtractor = HashCodeMessageExtractor.Create(shardCount, m => m switch
        {
            CounterProtocol.Increment i => i.CounterId,
            CounterProtocol.SendCountTo s => s.CounterId,
            CounterProtocol.GetCount g => g.CounterId,
            _ => null,
        });
        IActorRef usernames, counter;
        string nodeId;
        var node = io.Options.Adapter as ClusterNode;
        if (node is not null)
        {
            DemoMessageSerializer.Register(system);
            var sharding = ClusterSharding.Get(system);
            var settings = ClusterShardingSettings.Create(system).WithRole(node.Options.Role);
            usernames = await sharding.StartAsync(UsernameType, usernameProps, settings, usernameExtractor).ConfigureAwait(false);
            counter = await sharding.StartAsync(CounterType, counterProps, settings, counterExtractor).ConfigureAwait(false);
            nodeId = node.NodeId;
        }
        else
        {
            usernames = system.ActorOf(Props.Create(() => new LocalEntityRegion(usernameProps, usernameExtractor)), "demo-" + UsernameType);
            counter = system.ActorOf(Props.Create(() => new LocalEntityRegion(counterProps, counterExtractor)), "demo-" + CounterType);
            nodeId = "local";
        }
        var localUsernames = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        var logger = io.LoggerFactory.CreateLogger("SocketIo.Node.Demo");
        var relay = system.ActorOf(Props.Create(() => new ClusterDemoRelayActor(nodeId, usernames, localUsernames, goneNodes, logger)), "demo-cluster-relay");
        return new ClusterDemo(system, nodeId, node is not null, usernames, counter, relay, localUsernames);
    }

    /// <summary>Stops the relay; sharded regions hand their shards off in the actor system's CoordinatedShutdown. Idempotent.</summary>
    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 0) _system.Stop(_relay);
        return ValueTask.CompletedTask;
    }
}
