using System.Collections.Concurrent;
using System.Diagnostics;
using SocketIo.Actors.Cluster.Broker;

namespace SocketIo.Cluster.Tests;

/// <summary>
/// The broker spec suite on a real RabbitMQ (env RABBITMQ_URI, as printed by scripts/rabbitmq.sh
/// start). Without it these tests fail, unless SOCKETIO_SKIP_RABBITMQ=1 skips them.
/// </summary>
[RequiresRabbitMq]
public sealed class RabbitMqBrokerSpec : BrokerSpec
{
    protected override IBroker CreateBroker(string node) => new RabbitMqBroker(new RabbitMqBrokerOptions
    {
        Uri = RabbitMqEnvironment.RequireUri(),
        ConnectionName = $"{Topology.ClusterName}-{node}",
    });

    [BrokerFact]
    public async Task Starting_against_an_unreachable_server_fails_with_broker_unavailable()
    {
        await using var broker = new RabbitMqBroker(new RabbitMqBrokerOptions
        {
            Uri = new Uri("amqp://guest:guest@127.0.0.1:1/"),
            OperationTimeout = TimeSpan.FromSeconds(2),
        });

        await Assert.ThrowsAsync<BrokerUnavailableException>(() => Eventually.Within(broker.StartAsync().ContinueWith(t => { t.GetAwaiter().GetResult(); return true; }), "the failed start"));
    }
}

/// <summary>
/// Restarts the shared broker with scripts/rabbitmq.sh (only with SOCKETIO_RABBITMQ_RESTART_TEST=1;
/// its collection runs after all others) and checks that nodes recover by themselves.
/// </summary>
[RequiresRabbitMq]
[Collection(RestartLastOrderer.RestartCollection)]
public sealed class RabbitMqRestartSpec : IAsyncLifetime
{
    private readonly ClusterTopology _topology = new("r" + Guid.NewGuid().ToString("N")[..12]);
    private readonly List<RabbitMqBroker> _nodes = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }
    }

    [BrokerFact(RestartsBroker = true)]
    public async Task After_a_broker_restart_nodes_reconnect_redeclare_and_messages_flow_again_within_10_seconds()
    {
        var a = await StartAsync("a");
        var b = await StartAsync("b");
        var states = new ConcurrentQueue<BrokerConnectionState>();
        b.ConnectionStateChanged += (_, change) => states.Enqueue(change.Current);
        var broadcasts = new Inbox();
        await b.SubscribeAsync(QueueSpec.Exclusive(_topology.NodeQueue("b"), new QueueBinding(_topology.BroadcastExchange.Name, _topology.AllBroadcastsPattern)), broadcasts.Handler);
        var shard = new Inbox();
        var shardSub = await b.SubscribeAsync(QueueSpec.SingleActive(_topology.ShardQueue("user", 1), new QueueBinding(_topology.ShardExchange.Name, _topology.ShardKey("user", 1))), shard.Handler);
        await a.PublishAsync(Message(_topology.BroadcastExchange, _topology.NamespaceBroadcastKey("/"), "before"));
        await Eventually.Holds(() => broadcasts.Count == 1, "the broadcast before the restart arrives");

        Script("stop");
        await Eventually.Holds(() => a.State == BrokerConnectionState.ConnectionLost && b.State == BrokerConnectionState.ConnectionLost, "both nodes notice the loss");
        Assert.False(shardSub.IsActive);
        var failing = Stopwatch.StartNew();
        await Assert.ThrowsAsync<BrokerUnavailableException>(() => a.PublishAsync(Message(_topology.BroadcastExchange, _topology.NamespaceBroadcastKey("/"), "while down")));
        Assert.True(failing.Elapsed < TimeSpan.FromSeconds(6), $"publishing while down failed after {failing.Elapsed}, not at once");

        Script("start");
        await Eventually.Holds(() => a.State == BrokerConnectionState.Recovered && b.State == BrokerConnectionState.Recovered, "both nodes recover", TimeSpan.FromSeconds(10));
        await Eventually.Holds(
            async () =>
            {
                await a.PublishAsync(Message(_topology.BroadcastExchange, _topology.NamespaceBroadcastKey("/"), "after"));
                await a.PublishAsync(Message(_topology.ShardExchange, _topology.ShardKey("user", 1), "shard-after"));
            },
            "publishing works again");
        await Eventually.Holds(() => broadcasts.Bodies.Contains("after") && shard.Bodies.Contains("shard-after"), "the recovered queues receive again", TimeSpan.FromSeconds(10));
        Assert.True(shardSub.IsActive);
        Assert.Equal([BrokerConnectionState.ConnectionLost, BrokerConnectionState.Recovered], states.Distinct());
    }

    private async Task<RabbitMqBroker> StartAsync(string node)
    {
        var broker = new RabbitMqBroker(new RabbitMqBrokerOptions { Uri = RabbitMqEnvironment.RequireUri(), ConnectionName = $"{_topology.ClusterName}-{node}" });
        _nodes.Add(broker);
        await broker.StartAsync();
        foreach (var exchange in _topology.Exchanges)
        {
            await broker.DeclareExchangeAsync(exchange);
        }

        return broker;
    }

    private static BrokerMessage Message(ExchangeSpec exchange, string key, string body) =>
        new(exchange.Name, key, System.Text.Encoding.UTF8.GetBytes(body));

    private static void Script(string command)
    {
        var root = RabbitMqEnvironment.RepositoryRoot();
        var info = new ProcessStartInfo("bash", [Path.Combine(root, "scripts", "rabbitmq.sh"), command])
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(150)))
        {
            process.Kill(entireProcessTree: true);
            throw new Xunit.Sdk.XunitException($"scripts/rabbitmq.sh {command} did not finish in 150s");
        }

        Assert.True(process.ExitCode == 0, $"scripts/rabbitmq.sh {command} exited {process.ExitCode}: {stderr.Result}{stdout.Result}");
    }
}
