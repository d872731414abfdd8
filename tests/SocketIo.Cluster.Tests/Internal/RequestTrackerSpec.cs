using Microsoft.Extensions.Logging.Abstractions;
using Newtonsoft.Json.Linq;
using SocketIo.Actors;
using SocketIo.Actors.Cluster.Internal;
using SocketIo.Actors.Internal;

namespace SocketIo.Cluster.Tests.Internal;

/// <summary>
/// The origin's bookkeeping of a broadcast with ack over other nodes. A node reports its client count from its
/// namespace actor and each answer from the answering socket's thread, so the two can reach the origin in either order.
/// </summary>
public sealed class RequestTrackerSpec
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);
    private readonly RequestTracker _tracker = new("origin", TimeProvider.System, NullLogger.Instance);

    /// <summary>A collector waiting for the reports of <paramref name="nodes"/> only (no local sockets), timing out after 10 s.</summary>
    private BroadcastAckCollector Track(string id, params string[] nodes)
    {
        var collector = new BroadcastAckCollector(expectedServers: 0);
        collector.ExpectServers(nodes.Length);
        _tracker.TrackBroadcastAck(id, nodes, collector);
        collector.StartTimeout(TimeProvider.System, TimeSpan.FromSeconds(10));
        return collector;
    }

    [Fact]
    public async Task An_answer_that_overtakes_its_nodes_report_still_counts()
    {
        var acks = Track("origin:1", "b", "c");
        _tracker.ClientCount("origin:1", "b", 1);
        _tracker.ClientResponded("origin:1", "b", "b0");
        _tracker.ClientResponded("origin:1", "c", "c0");
        _tracker.ClientCount("origin:1", "c", 2);
        Assert.False(acks.Task.IsCompleted);
        _tracker.ClientResponded("origin:1", "c", "c1");

        var responses = await acks.Task.WaitAsync(Wait);
        Assert.Equal(["b0", "c0", "c1"], responses.Select(r => (string)r!).Order());
        await Eventually.Holds(() => _tracker.InFlight == 0, "the finished broadcast is no longer tracked");
    }

    [Fact]
    public async Task Answers_beyond_a_nodes_report_are_ignored()
    {
        var acks = Track("origin:2", "b");
        _tracker.ClientCount("origin:2", "b", 1);
        _tracker.ClientResponded("origin:2", "b", "first");
        _tracker.ClientResponded("origin:2", "b", "late duplicate");

        Assert.Equal(["first"], (await acks.Task.WaitAsync(Wait)).Select(r => (string)r!));
    }

    [Fact]
    public async Task A_node_lost_after_early_answers_but_before_its_report_counts_the_answers_that_came()
    {
        var acks = Track("origin:3", "b", "c");
        _tracker.ClientResponded("origin:3", "c", "c0");
        _tracker.NodeLost("c");
        _tracker.ClientCount("origin:3", "b", 1);
        Assert.False(acks.Task.IsCompleted);
        _tracker.ClientResponded("origin:3", "b", "b0");

        Assert.Equal(["b0", "c0"], (await acks.Task.WaitAsync(Wait)).Select(r => (string)r!).Order());
    }

    [Fact]
    public async Task A_node_lost_after_its_report_is_no_longer_waited_for()
    {
        var acks = Track("origin:4", "b", "c");
        _tracker.ClientCount("origin:4", "b", 1);
        _tracker.ClientCount("origin:4", "c", 2);
        _tracker.ClientResponded("origin:4", "c", "c0");
        _tracker.ClientResponded("origin:4", "b", "b0");
        Assert.False(acks.Task.IsCompleted);
        _tracker.NodeLost("c");

        Assert.Equal(["b0", "c0"], (await acks.Task.WaitAsync(Wait)).Select(r => (string)r!).Order());
    }
}
