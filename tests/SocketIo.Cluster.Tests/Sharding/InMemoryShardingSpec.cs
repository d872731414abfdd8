using System.Collections.Concurrent;
using Akka.Actor;
using Microsoft.Extensions.Logging;
using SocketIo.Actors;
using SocketIo.Actors.Cluster.Broker;
using SocketIo.Actors.Cluster.Sharding;
using SocketIo.Actors.Internal;
using static SocketIo.Cluster.Tests.Sharding.CounterProtocol;

namespace SocketIo.Cluster.Tests.Sharding;

/// <summary>The sharding suite on <see cref="InMemoryBroker"/> nodes sharing one hub, plus specs that need its crash hooks or logs.</summary>
public sealed class InMemoryShardingSpec : ShardingSpec
{
    private readonly InMemoryBrokerHub _hub = new();

    protected override IBroker CreateBroker(string node) => new InMemoryBroker(_hub, node);

    protected override Task KillBrokerAsync(IBroker broker)
    {
        ((InMemoryBroker)broker).Crash();
        return Task.CompletedTask;
    }

    [BrokerFact]
    public async Task A_message_of_a_type_the_owner_does_not_know_is_dropped_with_a_log()
    {
        var a = await StartNodeAsync("a", Types().Register<Secret>("secret"));
        var b = await StartNodeAsync("b");
        await AwaitEveryShardOwnedOnceAsync([a, b], everyNodeOwnsSome: true);
        var entity = await EntityOwnedBy(b, "guarded");
        var probe = Probe.Create(a.System);

        a.Region.Tell(new Secret(entity, "psst"), probe.Ref);
        a.Region.Tell(new Add(entity, 7), probe.Ref);

        // The later message still arrives, and is the entity's first: the secret never reached it.
        Assert.Equal(new Added(entity, 7, 7, 1, "b"), await probe.ExpectMsgAsync<Added>(Timeout));
        var error = Assert.Single(Logs, l => l.EventId == 3210);
        Assert.Equal("b", error.Node);
        Assert.Equal(LogLevel.Error, error.Level);
        Assert.Contains("Unknown message type 'secret'", error.Text, StringComparison.Ordinal);
    }

    [BrokerFact]
    public async Task Asking_with_an_unregistered_message_type_fails_at_once()
    {
        var (a, _) = (await StartNodesAsync("a", "b")) is var n ? (n[0], n[1]) : default;

        var failure = await Assert.ThrowsAsync<ShardingSerializationException>(() => a.Region.Ask<Added>(new Secret("x", "?"), Timeout));

        Assert.Contains("not registered", failure.Message, StringComparison.Ordinal);
        Assert.Contains(Logs, l => l.EventId == 3211 && l.Node == "a");
    }

    [BrokerFact]
    public async Task A_connection_loss_moves_the_owners_shards_and_recovery_puts_it_back_in_line()
    {
        var nodes = await StartNodesAsync("a", "b");
        var (a, b) = (nodes[0], nodes[1]);
        var entity = await EntityOwnedBy(b, "flaky");
        Assert.Equal("b", (await a.Region.Ask<Added>(new Add(entity, 1), Timeout)).Node);

        ((InMemoryBroker)b.Broker).SimulateConnectionLoss();
        await Eventually.Holds(async () => Assert.Empty(await ShardsOf(b)), "b stops its shards");
        var moved = await a.Region.Ask<Added>(new Add(entity, 2), Timeout);
        ((InMemoryBroker)b.Broker).SimulateRecovery();

        Assert.Equal(new Added(entity, 2, 2, 1, "a"), moved);
        await AwaitEveryShardOwnedOnceAsync(nodes, everyNodeOwnsSome: false);
        Assert.Equal("a", (await a.Region.Ask<Added>(new Add(entity, 3), Timeout)).Node);
    }

    [BrokerFact]
    public async Task Idle_entities_are_passivated_and_restart_fresh_on_the_next_message()
    {
        var a = await StartNodeAsync("a", passivateAfter: TimeSpan.FromMilliseconds(200));
        await AwaitEveryShardOwnedOnceAsync([a], everyNodeOwnsSome: true);

        Assert.Equal(1, (await a.Region.Ask<Added>(new Add("sleepy", 1), Timeout)).Total);
        Assert.Equal("sleepy", (await Events.ExpectMsgAsync<EntityStarted>()).EntityId);
        await Eventually.Holds(async () => Assert.DoesNotContain(await ShardsOf(a), s => s.EntityIds.Contains("sleepy")), "the idle entity stops");
        var again = await a.Region.Ask<Added>(new Add("sleepy", 5), Timeout);

        Assert.Equal(new Added("sleepy", 5, 5, 1, "a"), again);
        Assert.Equal("sleepy", (await Events.ExpectMsgAsync<EntityStarted>()).EntityId);
    }

    [BrokerFact]
    public async Task Graceful_shutdown_hands_the_shards_to_the_remaining_node()
    {
        var nodes = await StartNodesAsync("a", "b");
        var (a, b) = (nodes[0], nodes[1]);
        var entity = await EntityOwnedBy(b, "leaving");

        await b.Region.Ask<ShardRegionProtocol.ShutdownCompleted>(ShardRegionProtocol.GracefulShutdown.Instance, Timeout);

        Assert.Equal(new Added(entity, 1, 1, 1, "a"), await a.Region.Ask<Added>(new Add(entity, 1), Timeout));
        await AwaitEveryShardOwnedOnceAsync([a], everyNodeOwnsSome: true);
    }

