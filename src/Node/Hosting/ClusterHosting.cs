using Akka.Actor;
using SocketIo.Actors;
using SocketIo.Actors.Cluster.Adapter;
using SocketIo.Actors.Cluster.Broker;
using SocketIo.Node.Configuration;

namespace SocketIo.Node.Hosting;

/// <summary>
/// The host's side of the cluster (<c>cluster.enabled = true</c>): the host's actor system (Akka.Hosting) shared by
/// the cluster node and the Socket.IO server, the RabbitMQ broker, and the <see cref="ClusterNode"/> whose adapter
/// the server uses. Shutdown order (SIGTERM): leave the cluster first (the others drop this node at once), then the
/// engine disconnects the clients with "server shutting down", then the host's CoordinatedShutdown stops the server's
/// sockets and the actor system, and the broker closes last.
/// </summary>
public sealed class ClusterHosting
{
    private ClusterHosting(ActorSystem system, RabbitMqBroker broker, ClusterNode node)
    {
        System = system;
        Broker = broker;
        Node = node;
    }

    public ActorSystem System { get; }
    public RabbitMqBroker Broker { get; }
    public ClusterNode Node { get; }

    /// <summary>Connects to RabbitMQ and joins the cluster in <paramref name="system"/> (the host's); throws <see cref="BrokerUnavailableException"/> when the broker cannot be reached.</summary>
    public static async Task<ClusterHosting> StartAsync(NodeConfig config, string address, ILoggerFactory loggerFactory, ActorSystem system, CancellationToken cancellationToken = default)
    {
        var cluster = config.Cluster;
        if (cluster.RabbitMqUri is not { Length: > 0 } uri)
            throw new ArgumentException("cluster.rabbitmq.uri (SOCKETIO_RABBITMQ_URI) is required when cluster.enabled is true");
        var broker = new RabbitMqBroker(
            new RabbitMqBrokerOptions { Uri = new Uri(uri), ConnectionName = config.NodeName },
            loggerFactory.CreateLogger<RabbitMqBroker>());
        try
        {
            var node = await ClusterNode.StartAsync(system, broker, new ClusterOptions
            {
                ClusterName = cluster.ClusterName,
                NodeId = config.NodeName,
                Address = address,
                HeartbeatInterval = cluster.HeartbeatInterval,
                HeartbeatTimeout = cluster.HeartbeatTimeout,
                RequestTimeout = cluster.RequestTimeout,
            }, loggerFactory, cancellationToken).ConfigureAwait(false);
            return new ClusterHosting(system, broker, node);
        }
        catch
        {
            await broker.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The Socket.IO server of this node, on the shared actor system, with the cluster adapter plugged in.</summary>
    public SocketIoServer CreateServer(NodeConfig config, ILoggerFactory loggerFactory)
    {
        var options = new SocketIoOptions { Adapter = Node };
        config.ApplyTo(options);
        return new SocketIoServer(options, loggerFactory, System);
    }

    /// <summary>
    /// Hooks the shutdown order onto <paramref name="app"/>. Call it after the Socket.IO endpoint is mapped:
    /// ApplicationStopping callbacks run in reverse order of registration, so leaving runs before the engine
    /// closes its sessions.
    /// </summary>
    public void HookShutdown(WebApplication app, SocketIoServer server)
    {
        app.Lifetime.ApplicationStopping.Register(() => Node.LeaveAsync().Wait(TimeSpan.FromSeconds(10)));
        app.Lifetime.ApplicationStopped.Register(() =>
        {
            // The host's CoordinatedShutdown has stopped the server's sockets and the actor system by now (the
            // disposal is idempotent); the broker goes last.
            server.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(10));
            Broker.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(5));
        });
    }
}
