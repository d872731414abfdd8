using System.Collections.Concurrent;
using System.Text;
using SocketIo.Actors.Cluster.Broker;

namespace SocketIo.Cluster.Tests;

/// <summary>
/// The behaviour every <see cref="IBroker"/> implementation must have. Each test uses a fresh
/// random cluster name, so its exchanges and queues never meet another test's.
/// </summary>
public abstract class BrokerSpec : IAsyncLifetime
{
    private readonly List<IBroker> _nodes = [];

    protected BrokerSpec()
    {
        Topology = new ClusterTopology("t" + Guid.NewGuid().ToString("N")[..12]);
    }

    protected ClusterTopology Topology { get; }

    /// <summary>A new, not yet started broker for node <paramref name="node"/>.</summary>
    protected abstract IBroker CreateBroker(string node);

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }
    }

    /// <summary>Starts a node and declares the cluster's exchanges through it.</summary>
    protected async Task<IBroker> StartNodeAsync(string node)
    {
        var broker = CreateBroker(node);
        _nodes.Add(broker);
        await Eventually.Within(broker.StartAsync().ContinueWith(t => { t.GetAwaiter().GetResult(); return true; }), $"{node} to start");
        foreach (var exchange in Topology.Exchanges)
        {
            await broker.DeclareExchangeAsync(exchange);
        }

        return broker;
    }

    protected static BrokerMessage Text(ExchangeSpec exchange, string routingKey, string body) =>
        new(exchange.Name, routingKey, Encoding.UTF8.GetBytes(body));

    protected async Task<(IBrokerSubscription Subscription, Inbox Inbox)> SubscribeNodeQueueAsync(IBroker broker, string node, params QueueBinding[] bindings)
    {
        var inbox = new Inbox();
        var subscription = await broker.SubscribeAsync(QueueSpec.Exclusive(Topology.NodeQueue(node), bindings), inbox.Handler);
        return (subscription, inbox);
    }

    protected QueueBinding AllBroadcasts => new(Topology.BroadcastExchange.Name, Topology.AllBroadcastsPattern);

    [BrokerFact]
    public async Task Topic_broadcast_reaches_every_subscribed_node_once_in_publish_order()
    {
        var a = await StartNodeAsync("a");
        var b = await StartNodeAsync("b");
        var c = await StartNodeAsync("c");
        var (_, inboxA) = await SubscribeNodeQueueAsync(a, "a", AllBroadcasts);
        var (_, inboxB) = await SubscribeNodeQueueAsync(b, "b", AllBroadcasts);
        var (_, inboxC) = await SubscribeNodeQueueAsync(c, "c", AllBroadcasts);

        var expected = Enumerable.Range(0, 20).Select(i => $"m{i}").ToList();
        foreach (var body in expected)
        {
            await a.PublishAsync(Text(Topology.BroadcastExchange, Topology.NamespaceBroadcastKey("/"), body));
        }

        await Eventually.Holds(() => inboxA.Count >= 20 && inboxB.Count >= 20 && inboxC.Count >= 20, "every node has 20 broadcasts");
        Assert.Equal(expected, inboxA.Bodies);
        Assert.Equal(expected, inboxB.Bodies);
        Assert.Equal(expected, inboxC.Bodies);
        Assert.All(inboxB.Items, d => Assert.Equal(Topology.NamespaceBroadcastKey("/"), d.Message.RoutingKey));
        Assert.All(inboxB.Items, d => Assert.Equal(Topology.NodeQueue("b"), d.Queue));
    }

    [BrokerFact]
    public async Task Routing_keys_filter_what_each_node_receives()
    {
        var a = await StartNodeAsync("a");
        var b = await StartNodeAsync("b");
        var broadcast = Topology.BroadcastExchange.Name;
        var (_, inboxA) = await SubscribeNodeQueueAsync(a, "a", new QueueBinding(broadcast, Topology.NamespaceBroadcastPattern("/chat")));
        var (_, inboxB) = await SubscribeNodeQueueAsync(b, "b", new QueueBinding(broadcast, Topology.NamespaceBroadcastPattern("/news")), new QueueBinding(broadcast, Topology.NamespaceBroadcastPattern("/chat")));

        await a.PublishAsync(Text(Topology.BroadcastExchange, Topology.NamespaceBroadcastKey("/news"), "news-1"));
        await a.PublishAsync(Text(Topology.BroadcastExchange, Topology.NamespaceBroadcastKey("/other"), "other-1"));
        await a.PublishAsync(Text(Topology.BroadcastExchange, Topology.NamespaceBroadcastKey("/chat"), "chat-1"));

        // chat-1 is the last message for both queues; per-queue order means nothing else is still in flight.
        await Eventually.Holds(() => inboxA.Bodies.Contains("chat-1") && inboxB.Bodies.Contains("chat-1"), "chat-1 reaches both nodes");
        Assert.Equal(["chat-1"], inboxA.Bodies);
        Assert.Equal(["news-1", "chat-1"], inboxB.Bodies);
    }

    [BrokerFact]
    public async Task Topic_patterns_match_words_with_star_and_hash()
    {
        var a = await StartNodeAsync("a");
        var exchange = Topology.MembershipExchange;
        var star = new Inbox();
        var hash = new Inbox();
        await a.SubscribeAsync(QueueSpec.Exclusive(Topology.NodeQueue("star"), new QueueBinding(exchange.Name, "member.*")), star.Handler);
        await a.SubscribeAsync(QueueSpec.Exclusive(Topology.NodeQueue("hash"), new QueueBinding(exchange.Name, "#.end")), hash.Handler);

        await a.PublishAsync(Text(exchange, "member.x.y", "two-words"));
        await a.PublishAsync(Text(exchange, "member", "no-word"));
        await a.PublishAsync(Text(exchange, "end", "hash-zero-words"));
        await a.PublishAsync(Text(exchange, "a.b.end", "hash-two-words"));
        await a.PublishAsync(Text(exchange, "member.end", "both"));

        await Eventually.Holds(() => star.Bodies.Contains("both") && hash.Bodies.Contains("both"), "the last message reaches both queues");
        Assert.Equal(["both"], star.Bodies);
        Assert.Equal(["hash-zero-words", "hash-two-words", "both"], hash.Bodies);
    }

    [BrokerFact]
    public async Task Node_addressed_request_reaches_only_that_node_with_its_headers_and_reply_address()
    {
        var a = await StartNodeAsync("a");
        var b = await StartNodeAsync("b");
        var c = await StartNodeAsync("c");
        var requests = Topology.RequestExchange.Name;
        var (_, inboxA) = await SubscribeNodeQueueAsync(a, "a", new QueueBinding(requests, Topology.NodeRequestKey("a")));
        var (_, inboxB) = await SubscribeNodeQueueAsync(b, "b", new QueueBinding(requests, Topology.NodeRequestKey("b")));
        var (_, inboxC) = await SubscribeNodeQueueAsync(c, "c", new QueueBinding(requests, Topology.NodeRequestKey("c")));

        var request = Text(Topology.RequestExchange, Topology.NodeRequestKey("b"), "fetchSockets") with
        {
            Headers = new Dictionary<string, string> { ["type"] = "fetch", ["from"] = "a" },
            MessageId = "m-1",
            ReplyTo = Topology.NodeRequestKey("a"),
            CorrelationId = "c-42",
        };
        await a.PublishAsync(request, mandatory: true);
        await Eventually.Holds(() => inboxB.Count == 1, "b receives the request");
        var received = inboxB.Items.Single().Message;
        Assert.Equal("fetchSockets", Encoding.UTF8.GetString(received.Body.Span));
        Assert.Equal("fetch", received.Headers["type"]);
        Assert.Equal("a", received.Headers["from"]);
        Assert.Equal("m-1", received.MessageId);
        Assert.Equal("c-42", received.CorrelationId);

        await b.PublishAsync(Text(Topology.RequestExchange, received.ReplyTo!, "reply") with { CorrelationId = received.CorrelationId });
        await Eventually.Holds(() => inboxA.Count == 1, "a receives the reply");
        Assert.Equal("c-42", inboxA.Items.Single().Message.CorrelationId);
        Assert.Equal(0, inboxC.Count);
    }

    [BrokerFact]
    public async Task Exclusive_queue_vanishes_when_its_node_disposes_its_broker()
    {
        var a = await StartNodeAsync("a");
        var b = await StartNodeAsync("b");
        var requests = Topology.RequestExchange.Name;
        await SubscribeNodeQueueAsync(b, "b", new QueueBinding(requests, Topology.NodeRequestKey("b")));
        await a.PublishAsync(Text(Topology.RequestExchange, Topology.NodeRequestKey("b"), "hello"), mandatory: true);

        await b.DisposeAsync();

        var error = await Assert.ThrowsAsync<BrokerUnroutableException>(
            () => a.PublishAsync(Text(Topology.RequestExchange, Topology.NodeRequestKey("b"), "anyone?"), mandatory: true));
        Assert.Equal(Topology.NodeRequestKey("b"), error.RoutingKey);
    }

    [BrokerFact]
    public async Task Non_mandatory_publish_that_matches_nothing_is_dropped_quietly()
    {
        var a = await StartNodeAsync("a");
        await a.PublishAsync(Text(Topology.BroadcastExchange, Topology.NamespaceBroadcastKey("/"), "nobody listens"));
        Assert.Equal(BrokerConnectionState.Connected, a.State);
    }

    [BrokerFact]
    public async Task Another_node_cannot_consume_a_nodes_exclusive_queue()
    {
        var a = await StartNodeAsync("a");
        var b = await StartNodeAsync("b");
        await SubscribeNodeQueueAsync(a, "a", AllBroadcasts);

        await Assert.ThrowsAsync<BrokerTopologyException>(() => SubscribeNodeQueueAsync(b, "a", AllBroadcasts));

        // b is still usable afterwards.
        var (_, inboxB) = await SubscribeNodeQueueAsync(b, "b", AllBroadcasts);
        await b.PublishAsync(Text(Topology.BroadcastExchange, Topology.NamespaceBroadcastKey("/"), "still works"));
        await Eventually.Holds(() => inboxB.Count == 1, "b receives its own broadcast");
    }

    [BrokerFact]
    public async Task Single_active_consumer_delivers_to_one_node_and_fails_over_when_it_leaves()
    {
        var nodes = new[] { await StartNodeAsync("a"), await StartNodeAsync("b"), await StartNodeAsync("c") };
        var queue = QueueSpec.SingleActive(Topology.ShardQueue("user", 7), new QueueBinding(Topology.ShardExchange.Name, Topology.ShardKey("user", 7))) with { AutoDelete = true };
        var inboxes = nodes.Select(_ => new Inbox()).ToArray();
        var subscriptions = new IBrokerSubscription[3];
        for (var i = 0; i < 3; i++)
        {
            subscriptions[i] = await nodes[i].SubscribeAsync(queue, inboxes[i].Handler);
        }

        for (var i = 0; i < 30; i++)
        {
            await nodes[i % 3].PublishAsync(Text(Topology.ShardExchange, Topology.ShardKey("user", 7), $"m{i}"));
        }

        await Eventually.Holds(() => inboxes.Sum(x => x.Count) == 30, "30 shard messages are delivered");
        var owner = Array.FindIndex(inboxes, x => x.Count > 0);
        Assert.Equal(Enumerable.Range(0, 30).Select(i => $"m{i}"), inboxes[owner].Bodies);
        Assert.True(subscriptions[owner].IsActive);
        Assert.Equal(1, subscriptions.Count(s => s.IsActive));

        await nodes[owner].DisposeAsync();

        var survivors = Enumerable.Range(0, 3).Where(i => i != owner).ToArray();
        for (var i = 0; i < 10; i++)
        {
            await nodes[survivors[0]].PublishAsync(Text(Topology.ShardExchange, Topology.ShardKey("user", 7), $"after{i}"));
        }

        await Eventually.Holds(() => survivors.Sum(i => inboxes[i].Count) == 10, "10 messages reach a surviving node");
        var next = survivors.Single(i => inboxes[i].Count > 0);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"after{i}"), inboxes[next].Bodies);
        Assert.True(subscriptions[next].IsActive);
        Assert.Equal(30, inboxes[owner].Count);
    }

    [BrokerFact]
    public async Task A_probe_tells_the_active_consumer_it_owns_the_queue_without_reaching_its_handler()
    {
        var a = await StartNodeAsync("a");
        var b = await StartNodeAsync("b");
        var queue = QueueSpec.SingleActive(Topology.ShardQueue("room", 1)) with { AutoDelete = true };
        var inboxA = new Inbox();
        var inboxB = new Inbox();
        var subA = await a.SubscribeAsync(queue, inboxA.Handler);
        var subB = await b.SubscribeAsync(queue, inboxB.Handler);
        var changes = new ConcurrentQueue<bool>();
        subA.ActivityChanged += (_, active) => changes.Enqueue(active);
        Assert.False(subA.IsActive);
        Assert.False(subB.IsActive);

        await subB.ProbeAsync();

        // a subscribed first, so it is the active consumer and gets b's probe.
        await Eventually.Holds(() => subA.IsActive, "a learns it is the active consumer");
        await Eventually.Holds(() => changes.Contains(true), "a raises ActivityChanged(true)");
        Assert.False(subB.IsActive);
        Assert.Equal(0, inboxA.Count + inboxB.Count);

        await subA.DisposeAsync();
        Assert.False(subA.IsActive);
        await subA.DisposeAsync();
        await subB.ProbeAsync();
        await Eventually.Holds(() => subB.IsActive, "b takes over after a unsubscribes");
        Assert.Equal(0, inboxB.Count);
    }

    [BrokerFact]
    public async Task A_queue_is_handled_one_message_at_a_time_in_order()
    {
        var a = await StartNodeAsync("a");
        var inFlight = 0;
        var maxInFlight = 0;
        var seen = new ConcurrentQueue<string>();
        await a.SubscribeAsync(QueueSpec.Exclusive(Topology.NodeQueue("a"), AllBroadcasts), async (delivery, _) =>
        {
            var now = Interlocked.Increment(ref inFlight);
            InterlockedMax(ref maxInFlight, now);
            await Task.Yield();
            seen.Enqueue(Encoding.UTF8.GetString(delivery.Message.Body.Span));
            Interlocked.Decrement(ref inFlight);
        });

        var expected = Enumerable.Range(0, 50).Select(i => $"m{i}").ToList();
        await Task.WhenAll(Task.Run(async () =>
        {
            foreach (var body in expected)
            {
                await a.PublishAsync(Text(Topology.BroadcastExchange, Topology.NamespaceBroadcastKey("/"), body));
            }
        }));

        await Eventually.Holds(() => seen.Count == 50, "50 messages are handled");
        Assert.Equal(expected, seen);
        Assert.Equal(1, maxInFlight);
    }

    [BrokerFact]
    public async Task A_failing_handler_does_not_stop_the_queue()
    {
        var a = await StartNodeAsync("a");
        var seen = new ConcurrentQueue<string>();
        await a.SubscribeAsync(QueueSpec.Exclusive(Topology.NodeQueue("a"), AllBroadcasts), (delivery, _) =>
        {
            var body = Encoding.UTF8.GetString(delivery.Message.Body.Span);
            seen.Enqueue(body);
            return body == "poison" ? throw new InvalidOperationException("boom") : ValueTask.CompletedTask;
        });

        await a.PublishAsync(Text(Topology.BroadcastExchange, Topology.NamespaceBroadcastKey("/"), "poison"));
        await a.PublishAsync(Text(Topology.BroadcastExchange, Topology.NamespaceBroadcastKey("/"), "fine"));

        await Eventually.Holds(() => seen.Contains("fine"), "the message after the poison one is handled");
        Assert.Equal(["poison", "fine"], seen);
    }

    [BrokerFact]
    public async Task Connection_state_events_report_connected_and_closed()
    {
        var broker = CreateBroker("a");
        var states = new ConcurrentQueue<BrokerConnectionStateChanged>();
        broker.ConnectionStateChanged += (_, change) => states.Enqueue(change);
        Assert.Equal(BrokerConnectionState.NotStarted, broker.State);
        await Assert.ThrowsAsync<InvalidOperationException>(() => broker.PublishAsync(Text(Topology.BroadcastExchange, "x", "too early")));

        await broker.StartAsync();
        Assert.Equal(BrokerConnectionState.Connected, broker.State);
        await broker.DisposeAsync();
        Assert.Equal(BrokerConnectionState.Closed, broker.State);

        await Eventually.Holds(() => states.Count == 2, "two state changes are raised");
        Assert.Equal(
            [(BrokerConnectionState.NotStarted, BrokerConnectionState.Connected), (BrokerConnectionState.Connected, BrokerConnectionState.Closed)],
            states.Select(s => (s.Previous, s.Current)));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => broker.PublishAsync(Text(Topology.BroadcastExchange, "x", "too late")));
    }

    [BrokerFact]
    public async Task Publishing_to_an_exchange_this_node_never_declared_is_a_topology_error()
    {
        var a = await StartNodeAsync("a");
        var other = new ClusterTopology("other" + Guid.NewGuid().ToString("N")[..8]);
        await Assert.ThrowsAsync<BrokerTopologyException>(() => a.PublishAsync(Text(other.BroadcastExchange, "nsp.x", "lost")));
    }

    [BrokerFact]
    public async Task Redeclaring_an_exchange_with_another_kind_fails_and_the_broker_keeps_working()
    {
        var a = await StartNodeAsync("a");
        var (_, inbox) = await SubscribeNodeQueueAsync(a, "a", AllBroadcasts);

        await Assert.ThrowsAsync<BrokerTopologyException>(() => a.DeclareExchangeAsync(Topology.BroadcastExchange with { Kind = ExchangeKind.Fanout }));

        await a.PublishAsync(Text(Topology.BroadcastExchange, Topology.NamespaceBroadcastKey("/"), "after the error"));
        await Eventually.Holds(() => inbox.Count == 1, "the broadcast after the failed declaration arrives");
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while (value > (current = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
