using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading.Channels;
using Akka.Actor;
using SocketIo.Actors;
using Akka.Configuration;
using Akka.Remote;
using Akka.Remote.Transport;
using SocketIo.Actors.Cluster.Adapter;
using SocketIo.Actors.Connections;
using SocketIo.Actors.Internal;
using Xunit.Sdk;
using AkkaCluster = Akka.Cluster.Cluster;

namespace SocketIo.Cluster.Tests.Adapter;

/// <summary>A packet a server wrote to a <see cref="FakeClient"/> (Socket.IO text without the Engine.IO <c>4</c>) and its attachments.</summary>
public sealed record Sent(string Packet, IReadOnlyList<byte[]> Attachments);

/// <summary>
/// An in-memory client connection (the pattern of tests/SocketIo.Actors.Tests/Server/FakeConnection.cs):
/// what the server writes is queued for <see cref="Next"/>; what the test sends goes to the server's handler.
/// </summary>
public sealed class FakeClient(string id) : IClientConnection
{
    private readonly Channel<Sent> _inbox = Channel.CreateUnbounded<Sent>();
    private volatile bool _open = true;

    public string Id { get; } = id;
    public int EngineProtocol => 4;
    public string TransportName => "websocket";

    public ConnectionHandshake Handshake { get; } = new(
        new Dictionary<string, string> { ["host"] = "127.0.0.1", ["x-client"] = id },
        new Dictionary<string, string> { ["EIO"] = "4" },
        "127.0.0.1",
        "/socket.io/?EIO=4",
        Secure: false,
        new DateTimeOffset(2026, 11, 22, 0, 0, 0, TimeSpan.Zero));

    /// <summary>What <see cref="IsWritable"/> answers (volatile packets are dropped when false).</summary>
    public volatile bool Writable = true;

    public bool IsWritable => Writable;
    public bool IsOpen => _open;

    internal IClientConnectionHandler Handler { get; set; } = null!;

    /// <summary>The socket of this client on its namespace (set by <see cref="TestNode.Connect"/>).</summary>
    public Socket Socket { get; internal set; } = null!;

    public bool Send(ReadOnlyMemory<byte> text, IReadOnlyList<ReadOnlyMemory<byte>> attachments)
    {
        if (!_open) return false;
        _inbox.Writer.TryWrite(new Sent(Encoding.UTF8.GetString(text.Span), [.. attachments.Select(a => a.ToArray())]));
        return true;
    }

    /// <summary>Pause and resume calls of the inbound flow control, in call order (<c>"pause"</c>, <c>"resume"</c>).</summary>
    public ConcurrentQueue<string> FlowCalls { get; } = new();

    public void PauseReceiving() => FlowCalls.Enqueue("pause");

    public void ResumeReceiving() => FlowCalls.Enqueue("resume");

    public void Close() => _open = false;

    /// <summary>The client sends a Socket.IO text packet.</summary>
    public void SendText(string packet) => Handler.OnText(Encoding.UTF8.GetBytes(packet));

    /// <summary>The next packet the server wrote, within <paramref name="timeout"/> (default 10 s).</summary>
    public async Task<Sent> Next(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        try
        {
            return await _inbox.Reader.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new XunitException($"client {Id} received no packet in time");
        }
    }

    /// <summary>Expects the next packet to be exactly <paramref name="packet"/>.</summary>
    public async Task<Sent> Expect(string packet)
    {
        var sent = await Next();
        Assert.Equal(packet, sent.Packet);
        return sent;
    }

