using Akka.Actor;
using Akka.TestKit;
using Microsoft.Extensions.Logging;

namespace SocketIo.Actors.Tests.Server;

/// <summary>
/// Outbound backpressure: the connection's drain reaches every socket's <see cref="Socket.OnDrain"/> listeners,
/// <see cref="Socket.IsBackpressured"/> runs from a refused packet to the next drain, and
/// <see cref="SocketIoOptions.OutboundOverflow"/> decides when a volatile packet is dropped.
/// </summary>
public sealed class OutboundBackpressureSpec : ServerSpec
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(200);

    [Fact]
    public async Task A_drain_runs_the_drain_listeners_of_every_socket_of_the_connection_in_registration_order()
    {
        var (client, root, admin) = await JoinTwoNamespacesAsync();
        var rootSeen = CreateTestProbe();
        var adminSeen = CreateTestProbe();
        root.OnDrain(() => rootSeen.Ref.Tell("first", ActorRefs.NoSender));
        root.OnDrain(() => throw new InvalidOperationException("drain listener bug"));
        root.OnDrain(() => rootSeen.Ref.Tell("third", ActorRefs.NoSender));
        admin.OnDrain(() => adminSeen.Ref.Tell("admin", ActorRefs.NoSender));

        client.Handler.OnDrain();

        await rootSeen.ExpectMsgAsync("first", Wait);
        await rootSeen.ExpectMsgAsync("third", Wait);
        await adminSeen.ExpectMsgAsync("admin", Wait);
        var entry = Assert.Single(Logs.Entries, e => e.EventId == 2000);
        Assert.Equal(LogLevel.Error, entry.Level);
        Assert.Equal("drain listener bug", entry.Exception?.Message);
        Assert.Equal($"Listener for event 'drain' of socket {root.Id} threw", entry.Message);
        Assert.True(root.Connected);
        Assert.True(client.Connection.IsOpen);

        // Each drain runs them once more.
        client.Handler.OnDrain();

        await rootSeen.ExpectMsgAsync("first", Wait);
        await rootSeen.ExpectMsgAsync("third", Wait);
        await adminSeen.ExpectMsgAsync("admin", Wait);
        await rootSeen.ExpectNoMsgAsync(Quiet);
        await adminSeen.ExpectNoMsgAsync(Quiet);
        await client.Wire.ExpectNoMsgAsync(Quiet);
    }

    [Fact]
    public async Task A_removed_drain_listener_no_longer_runs()
    {
        var (client, socket) = await ConnectAsync();
        var seen = CreateTestProbe();
        Action removed = () => seen.Ref.Tell("removed", ActorRefs.NoSender);
        socket.OnDrain(removed);
        socket.OnDrain(() => seen.Ref.Tell("kept", ActorRefs.NoSender));
        socket.OffDrain(removed);

        client.Handler.OnDrain();

        await seen.ExpectMsgAsync("kept", Wait);
        await seen.ExpectNoMsgAsync(Quiet);
    }

    [Fact]
    public async Task A_refused_packet_backpressures_every_socket_of_the_connection_until_the_next_drain()
    {
        var (client, root, admin) = await JoinTwoNamespacesAsync();
        var seen = CreateTestProbe();
        root.OnDrain(() => seen.Ref.Tell($"drain, backpressured: {root.IsBackpressured}", ActorRefs.NoSender));
        Assert.False(root.IsBackpressured);
        client.Connection.QueueFull = true;

        Assert.False(root.Volatile.Emit("position", 1));

        Assert.Equal("2[\"position\",1]", (await client.Wire.ExpectMsgAsync<SendRefused>(Wait)).Packet);
        Assert.True(root.IsBackpressured);
        Assert.True(admin.IsBackpressured);
        Assert.True(root.Connected);

        client.Connection.QueueFull = false;
        client.Handler.OnDrain();

        await seen.ExpectMsgAsync("drain, backpressured: False", Wait);
        Assert.False(root.IsBackpressured);
        Assert.False(admin.IsBackpressured);
        Assert.True(root.Emit("again", 2));
        await client.ExpectPacketAsync("2[\"again\",2]", Wait);
    }

    [Fact]
    public async Task A_drain_reported_before_the_refusing_send_returns_still_ends_the_backpressure()
    {
        var (client, socket) = await ConnectAsync();
        client.Connection.QueueFull = true;
        // The transport drains on its own thread: here, before the server's Send call has even returned.
        client.Connection.OnRefused = _ => client.Handler.OnDrain();

        Assert.False(socket.Volatile.Emit("position", 1));

        await client.Wire.ExpectMsgAsync<SendRefused>(Wait);
        Assert.False(socket.IsBackpressured);
    }

    [Fact]
    public async Task With_the_default_policy_a_volatile_emit_to_a_non_writable_connection_is_dropped_and_a_refused_emit_disconnects()
    {
        Assert.Equal(OutboundOverflowPolicy.Disconnect, Options.OutboundOverflow);
        var (client, socket) = await ConnectAsync();
        var watch = WatchDisconnect(socket);
        client.Connection.Writable = false;

        Assert.False(socket.Volatile.Emit("position", 1));
        Server.To(socket.Id).Volatile.Emit("tick", 2);
        Assert.True(socket.Emit("important", 3));

        // The volatile packets never reached the connection (a refused one would show as SendRefused).
        await client.ExpectPacketAsync("2[\"important\",3]", Wait);
        await client.Wire.ExpectNoMsgAsync(Quiet);
        Assert.False(socket.IsBackpressured);

        client.Connection.QueueFull = true;
        Assert.False(socket.Emit("big", "payload"));

        await ExpectRefusedThenDisconnectedAsync(client, watch);
        Assert.Contains(Logs.Entries, e => e.EventId == 2003);
        await client.Wire.ExpectNoMsgAsync(Quiet);
    }

    [Fact]
    public async Task With_drop_volatile_a_volatile_emit_to_a_non_writable_connection_with_room_is_sent()
    {
        Options.OutboundOverflow = OutboundOverflowPolicy.DropVolatile;
        var (client, socket) = await ConnectAsync();
        client.Connection.Writable = false;

        Assert.True(socket.Volatile.Emit("position", 1));
        await client.ExpectPacketAsync("2[\"position\",1]", Wait);

        Server.To(socket.Id).Volatile.Emit("tick", 2);
        await client.ExpectPacketAsync("2[\"tick\",2]", Wait);
        Assert.False(socket.IsBackpressured);
        Assert.True(socket.Connected);
    }

    [Fact]
    public async Task With_drop_volatile_a_refused_volatile_emit_is_dropped_without_disconnecting()
    {
        Options.OutboundOverflow = OutboundOverflowPolicy.DropVolatile;
        var (client, socket) = await ConnectAsync();
        var watch = WatchDisconnect(socket);
        client.Connection.Writable = false;
        client.Connection.QueueFull = true;

        Assert.False(socket.Volatile.Emit("position", 1));

        Assert.Equal("2[\"position\",1]", (await client.Wire.ExpectMsgAsync<SendRefused>(Wait)).Packet);
        Assert.True(socket.IsBackpressured);
        Assert.True(socket.Connected);
        Assert.True(client.Connection.IsOpen);
        Assert.Equal(0, client.Connection.CloseCount);

        client.Connection.QueueFull = false;
        client.Handler.OnDrain();
        Assert.False(socket.IsBackpressured);
        Assert.True(socket.Emit("still", "open"));
        await client.ExpectPacketAsync("2[\"still\",\"open\"]", Wait);
        await watch.ExpectNoMsgAsync(Quiet);
        Assert.DoesNotContain(Logs.Entries, e => e.EventId == 2003);
    }

    [Fact]
    public async Task A_refused_emit_disconnects_with_outbound_queue_full_even_when_the_transport_reports_its_close_first()
    {
        var (client, socket) = await ConnectAsync();
        var watch = WatchDisconnect(socket);
        client.Connection.QueueFull = true;
        // The transport's thread reports the close ("forced close") before the server's Close call returns.
        client.Connection.OnClosing = () => client.Handler.OnClose("forced close");

        Assert.False(socket.Emit("big", "payload"));

        await ExpectRefusedThenDisconnectedAsync(client, watch);
    }

    [Fact]
    public async Task With_drop_volatile_a_refused_non_volatile_emit_still_disconnects_with_outbound_queue_full()
    {
        Options.OutboundOverflow = OutboundOverflowPolicy.DropVolatile;
        var (client, socket) = await ConnectAsync();
        var watch = WatchDisconnect(socket);
        client.Connection.QueueFull = true;

        Assert.False(socket.Emit("big", "payload"));

        await ExpectRefusedThenDisconnectedAsync(client, watch);
        Assert.False(socket.Connected);
    }

    /// <summary>The connection refused the <c>big</c> emit and was closed; the socket disconnected with <c>outbound queue full</c>.</summary>
    private static async Task ExpectRefusedThenDisconnectedAsync(TestClient client, TestProbe watch)
    {
        Assert.Equal("2[\"big\",\"payload\"]", (await client.Wire.ExpectMsgAsync<SendRefused>(Wait)).Packet);
        await client.ExpectClosedAsync(Wait);
        await watch.ExpectMsgAsync("disconnecting:outbound queue full", Wait);
        await watch.ExpectMsgAsync("disconnect:outbound queue full", Wait);
    }

    /// <summary>One connection with a socket in <c>/</c> and one in <c>/admin</c>.</summary>
    private async Task<(TestClient Client, Socket Root, Socket Admin)> JoinTwoNamespacesAsync()
    {
        var client = NewClient();
        var root = await JoinAsync(client);
        var admin = await JoinAsync(client, "/admin");
        return (client, root, admin);
    }
}
