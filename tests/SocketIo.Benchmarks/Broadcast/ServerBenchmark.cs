using System.Text;
using BenchmarkDotNet.Attributes;
using Newtonsoft.Json.Linq;
using SocketIo.Actors;
using SocketIo.Actors.Connections;
using SocketIo.Benchmarks.Protocol;

namespace SocketIo.Benchmarks.Broadcast;

/// <summary>
/// The Socket.IO layer with fake connections (no transport, no network), through the real actors:
/// <list type="bullet">
/// <item><c>BroadcastToRoom</c>: <c>io.To("room").Emit("tick", {t,s,p})</c> to 1,000 sockets in the room,
/// encoded once, fanned out by the namespace actor; one operation = one broadcast, done when all 1,000
/// connections got it (divide by 1,000 for the cost per delivery).</item>
/// <item><c>EchoWithAck</c>: the harness's echo, 1,000 <c>42&lt;id&gt;["echo",{…}]</c> packets into one connection
/// (decode, socket actor, listener, ACK encode, write); one operation = one acked message.</item>
/// </list>
/// The bench contract handlers are the ones the host serves (<c>--app bench</c>).
/// </summary>
[MemoryDiagnoser]
public class ServerBenchmark
{
    public const int Receivers = 1000;
    private const int EchoBatch = 1000;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly Deliveries _deliveries = new();
    private SocketIoServer _server = null!;
    private IClientConnectionHandler _echoClient = null!;
    private byte[][] _echoPackets = [];
    private JObject _tick = null!;

    [GlobalSetup]
    public void Setup()
    {
        _server = new SocketIoServer();
        _server.OnConnection(socket =>
        {
            socket.On("echo", (args, ack) => ack?.Invoke([.. args]));
            socket.Join("room");
        });
        _tick = Payloads.Tick();

        // 1,000 receivers: CONNECT answered (one packet each), then probe broadcasts until every join landed.
        var clients = new List<IClientConnectionHandler>();
        _deliveries.Expect(Receivers);
        for (var i = 0; i < Receivers; i++)
        {
            var handler = _server.Accept(new FakeConnection($"c{i}", _deliveries));
            handler.OnText("0"u8.ToArray());
            clients.Add(handler);
        }

        if (!_deliveries.Wait(Timeout)) throw new InvalidOperationException("the fake clients did not connect");
        // One of the room's sockets also serves the echo benchmark.
        _echoClient = clients[0];
        for (var attempt = 0; ; attempt++)
        {
            _deliveries.Expect(Receivers);
            _server.To("room").Emit("probe");
            if (_deliveries.Wait(TimeSpan.FromMilliseconds(200)) || attempt > 100) break;
        }

        _echoPackets = Enumerable.Range(0, EchoBatch)
            .Select(i => Encoding.UTF8.GetBytes($"""2{i}["echo",{Payloads.EchoObject}]"""))
            .ToArray();
    }

    [GlobalCleanup]
    public void Cleanup() => _server.DisposeAsync().AsTask().Wait(Timeout);

    [Benchmark(Description = "broadcast to a room of 1,000 local sockets")]
    public void BroadcastToRoom()
    {
        _deliveries.Expect(Receivers);
        _server.To("room").Emit("tick", _tick);
        if (!_deliveries.Wait(Timeout)) throw new InvalidOperationException("broadcast not delivered");
    }

    [Benchmark(OperationsPerInvoke = EchoBatch, Description = "echo event with ack through one socket actor")]
    public void EchoWithAck()
    {
        _deliveries.Expect(EchoBatch);
        foreach (var packet in _echoPackets)
            _echoClient.OnText(packet);
        if (!_deliveries.Wait(Timeout)) throw new InvalidOperationException("acks not delivered");
    }
}
