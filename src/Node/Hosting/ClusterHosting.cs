using Akka.Actor;
using Akka.Configuration;
using SocketIo.Actors;
using SocketIo.Actors.Cluster.Adapter;
using SocketIo.Node.Configuration;
using SocketIo.Node.Forwarding;
using SocketIo.Transport.EngineIo;
using Microsoft.Extensions.Options;
using AkkaCluster = Akka.Cluster.Cluster;

namespace SocketIo.Node.Hosting;

/// <summary>
/// The host's side of the cluster (<c>cluster.enabled = true</c>): the host's Akka.Hosting actor system runs with
/// the cluster provider (Akka.Remote on <c>cluster.hostname:cluster.port</c>, the seed nodes and role of
/// <c>socketio.cluster</c>), the <see cref="ClusterNode"/> whose adapter the Socket.IO server uses lives in it, and
/// start-up waits until this node is an Up member. Shutdown order (SIGTERM): leave the cluster first (the others
/// stop counting this node at once and its shards are handed off), then the engine disconnects the clients with
/// "server shutting down", then the host's CoordinatedShutdown stops the server's sockets and the actor system.
/// </summary>
public sealed class ClusterHosting
{
    private ClusterHosting(ActorSystem system, ClusterNode node, EngineSessionForwarder forwarder, NodeConfig config)
    {
        System = system;
        Node = node;
        Forwarder = forwarder;
        Config = config;
    }

    public ActorSystem System { get; }
    public ClusterNode Node { get; }

    /// <summary>Serves requests for sessions of other members (no sticky sessions needed); its tag prefixes this node's sids.</summary>
    public EngineSessionForwarder Forwarder { get; }
    public NodeConfig Config { get; }

    /// <summary>
    /// Akka settings every cluster node gets unless the file's <c>akka</c> section says otherwise: sharding keeps its
    /// coordinator state in Distributed Data (no journal needed), remembers no entities and never passivates them for
    /// being idle (the demo's counter and names live in memory), and the split brain
    /// resolver (keep-majority) downs the minority side of a partition.
    /// </summary>
    public static Config ClusterDefaults { get; } = ConfigurationFactory.ParseString("""
        akka.cluster {
          downing-provider-class = "Akka.Cluster.SBR.SplitBrainResolverProvider, Akka.Cluster"
          split-brain-resolver {
            active-strategy = keep-majority
            stable-after = 7s
          }
          sharding {
            state-store-mode = ddata
            remember-entities = off
            passivate-idle-entity-after = off
          }
        }
        """);

    /// <summary>
    /// This node's own Akka settings, from <c>socketio.cluster</c> (so each node's environment can set them): the
    /// cluster provider, where Akka.Remote listens, the seed nodes and the role. They win over the file's akka section.
    /// When <paramref name="fileHocon"/> turns on TLS (<c>akka.remote.dot-netty.tcp.enable-ssl</c>) the seed nodes
    /// are dialled as <c>akka.ssl.tcp://</c>: TLS is then Akka.Remote's only transport and a node ignores a seed of
    /// another protocol, so an <c>akka.tcp://</c> seed would never be joined.
    /// </summary>
    public static Config NodeSettings(ClusterConfig cluster, Config? fileHocon = null)
    {
        var tls = fileHocon?.GetBoolean("akka.remote.dot-netty.tcp.enable-ssl", false) ?? false;
        var seeds = string.Join(", ", cluster.SeedNodes.Select(s => $"\"{(tls ? OverTls(s) : s)}\""));
        return ConfigurationFactory.ParseString($$"""
            akka.actor.provider = cluster
            akka.remote.dot-netty.tcp {
              hostname = "{{cluster.Hostname}}"
              port = {{cluster.Port}}
            }
            akka.cluster {
              seed-nodes = [{{seeds}}]
              roles = ["{{cluster.Role}}"]
            }
            """);
    }

    /// <summary>A seed node's address (<c>akka.tcp://</c>, as NodeConfig gives it) under Akka.Remote's TLS protocol.</summary>
    private static string OverTls(string seed) =>
        seed.StartsWith("akka.tcp://", StringComparison.Ordinal) ? "akka.ssl.tcp://" + seed["akka.tcp://".Length..] : seed;