    [BrokerFact]
    public async Task Socket_directory_delivers_locally_and_to_the_owning_node_and_replies_cross_back()
    {
        var (a, socketsA, dirA) = await StartDirectoryNodeAsync("a");
        var (b, socketsB, dirB) = await StartDirectoryNodeAsync("b");
        var socketEvents = Probe.Create(EventsSystem);
        socketsA["sock-a"] = a.ActorOf(ActorProps.Of(() => new EchoSocket("a", socketEvents.Ref)));
        socketsB["sock-b"] = b.ActorOf(ActorProps.Of(() => new EchoSocket("b", socketEvents.Ref)));
        var probe = Probe.Create(a);

        dirA.Tell("sock-a", new Ping("local"), probe.Ref);
        Assert.Equal(new Pong("local", "a"), await probe.ExpectMsgAsync<Pong>(Timeout));

        dirA.Tell("sock-b", new Ping("remote-1"), probe.Ref);
        Assert.Equal(new Pong("remote-1", "b"), await probe.ExpectMsgAsync<Pong>(Timeout));
        await Eventually.Holds(() => dirA.TryGetOwner("sock-b", out var owner) && owner == "b", "a learns that b owns sock-b");
        dirA.Tell("sock-b", new Ping("remote-2"), probe.Ref);
        Assert.Equal(new Pong("remote-2", "b"), await probe.ExpectMsgAsync<Pong>(Timeout));

        dirB.Tell("nobody-has-this", new Ping("lost"), probe.Ref);
        await probe.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(300));
        var pings = new List<string>();
        for (var i = 0; i < 3; i++) pings.Add((await socketEvents.ExpectMsgAsync<Ping>()).Text);
        Assert.Equal(["local", "remote-1", "remote-2"], pings);
        Assert.False(socketEvents.HasMessages);
    }

    [BrokerFact]
    public async Task Socket_directory_forgets_an_owner_whose_socket_is_gone()
    {
        var (a, _, dirA) = await StartDirectoryNodeAsync("a");
        var (b, socketsB, _) = await StartDirectoryNodeAsync("b");
        var socketEvents = Probe.Create(EventsSystem);
        socketsB["sock-b"] = b.ActorOf(ActorProps.Of(() => new EchoSocket("b", socketEvents.Ref)));
        var probe = Probe.Create(a);
        dirA.Tell("sock-b", new Ping("one"), probe.Ref);
        await probe.ExpectMsgAsync<Pong>(Timeout);
        await Eventually.Holds(() => dirA.TryGetOwner("sock-b", out _), "a learns the owner");

        socketsB.TryRemove("sock-b", out _);
        dirA.Tell("sock-b", new Ping("two"), probe.Ref);

        await Eventually.Holds(() => !dirA.TryGetOwner("sock-b", out _), "a forgets the owner");
        await probe.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void Shard_ids_come_from_a_stable_hash_of_the_entity_id()
    {
        // FNV-1a 32-bit: fixed values, the same in every process.
        Assert.Equal(0x811C9DC5u, HashCodeMessageExtractor.StableHash(string.Empty));
        Assert.Equal(0xE40C292Cu, HashCodeMessageExtractor.StableHash("a"));
        Assert.Equal((int)(0xE40C292Cu % 64), HashCodeMessageExtractor.ShardIdFor("a", 64));
        var extractor = Extractor();
        Assert.Equal(HashCodeMessageExtractor.ShardIdFor("user-1", 64), extractor.ShardId(new Add("user-1", 1)));
        Assert.Equal("user-2", extractor.EntityId(new ShardingEnvelope("user-2", new Add("ignored", 1))));
        Assert.Equal(new Add("ignored", 1), extractor.EntityMessage(new ShardingEnvelope("user-2", new Add("ignored", 1))));
        Assert.Null(extractor.EntityId("not routable"));
    }

    [Fact]
    public void Entity_ids_become_distinct_valid_actor_names()
    {
        Assert.Equal("user-1", Actors.Cluster.Sharding.Internal.EntityNames.Escape("user-1"));
        Assert.Equal("~24x~2Fy~7E~20~C3~A9", Actors.Cluster.Sharding.Internal.EntityNames.Escape("$x/y~ é"));
    }

    private async Task<(ActorSystem System, ConcurrentDictionary<string, IActorRef> Sockets, SocketDirectory Directory)> StartDirectoryNodeAsync(string name)
    {
        var system = SpecSystems.Create(name);
        var broker = new InMemoryBroker(_hub, name);
        await broker.StartAsync();
        var sockets = new ConcurrentDictionary<string, IActorRef>(StringComparer.Ordinal);
        var directory = await SocketDirectory.StartAsync(system, broker, Topology, name, id => sockets.TryGetValue(id, out var s) ? s : null, new SocketDirectorySettings { MessageTypes = Types() });
        _cleanup.Add(async () =>
        {
            await directory.DisposeAsync();
            await broker.DisposeAsync();
            await system.Terminate();
        });
        return (system, sockets, directory);
    }

    private readonly List<Func<Task>> _cleanup = [];

    public override async Task DisposeAsync()
    {
        foreach (var cleanup in _cleanup)
        {
            await cleanup();
        }

        await base.DisposeAsync();
    }
}