    /// <summary>The ack id of a packet like <c>2&lt;id&gt;["event"]</c>.</summary>
    public static long AckIdOf(Sent sent) => long.Parse(Regex.Match(sent.Packet, @"^\d(?:\d+-)?(?:/[^,]*,)?(\d+)\[").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>One node: its own cluster actor system, cluster node and Socket.IO server.</summary>
public sealed class TestNode : IAsyncDisposable
{
    private int _clients;

    internal TestNode(string name, ActorSystem system, ClusterNode cluster, SocketIoServer server)
    {
        Name = name;
        System = system;
        Cluster = cluster;
        Server = server;
    }

    public string Name { get; }
    public ActorSystem System { get; }
    public ClusterNode Cluster { get; }
    public SocketIoServer Server { get; }

    /// <summary>This node's Akka address.</summary>
    public Address Address => AkkaCluster.Get(System).SelfAddress;

    /// <summary>A new client connected to <paramref name="nsp"/> on this node; its CONNECT answer is consumed.</summary>
    public async Task<FakeClient> Connect(string nsp = "/")
    {
        var client = new FakeClient($"{Name}-c{Interlocked.Increment(ref _clients)}");
        Server.Of(nsp);
        client.Handler = Server.Accept(client);
        client.SendText(nsp == "/" ? "0" : "0" + nsp + ",");
        var answer = await client.Next();
        var sid = Regex.Match(answer.Packet, "\"sid\":\"([^\"]+)\"").Groups[1].Value;
        Assert.False(string.IsNullOrEmpty(sid), $"CONNECT refused: {answer.Packet}");
        await Eventually.Holds(() => Server.Of(nsp).Sockets.ContainsKey(sid), "the socket is indexed");
        client.Socket = Server.Of(nsp).Sockets[sid];
        return client;
    }

    /// <summary>The nodes this node's links to are cut (see <see cref="Blackhole"/>).</summary>
    internal HashSet<TestNode> CutOff { get; } = [];

    /// <summary>Cuts this node off from <paramref name="other"/> in both directions (the throttler's blackhole), or restores the link.</summary>
    public async Task Blackhole(TestNode other, bool on = true)
    {
        if (((ExtendedActorSystem)System).Provider is not RemoteActorRefProvider remote)
            throw new InvalidOperationException("not a remote actor system");
        await remote.Transport.ManagementCommand(new SetThrottle(other.Address, ThrottleTransportAdapter.Direction.Both, on ? Akka.Remote.Transport.Blackhole.Instance : Unthrottled.Instance));
        if (on) CutOff.Add(other);
        else CutOff.Remove(other);
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        await System.Terminate().WaitAsync(TimeSpan.FromSeconds(20));
    }
}

/// <summary>
/// N Akka.Cluster nodes in this process, each an actor system named <see cref="SystemName"/> on 127.0.0.1 with
/// remoting on a free port (through the throttler adapter, so a spec can cut links), the first joining itself and
/// the others joining it.
/// </summary>
public sealed class TestCluster(ClusterOptions? template = null, string? extraConfig = null) : IAsyncDisposable
{
    public const string SystemName = "socketio-spec";

    private readonly List<TestNode> _nodes = [];

    /// <summary>Settings of every node's actor system: a short failure detector, no automatic downing unless a spec asks.</summary>
    public static readonly string BaseConfig = """
        akka.actor.provider = cluster
        akka.remote.dot-netty.tcp {
          hostname = 127.0.0.1
          port = 0
          applied-adapters = [trttl]
        }
        akka.cluster {
          roles = [socketio]
          downing-provider-class = ""
          failure-detector {
            heartbeat-interval = 200ms
            acceptable-heartbeat-pause = 1s
            threshold = 8
          }
          unreachable-nodes-reaper-interval = 250ms
          gossip-interval = 200ms
          leader-actions-interval = 200ms
          min-nr-of-members = 1
        }
        akka.cluster.sharding.state-store-mode = ddata
        akka.coordinated-shutdown.run-by-clr-shutdown-hook = off
        akka.test.single-expect-default = 10s
        """;

    public ClusterOptions Template { get; } = template ?? new ClusterOptions { RequestTimeout = TimeSpan.FromSeconds(5) };

    public IReadOnlyList<TestNode> Nodes => _nodes;

    public TestNode this[int index] => _nodes[index];

    /// <summary>Starts a node named <paramref name="name"/> (joining the first node) and, unless told not to, waits until every node sees every other.</summary>
    public async Task<TestNode> AddNode(string name, bool waitForConvergence = true, string? nodeConfig = null, Microsoft.Extensions.Logging.ILoggerFactory? loggerFactory = null)
    {
        var config = ConfigurationFactory.ParseString(nodeConfig ?? "")
            .WithFallback(ConfigurationFactory.ParseString(extraConfig ?? ""))
            .WithFallback(ConfigurationFactory.ParseString(BaseConfig));
        var system = SocketIoActorSystem.Create(SystemName, loggerFactory, config);
        var cluster = ClusterNode.Start(system, Template with { NodeName = name });
        var akka = AkkaCluster.Get(system);
        var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        akka.RegisterOnMemberUp(() => up.TrySetResult());
        akka.Join(_nodes.Count == 0 ? akka.SelfAddress : _nodes[0].Address);
        await Eventually.Within(up.Task.ContinueWith(_ => true), $"node {name} is up");
        var server = new SocketIoServer(new SocketIoOptions { Adapter = cluster }, system: system);
        var node = new TestNode(name, system, cluster, server);
        _nodes.Add(node);
        if (waitForConvergence) await Converged();
        return node;
    }

    /// <summary>Starts <paramref name="count"/> nodes a, b, c, ...</summary>
    public async Task Start(int count)
    {
        for (var i = 0; i < count; i++) await AddNode(((char)('a' + i)).ToString(), waitForConvergence: false);
        await Converged();
    }

    /// <summary>Waits until every running node's cluster actor knows every other running node's, reachable.</summary>
    public Task Converged() => Eventually.Holds(
        () => Running.All(n => Running.Where(o => o != n).All(o => n.Cluster.Membership.NodeIds.Contains(o.Cluster.NodeId))),
        "every node sees every other node");

    private IEnumerable<TestNode> Running => _nodes.Where(n => !n.Cluster.HasLeft && !n.System.WhenTerminated.IsCompleted);

    /// <summary>
    /// Stops every node, last started first. Links a spec left cut are restored first and the running nodes given up
    /// to 10 s to see each other reachable again: with no downing provider, a member unreachable to the others blocks
    /// the convergence a graceful leave waits for, and each node's shutdown then ran into its phase timeouts (about
    /// 19 s a node, against the 20 s bound below).
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        var healed = false;
        foreach (var node in Running.ToList())
            foreach (var other in node.CutOff.ToList())
            {
                await node.Blackhole(other, on: false);
                healed = true;
            }
        if (healed)
        {
            var running = Running.ToList();
            var addresses = running.Select(n => n.Address).ToHashSet();
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            while (DateTime.UtcNow < deadline && running.Any(n => AkkaCluster.Get(n.System).State.Unreachable.Any(m => addresses.Contains(m.Address))))
                await Task.Delay(50);
        }
        foreach (var node in _nodes.AsEnumerable().Reverse()) await node.DisposeAsync();
    }
}

/// <summary>An actor that records what it receives (event stream subscriptions in specs).</summary>
public sealed class RecorderActor : ReceiveActor
{
    public RecorderActor(ConcurrentQueue<object> received) => ReceiveAny(received.Enqueue);
}

/// <summary>Starts <see cref="RecorderActor"/>s.</summary>
public static class Recorder
{
    public static (IActorRef Ref, ConcurrentQueue<object> Received) Start(ActorSystem system, params Type[] channels)
    {
        var received = new ConcurrentQueue<object>();
        var actor = system.ActorOf(ActorProps.Of(() => new RecorderActor(received)));
        foreach (var channel in channels) system.EventStream.Subscribe(actor, channel);
        return (actor, received);
    }
}