    /// <summary>
    /// Registers the clustered node's services: the actor system named <c>cluster.cluster-name</c> (<see cref="ClusterDefaults"/>,
    /// then <paramref name="fileHocon"/>, then <see cref="NodeSettings"/>, each in front of the one before), this
    /// <see cref="ClusterHosting"/>, the <see cref="SocketIoServer"/> with the cluster adapter, and engine options
    /// applied to every <c>MapEngineIo</c>/<c>MapSocketIo</c> of the node: sids prefixed with this member's tag, and the
    /// <see cref="EngineSessionForwarder"/> for sessions of other members.
    /// </summary>
    public static void AddTo(IServiceCollection services, NodeConfig config, Config? fileHocon)
    {
        // The serializers are bound in the configuration, so they are in place before the first message arrives
        // (a node's peers talk to its replicator and its cluster actor as soon as it has joined).
        var akka = NodeSettings(config.Cluster, fileHocon)
            .WithFallback(fileHocon ?? Akka.Configuration.Config.Empty)
            .WithFallback(ClusterDefaults)
            .WithFallback(ClusterNode.SerializationConfig)
            .WithFallback(Apps.Internal.DemoMessageSerializer.SerializationConfig)
            .WithFallback(EngineForwardingSerializer.SerializationConfig)
            .WithFallback(Akka.Cluster.Sharding.ClusterSharding.DefaultConfig())
            .WithFallback(Akka.DistributedData.DistributedData.DefaultConfig());
        services.AddSocketIoActorSystem(akka, config.Cluster.ClusterName);
        services.AddSingleton(sp =>
        {
            var system = sp.GetRequiredService<ActorSystem>();
            var node = ClusterNode.Start(system, new ClusterOptions
            {
                NodeName = config.NodeName,
                Role = config.Cluster.Role,
                RequestTimeout = config.Cluster.RequestTimeout,
            }, sp.GetService<ILoggerFactory>());
            // Started before the node joins, so its actor is there when the other members see this node.
            var forwarder = EngineSessionForwarder.Start(system, config.Cluster.Role, sp.GetService<ILoggerFactory>());
            return new ClusterHosting(system, node, forwarder, config);
        });
        services.AddSingleton<IConfigureOptions<EngineIoOptions>>(sp =>
            new ConfigureOptions<EngineIoOptions>(o => sp.GetRequiredService<ClusterHosting>().Forwarder.ApplyTo(o)));
        services.AddSingleton(sp =>
        {
            var hosting = sp.GetRequiredService<ClusterHosting>();
            var options = new SocketIoOptions { Adapter = hosting.Node };
            config.ApplyTo(options);
            return new SocketIoServer(options, sp.GetService<ILoggerFactory>(), hosting.System);
        });
    }

    /// <summary>
    /// Starts the node's cluster membership and waits until it is an Up member: with seed nodes it joins them (Akka
    /// retries until one answers), without them it forms a cluster of its own. Throws <see cref="TimeoutException"/>
    /// after <c>cluster.join-timeout</c>.
    /// </summary>
    public static async Task<ClusterHosting> JoinAsync(IServiceProvider services)
    {
        var hosting = services.GetRequiredService<ClusterHosting>();
        var cluster = AkkaCluster.Get(hosting.System);
        var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        cluster.RegisterOnMemberUp(() => up.TrySetResult());
        if (hosting.Config.Cluster.SeedNodes.Count == 0) cluster.Join(cluster.SelfAddress);
        try
        {
            await up.Task.WaitAsync(hosting.Config.Cluster.JoinTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            var seeds = hosting.Config.Cluster.SeedNodes.Count == 0 ? "itself" : string.Join(", ", hosting.Config.Cluster.SeedNodes);
            throw new TimeoutException($"{cluster.SelfAddress} was not an Up member of the cluster after {hosting.Config.Cluster.JoinTimeout.TotalSeconds:0.#} s (joining {seeds})");
        }
        return hosting;
    }

    /// <summary>
    /// <c>GET /cluster/members</c>: the members as this node sees them (address, status, roles, reachability, and
    /// which one is this node), for <c>run-cluster.sh status</c> and operators.
    /// </summary>
    public void MapMembers(WebApplication app) => app.MapGet("/cluster/members", () =>
    {
        var cluster = AkkaCluster.Get(System);
        var state = cluster.State;
        var unreachable = state.Unreachable.Select(m => m.Address).ToHashSet();
        return Results.Json(new
        {
            self = cluster.SelfAddress.ToString(),
            leader = state.Leader?.ToString(),
            members = state.Members.Select(m => new
            {
                address = m.Address.ToString(),
                status = m.Status.ToString(),
                roles = m.Roles.ToArray(),
                reachable = !unreachable.Contains(m.Address),
            }).ToArray(),
        });
    });

    /// <summary>
    /// Hooks the shutdown order onto <paramref name="app"/>. Call it after the Socket.IO endpoint is mapped:
    /// ApplicationStopping callbacks run in reverse order of registration, so leaving runs before the engine
    /// closes its sessions, and before leaving this node stops relaying WebSockets of other members' sessions (their
    /// clients see their socket closed and reconnect; the owners close those sessions).
    /// </summary>
    public void HookShutdown(WebApplication app, SocketIoServer server)
    {
        app.Lifetime.ApplicationStopping.Register(() => Node.LeaveAsync().Wait(TimeSpan.FromSeconds(12)));
        app.Lifetime.ApplicationStopping.Register(Forwarder.StopRelaying);
        app.Lifetime.ApplicationStopped.Register(() => server.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(10)));
    }
}
