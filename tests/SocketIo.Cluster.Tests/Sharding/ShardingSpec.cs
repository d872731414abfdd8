using System.Collections.Concurrent;
using Akka.Actor;
using Akka.TestKit;
using SocketIo.Actors;
using SocketIo.Actors.Cluster.Broker;
using SocketIo.Actors.Cluster.Sharding;
using SocketIo.Actors.Internal;
using static SocketIo.Cluster.Tests.Sharding.CounterProtocol;

namespace SocketIo.Cluster.Tests.Sharding;

/// <summary>
/// Sharded entities on several nodes (one actor system and one broker instance each), run against
/// every broker implementation. Each test uses a fresh cluster name.
/// </summary>
public abstract class ShardingSpec : IAsyncLifetime
{
    protected const string TypeName = "counter";
    protected static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    private readonly List<ShardNode> _nodes = [];

    protected ShardingSpec()
    {
        Topology = new ClusterTopology("s" + Guid.NewGuid().ToString("N")[..12]);
        Events = Probe.Create(EventsSystem);
    }

    protected ClusterTopology Topology { get; }

    protected ConcurrentQueue<LogEntry> Logs { get; } = new();

    protected ActorSystem EventsSystem { get; } = SpecSystems.Create("events");

    /// <summary>Gets an <see cref="EntityStarted"/> from every entity of every node.</summary>
    protected TestProbe Events { get; }

    protected abstract IBroker CreateBroker(string node);

    /// <summary>The node's broker connection goes away without goodbye (or as close to it as the implementation allows).</summary>
    protected abstract Task KillBrokerAsync(IBroker broker);

