using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;
using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using SocketIo.Actors.Connections;
using SocketIo.Tests.Shared;

namespace SocketIo.Actors.Tests.Server;

/// <summary>
/// Base of the server-core specs (Akka.TestKit): a <see cref="SocketIoServer"/> living in the spec's actor
/// system, its own timers (connect, attachment and ack timeouts, which take a <see cref="TimeProvider"/>) on the
/// manual <see cref="Clock"/>, and in-memory clients whose written packets arrive on a probe. No network is involved.
/// </summary>
public abstract partial class ServerSpec : TestKit
{
    private static readonly Config SpecConfig = ConfigurationFactory.ParseString("akka.actor.default-dispatcher.throughput = 100");

    private readonly ConcurrentDictionary<string, TestProbe> _connected = new(StringComparer.Ordinal);
    private int _connectionSeq;

    protected ServerSpec()
        : base(SpecConfig)
    {
        Logs = new RecordingLoggerFactory();
        Options = new SocketIoOptions { TimeProvider = Clock };
        Server = new SocketIoServer(Options, Logs, Sys);
    }

    protected RecordingLoggerFactory Logs { get; }

    /// <summary>The clock of the server's <see cref="SocketIoOptions.TimeProvider"/>; it moves only when told to.</summary>
    protected ManualTimeProvider Clock { get; } = new();

    /// <summary>The server's options; they are read when used, so a spec may change them before connecting.</summary>
    protected SocketIoOptions Options { get; }

    protected SocketIoServer Server { get; }

    /// <summary>Accepts a new in-memory connection (Engine.IO 4 = Socket.IO v5 unless told otherwise).</summary>
    protected TestClient NewClient(int engineProtocol = 4)
    {
        var wire = CreateTestProbe($"wire{Interlocked.Increment(ref _connectionSeq)}");
        var connection = new FakeConnection($"conn{_connectionSeq}", engineProtocol, wire.Ref);
        return new TestClient(connection, Server.Accept(connection), wire);
    }

    /// <summary>A probe told every socket that connects to <paramref name="nsp"/> (a connection listener registered once per namespace).</summary>
    protected TestProbe ConnectionsOf(string nsp = "/") => _connected.GetOrAdd(nsp, name =>
    {
        var probe = CreateTestProbe("connections" + _connected.Count);
        Server.Of(name).OnConnection(socket => probe.Ref.Tell(socket, null));
        return probe;
    });

    /// <summary>
    /// Sends CONNECT for <paramref name="nsp"/>, expects the exact v5 answer <c>0{"sid":"id"}</c> (or
    /// <c>0/nsp,{"sid":"id"}</c>) and returns the socket the connection listener saw.
    /// </summary>
    protected async Task<Socket> JoinAsync(TestClient client, string nsp = "/")
    {
        var connections = ConnectionsOf(nsp);
        client.Send(nsp == "/" ? "0" : "0" + nsp + ",");
        var answer = await client.Wire.ExpectMsgAsync<Sent>();
        var socket = await connections.ExpectMsgAsync<Socket>();
        var prefix = nsp == "/" ? "" : nsp + ",";
        Assert.Equal($"0{prefix}{{\"sid\":\"{socket.Id}\"}}", answer.Packet);
        Assert.Same(Server.Of(nsp), socket.Namespace);
        return socket;
    }

    /// <summary>A new v5 client connected to <paramref name="nsp"/>.</summary>
    protected async Task<(TestClient Client, Socket Socket)> ConnectAsync(string nsp = "/")
    {
        var client = NewClient();
        return (client, await JoinAsync(client, nsp));
    }

    /// <summary>A probe told <c>"disconnecting:reason"</c> and <c>"disconnect:reason"</c> for <paramref name="socket"/>.</summary>
    protected TestProbe WatchDisconnect(Socket socket)
    {
        var probe = CreateTestProbe();
        socket.OnDisconnecting(reason => probe.Ref.Tell("disconnecting:" + reason, null));
        socket.OnDisconnect(reason => probe.Ref.Tell("disconnect:" + reason, null));
        return probe;
    }

