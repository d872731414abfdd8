using System.Collections.Concurrent;
using System.Text;
using SocketIo.Actors.Cluster.Broker;

namespace SocketIo.Cluster.Tests;

/// <summary>The broker spec suite on <see cref="InMemoryBroker"/>, plus its failure-simulation hooks.</summary>
public sealed class InMemoryBrokerSpec : BrokerSpec
{
    [ThreadStatic]
    private static bool insidePublish;

    private readonly InMemoryBrokerHub _hub = new();

    protected override IBroker CreateBroker(string node) => new InMemoryBroker(_hub, node);

    [BrokerFact]
    public async Task Connection_loss_fails_publishing_fast_and_recovery_redeclares_topology()
    {
        var a = (InMemoryBroker)await StartNodeAsync("a");
        var b = (InMemoryBroker)await StartNodeAsync("b");
        var states = new ConcurrentQueue<BrokerConnectionState>();
        a.ConnectionStateChanged += (_, change) => states.Enqueue(change.Current);
        var (nodeSub, inboxA) = await SubscribeNodeQueueAsync(a, "a", AllBroadcasts);
        Assert.True(nodeSub.IsActive);

        a.SimulateConnectionLoss();

        Assert.Equal(BrokerConnectionState.ConnectionLost, a.State);
        Assert.False(_hub.QueueExists(Topology.NodeQueue("a")));
        Assert.False(nodeSub.IsActive);
        await Assert.ThrowsAsync<BrokerUnavailableException>(() => a.PublishAsync(Text(Topology.BroadcastExchange, Topology.NamespaceBroadcastKey("/"), "lost")));
        await b.PublishAsync(Text(Topology.BroadcastExchange, Topology.NamespaceBroadcastKey("/"), "missed while down"));

        a.SimulateRecovery();

        Assert.Equal(BrokerConnectionState.Recovered, a.State);
        Assert.True(nodeSub.IsActive);
        await b.PublishAsync(Text(Topology.BroadcastExchange, Topology.NamespaceBroadcastKey("/"), "after recovery"));
        await Eventually.Holds(() => inboxA.Count == 1, "a receives broadcasts again");
        Assert.Equal(["after recovery"], inboxA.Bodies);
        await Eventually.Holds(() => states.Count == 2, "ConnectionLost and Recovered are raised");
        Assert.Equal([BrokerConnectionState.ConnectionLost, BrokerConnectionState.Recovered], states);
    }

    [BrokerFact]
    public async Task A_crashed_owner_hands_its_unacknowledged_message_to_the_next_consumer()
    {
        var a = (InMemoryBroker)await StartNodeAsync("a");
        var b = await StartNodeAsync("b");
        var queue = QueueSpec.SingleActive(Topology.ShardQueue("user", 0), new QueueBinding(Topology.ShardExchange.Name, Topology.ShardKey("user", 0)));
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await a.SubscribeAsync(queue, async (_, _) =>
        {
            entered.TrySetResult();
            await release.Task;
        });
        var inboxB = new Inbox();
        await b.SubscribeAsync(queue, inboxB.Handler);

        await b.PublishAsync(Text(Topology.ShardExchange, Topology.ShardKey("user", 0), "job"));
        await Eventually.Within(entered.Task.ContinueWith(_ => true), "a starts handling the job");

        a.Crash();
        release.SetResult();

        await Eventually.Holds(() => inboxB.Count == 1, "b gets the job again");
        Assert.True(inboxB.Items.Single().Redelivered);
        Assert.Equal(BrokerConnectionState.Closed, a.State);
    }

    [BrokerFact]
    public async Task Messages_wait_in_a_shared_queue_until_a_consumer_arrives()
    {
        var a = await StartNodeAsync("a");
        var queue = QueueSpec.SingleActive(Topology.ShardQueue("user", 3), new QueueBinding(Topology.ShardExchange.Name, Topology.ShardKey("user", 3)));
        var first = new Inbox();
        var sub = await a.SubscribeAsync(queue, first.Handler);
        await sub.DisposeAsync();
        Assert.True(_hub.QueueExists(queue.Name));

        await a.PublishAsync(Text(Topology.ShardExchange, Topology.ShardKey("user", 3), "kept"));
        Assert.Equal(1, _hub.MessageCount(queue.Name));

        var second = new Inbox();
        await a.SubscribeAsync(queue, second.Handler);
        await Eventually.Holds(() => second.Count == 1, "the waiting message is delivered");
        Assert.Equal(["kept"], second.Bodies);
        Assert.Equal(0, first.Count);
    }

    [BrokerFact]
    public async Task Delivery_never_runs_on_the_publishers_stack()
    {
        var a = await StartNodeAsync("a");
        var ranInline = false;
        var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        await a.SubscribeAsync(QueueSpec.Exclusive(Topology.NodeQueue("a"), AllBroadcasts), (_, _) =>
        {
            ranInline = insidePublish;
            done.TrySetResult(true);
            return ValueTask.CompletedTask;
        });

        insidePublish = true;
        var publish = a.PublishAsync(new BrokerMessage(Topology.BroadcastExchange.Name, Topology.NamespaceBroadcastKey("/"), Encoding.UTF8.GetBytes("x")));
        insidePublish = false;
        await publish;

        await Eventually.Within(done.Task, "the delivery");
        Assert.False(ranInline);
    }
}