    public Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.System.Terminate();
            await node.Broker.DisposeAsync();
        }

        await EventsSystem.Terminate();
    }

    protected async Task<ShardNode> StartNodeAsync(string name, ShardingMessageTypes? types = null, TimeSpan? passivateAfter = null)
    {
        var system = SpecSystems.Create(name, new CapturingLoggerFactory(name, Logs));
        var broker = CreateBroker(name);
        var node = new ShardNode(name, system, broker);
        _nodes.Add(node);
        await Eventually.Within(broker.StartAsync().ContinueWith(t => { t.GetAwaiter().GetResult(); return true; }), $"{name}'s broker to start");
        var events = Events.Ref;
        node.Region = await ShardRegion.Start(
            system,
            broker,
            Topology,
            name,
            TypeName,
            entityId => ActorProps.Of(() => new CounterEntity(entityId, name, events)),
            Extractor(),
            new ShardingSettings { MessageTypes = types ?? Types(), PassivateIdleEntityAfter = passivateAfter });
        return node;
    }

    /// <summary>Starts the nodes one after another, each time waiting until the shards are spread over the running ones.</summary>
    protected async Task<ShardNode[]> StartNodesAsync(params string[] names)
    {
        var started = new List<ShardNode>();
        foreach (var name in names)
        {
            started.Add(await StartNodeAsync(name));
            await AwaitEveryShardOwnedOnceAsync(started, everyNodeOwnsSome: true);
        }

        return [.. started];
    }

    protected static async Task<IReadOnlyList<ShardRegionProtocol.ShardState>> ShardsOf(ShardNode node) =>
        (await node.Region.Ask<ShardRegionProtocol.CurrentShardRegionState>(ShardRegionProtocol.GetShardRegionState.Instance, TimeSpan.FromSeconds(5))).Shards;

    /// <summary>Waits until the running nodes together own each of the 64 shards exactly once (and, optionally, each owns some).</summary>
    protected static async Task<Dictionary<string, int[]>> AwaitEveryShardOwnedOnceAsync(IReadOnlyList<ShardNode> nodes, bool everyNodeOwnsSome)
    {
        Dictionary<string, int[]> owners = [];
        await Eventually.Holds(
            async () =>
            {
                owners = [];
                foreach (var node in nodes)
                {
                    owners[node.Name] = [.. (await ShardsOf(node)).Select(s => s.ShardId)];
                }

                var all = owners.Values.SelectMany(s => s).ToList();
                Assert.Equal(64, all.Count);
                Assert.Equal(64, all.Distinct().Count());
                if (everyNodeOwnsSome)
                {
                    Assert.All(owners.Values, shards => Assert.NotEmpty(shards));
                }
            },
            "every shard has exactly one owner",
            Timeout);
        return owners;
    }

    /// <summary>An entity id whose shard is owned by <paramref name="owner"/>.</summary>
    protected static async Task<string> EntityOwnedBy(ShardNode owner, string prefix)
    {
        var shards = (await ShardsOf(owner)).Select(s => s.ShardId).ToHashSet();
        Assert.NotEmpty(shards);
        return Enumerable.Range(0, 10_000).Select(i => $"{prefix}-{i}").First(id => shards.Contains(HashCodeMessageExtractor.ShardIdFor(id, 64)));
    }

    [BrokerFact]
    public async Task Entity_is_created_on_first_message_and_gets_every_message_for_its_id()
    {
        var (a, _) = await TwoNodesAsync();
        var probe = Probe.Create(a.System);

        a.Region.Tell(new Add("alice", 1), probe.Ref);
        a.Region.Tell(new Add("alice", 2), probe.Ref);
        a.Region.Tell(new Add("alice", 3), probe.Ref);
        a.Region.Tell(new Add("bob", 10), probe.Ref);

        var replies = new List<Added>();
        for (var i = 0; i < 4; i++)
        {
            replies.Add(await probe.ExpectMsgAsync<Added>(Timeout));
        }

        Assert.Equal([1, 3, 6], replies.Where(r => r.EntityId == "alice").Select(r => r.Total));
        Assert.Equal([10], replies.Where(r => r.EntityId == "bob").Select(r => r.Total));
        var started = new[] { await Events.ExpectMsgAsync<EntityStarted>(), await Events.ExpectMsgAsync<EntityStarted>() };
        Assert.Equal(["alice", "bob"], started.Select(s => s.EntityId).Order());
        await Events.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(300));
    }

    [BrokerFact]
    public async Task The_same_entity_id_sent_from_two_nodes_reaches_one_entity()
    {
        var (a, b) = await TwoNodesAsync();
        var probeA = Probe.Create(a.System);
        var probeB = Probe.Create(b.System);

        a.Region.Tell(new Add("shared", 1), probeA.Ref);
        var first = await probeA.ExpectMsgAsync<Added>(Timeout);
        b.Region.Tell(new Add("shared", 10), probeB.Ref);
        var second = await probeB.ExpectMsgAsync<Added>(Timeout);
        a.Region.Tell(new Add("shared", 100), probeA.Ref);
        var third = await probeA.ExpectMsgAsync<Added>(Timeout);

        Assert.Equal([1, 11, 111], new[] { first.Total, second.Total, third.Total });
        Assert.Equal(3, third.Count);
        Assert.Single(new[] { first.Node, second.Node, third.Node }.Distinct());
        var started = await Events.ExpectMsgAsync<EntityStarted>();
        Assert.Equal(new EntityStarted("shared", first.Node), started);
        await Events.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(300));
    }

    [BrokerFact]
    public async Task Messages_from_one_sender_reach_a_remote_entity_in_order()
    {
        var (a, b) = await TwoNodesAsync();
        var entity = await EntityOwnedBy(b, "ordered");
        var probe = Probe.Create(a.System);

        for (var i = 0; i < 1000; i++)
        {
            a.Region.Tell(new Add(entity, i), probe.Ref);
        }

        var values = new List<int>();
        for (var i = 0; i < 1000; i++)
        {
            var added = await probe.ExpectMsgAsync<Added>(Timeout);
            Assert.Equal("b", added.Node);
            values.Add(added.Value);
        }

        Assert.Equal(Enumerable.Range(0, 1000), values);
    }

    [BrokerFact]
    public async Task Ask_across_nodes_returns_the_reply_and_a_failure_reply_fails_the_ask()
    {
        var (a, b) = await TwoNodesAsync();
        var entity = await EntityOwnedBy(b, "asked");

        var reply = await a.Region.Ask<Added>(new Add(entity, 5), Timeout);
        var failure = await Assert.ThrowsAsync<ShardingRemoteException>(() => a.Region.Ask<Added>(new Add(entity, -1), Timeout));

        Assert.Equal(new Added(entity, 5, 5, 1, "b"), reply);
        Assert.Equal(typeof(InvalidOperationException).FullName, failure.RemoteType);
        Assert.Contains("negative value -1", failure.Message, StringComparison.Ordinal);
    }

    [BrokerFact]
    public async Task After_the_owner_dies_a_surviving_node_hosts_the_entity_with_fresh_state()
    {
        var nodes = await StartNodesAsync("a", "b", "c");
        var (a, b) = (nodes[0], nodes[1]);
        var entity = await EntityOwnedBy(b, "survivor");
        Assert.Equal(new Added(entity, 1, 1, 1, "b"), await a.Region.Ask<Added>(new Add(entity, 1), Timeout));
        Assert.Equal(new Added(entity, 2, 3, 2, "b"), await a.Region.Ask<Added>(new Add(entity, 2), Timeout));

        await KillBrokerAsync(b.Broker);
        await b.System.Terminate();

        // One message, no retry: the broker hands the shard queue to another consumer, which
        // learns it owns the shard from this very delivery.
        var after = await a.Region.Ask<Added>(new Add(entity, 4), Timeout);
        Assert.NotEqual("b", after.Node);
        Assert.Equal(new Added(entity, 4, 4, 1, after.Node), after);

        // Membership reports b gone: the survivors probe, so every shard has a known owner again.
        a.Region.Tell(new ShardRegionProtocol.MemberRemoved("b"), ActorRefs.NoSender);
        await AwaitEveryShardOwnedOnceAsync([nodes[0], nodes[2]], everyNodeOwnsSome: true);
    }

    [BrokerFact]
    public async Task Shards_spread_over_three_nodes_as_they_join()
    {
        var nodes = await StartNodesAsync("a", "b", "c");

        // A node starting alone wins every queue; each join makes nodes above ceil(64 / nodes)
        // hand their excess to the newcomer: 64, then 32/32, then 22/22/20.
        await Eventually.Holds(
            async () =>
            {
                var owners = await AwaitEveryShardOwnedOnceAsync(nodes, everyNodeOwnsSome: true);
                Assert.Equal([20, 22, 22], owners.Values.Select(v => v.Length).Order());
                Assert.InRange(owners["c"].Length, 20, 22);
            },
            "the shards settle at 22/22/20",
            Timeout);
    }

    private async Task<(ShardNode A, ShardNode B)> TwoNodesAsync()
    {
        var nodes = await StartNodesAsync("a", "b");
        return (nodes[0], nodes[1]);
    }
}

/// <summary>One simulated node.</summary>
public sealed class ShardNode(string name, ActorSystem system, IBroker broker)
{
    public string Name { get; } = name;

    public ActorSystem System { get; } = system;

    public IBroker Broker { get; } = broker;

    public IActorRef Region { get; set; } = ActorRefs.Nobody;
}