    /// <summary>Subscribes a new probe to the system's <see cref="Rooms.RoomEvents.IRoomEvent"/>s.</summary>
    protected TestProbe SubscribeToRoomEvents()
    {
        var probe = CreateTestProbe();
        Sys.EventStream.Subscribe(probe.Ref, typeof(Rooms.RoomEvents.IRoomEvent));
        return probe;
    }

    /// <summary>Waits for <paramref name="task"/> (never blocks longer than <paramref name="timeout"/>, default 3 s).</summary>
    protected static T Await<T>(Task<T> task, TimeSpan? timeout = null)
    {
        Assert.True(task.Wait(timeout ?? TimeSpan.FromSeconds(3)), "task did not complete in time");
        return task.Result;
    }

    protected static void Await(Task task, TimeSpan? timeout = null) =>
        Assert.True(task.Wait(timeout ?? TimeSpan.FromSeconds(3)), "task did not complete in time");

    /// <summary>Waits for <paramref name="task"/> to fail and returns its exception.</summary>
    protected static TException AwaitFailure<TException>(Task task, TimeSpan? timeout = null)
        where TException : Exception
    {
        try
        {
            task.Wait(timeout ?? TimeSpan.FromSeconds(3));
        }
        catch (AggregateException)
        {
        }

        Assert.True(task.IsFaulted, $"task should have failed with {typeof(TException).Name} but is {task.Status}");
        return Assert.IsType<TException>(task.Exception!.InnerException);
    }

    protected static string SidOf(Sent connectAnswer) =>
        Regex.Match(connectAnswer.Packet, "\"sid\":\"([^\"]+)\"").Groups[1].Value;
}

/// <summary>One in-memory client: what it sends goes to the server's handler, what the server writes arrives on <see cref="Wire"/>.</summary>
public sealed class TestClient(FakeConnection connection, IClientConnectionHandler handler, TestProbe wire)
{
    public FakeConnection Connection { get; } = connection;

    public IClientConnectionHandler Handler { get; } = handler;

    /// <summary>Receives <see cref="Sent"/>, <see cref="SendRefused"/> and <see cref="ConnectionClosed"/> in call order.</summary>
    public TestProbe Wire { get; } = wire;

    public string Id => Connection.Id;

    /// <summary>The client sends a Socket.IO text packet (without the Engine.IO <c>4</c> prefix).</summary>
    public void Send(string packet) => Handler.OnText(Encoding.UTF8.GetBytes(packet));

    /// <summary>The client sends a binary attachment.</summary>
    public void SendBinary(params byte[] data) => Handler.OnBinary(data);

    /// <summary>Expects the next thing written to the connection to be exactly <paramref name="packet"/>.</summary>
    public async Task<Sent> ExpectPacketAsync(string packet, TimeSpan? timeout = null)
    {
        var next = await Wire.ExpectMsgAsync<object>(timeout);
        var sent = Assert.IsType<Sent>(next);
        Assert.Equal(packet, sent.Packet);
        return sent;
    }

    /// <summary>Expects the next thing to happen to the connection to be the server closing it.</summary>
    public async Task ExpectClosedAsync(TimeSpan? timeout = null) => Assert.IsType<ConnectionClosed>(await Wire.ExpectMsgAsync<object>(timeout));
}

/// <summary>Probe expectations the specs share.</summary>
public static class ProbeExpectations
{
    /// <summary>The next <paramref name="count"/> messages of <paramref name="probe"/>, in order, each within the default (or given) timeout.</summary>
    public static async Task<IReadOnlyList<object>> ReceiveNMessagesAsync(this TestProbe probe, int count, TimeSpan? timeout = null)
    {
        var messages = new List<object>(count);
        for (var i = 0; i < count; i++)
            messages.Add(await probe.ExpectMsgAsync<object>(timeout));
        return messages;
    }
}
