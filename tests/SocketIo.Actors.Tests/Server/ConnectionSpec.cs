using Akka.TestKit;
using Newtonsoft.Json.Linq;

namespace SocketIo.Actors.Tests.Server;

/// <summary>CONNECT handling: answers, socket ids, refusals, connect timeout and shutdown.</summary>
public sealed class ConnectionSpec : ServerSpec
{
    [Fact]
    public async Task A_v5_client_gets_its_sid_and_the_connection_listener_runs()
    {
        var connections = ConnectionsOf("/");
        var client = NewClient();

        client.Send("0");

        var answer = await client.Wire.ExpectMsgAsync<Sent>();
        var socket = await connections.ExpectMsgAsync<Socket>();
        Assert.Equal($"0{{\"sid\":\"{socket.Id}\"}}", answer.Packet);
        Assert.NotEqual(client.Id, socket.Id);
        Assert.Equal(20, socket.Id.Length);
        Assert.True(socket.Connected);
        Assert.Contains(socket.Id, socket.Rooms);
        Assert.Same(socket, Server.Sockets.Sockets[socket.Id]);
    }

    [Fact]
    public async Task A_v5_client_passes_its_auth_payload_to_the_handshake()
    {
        var connections = ConnectionsOf("/");
        var client = NewClient();

        client.Send("0{\"token\":\"abc\"}");

        await client.Wire.ExpectMsgAsync<Sent>(s => s.Packet.StartsWith("0{\"sid\":", StringComparison.Ordinal));
        var socket = await connections.ExpectMsgAsync<Socket>();
        Assert.Equal("abc", (string?)socket.Handshake.Auth["token"]);
        Assert.Equal("127.0.0.1", socket.Handshake.Address);
    }

    [Fact]
    public async Task A_v5_client_connects_to_a_second_namespace_with_its_prefix()
    {
        var (client, root) = await ConnectAsync();

        var admin = await JoinAsync(client, "/admin");

        Assert.NotEqual(root.Id, admin.Id);
        Assert.Equal("/admin", admin.Namespace.Name);
    }

    [Fact]
    public async Task A_v4_client_is_connected_to_the_main_namespace_at_once_with_the_connection_id()
    {
        var connections = ConnectionsOf("/");

        var client = NewClient(engineProtocol: 3);

        await client.ExpectPacketAsync("0");
        var socket = await connections.ExpectMsgAsync<Socket>();
        Assert.Equal(client.Id, socket.Id);
    }

    [Fact]
    public async Task A_v4_client_gets_namespace_prefixed_socket_ids()
    {
        var connections = ConnectionsOf("/admin");
        var client = NewClient(engineProtocol: 3);
        await client.ExpectPacketAsync("0");

        client.Send("0/admin?token=t1");

        await client.ExpectPacketAsync("0/admin,");
        var socket = await connections.ExpectMsgAsync<Socket>();
        Assert.Equal("/admin#" + client.Id, socket.Id);
        Assert.Equal("t1", (string?)socket.Handshake.Auth["token"]);
    }

    [Fact]
    public async Task An_unknown_namespace_is_refused_with_invalid_namespace_for_v5()
    {
        var client = NewClient();

        client.Send("0/foo,");

        await client.ExpectPacketAsync("4/foo,{\"message\":\"Invalid namespace\"}");
        Assert.True(client.Connection.IsOpen);
        Assert.False(Server.Namespaces.ContainsKey("/foo"));
    }

    [Fact]
    public async Task An_unknown_namespace_is_refused_with_invalid_namespace_for_v4()
    {
        var client = NewClient(engineProtocol: 3);
        await client.ExpectPacketAsync("0");

        client.Send("0/foo");

        await client.ExpectPacketAsync("4/foo,\"Invalid namespace\"");
        Assert.True(client.Connection.IsOpen);
    }

    [Fact]
    public async Task A_refused_namespace_can_be_asked_for_again()
    {
        var client = NewClient();
        client.Send("0/late,");
        await client.ExpectPacketAsync("4/late,{\"message\":\"Invalid namespace\"}");

        ConnectionsOf("/late");
        var socket = await JoinAsync(client, "/late");

        Assert.Equal("/late", socket.Namespace.Name);
    }

    [Fact]
    public async Task A_middleware_refusal_sends_the_message_and_the_data_to_v5_clients()
    {
        var connections = ConnectionsOf("/");
        Server.Use(_ => throw new ConnectionRefusedException("Not authorized", new { reason = "x" }));
        var client = NewClient();

        client.Send("0");

        await client.ExpectPacketAsync("4{\"message\":\"Not authorized\",\"data\":{\"reason\":\"x\"}}");
        Assert.False(connections.HasMessages);
        Assert.Empty(Server.Sockets.Sockets);
        Assert.True(client.Connection.IsOpen);
    }

    [Fact]
    public async Task A_middleware_refusal_sends_the_data_to_v4_clients()
    {
        Server.Use(_ => throw new ConnectionRefusedException("Not authorized", new { reason = "x" }));

        var client = NewClient(engineProtocol: 3);

        await client.ExpectPacketAsync("4{\"reason\":\"x\"}");
    }

    [Fact]
    public async Task A_middleware_refusal_without_data_sends_the_message_to_v4_clients()
    {
        Server.Use((socket, next) => next(new InvalidOperationException("Not authorized")));

        var client = NewClient(engineProtocol: 3);

        await client.ExpectPacketAsync("4\"Not authorized\"");
    }

    [Fact]
    public async Task Middlewares_run_in_order_before_the_connection_listener()
    {
        var order = CreateTestProbe();
        Server.Use(async socket =>
        {
            order.Ref.Tell("first:" + socket.Handshake.Auth["user"], null);
            await Task.Yield();
            socket.Data = "admitted";
        });
        Server.Use((socket, next) =>
        {
            order.Ref.Tell("second:" + socket.Data, null);
            next(null);
        });
        Server.OnConnection(socket => order.Ref.Tell("connection:" + socket.Data, null));
        var client = NewClient();

        client.Send("0{\"user\":\"ann\"}");

        await order.ExpectMsgAsync("first:ann");
        await order.ExpectMsgAsync("second:admitted");
        await order.ExpectMsgAsync("connection:admitted");
        await client.Wire.ExpectMsgAsync<Sent>(s => s.Packet.StartsWith("0{\"sid\":", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_connection_listener_that_emits_at_once_is_heard_after_the_connect_answer()
    {
        Server.OnConnection(socket =>
        {
            socket.Emit("welcome", socket.Id);
            socket.Join("lobby");
        });
        var connections = ConnectionsOf("/");
        var client = NewClient();

        client.Send("0");

        var answer = await client.Wire.ExpectMsgAsync<Sent>();
        var socket = await connections.ExpectMsgAsync<Socket>();
        Assert.Equal($"0{{\"sid\":\"{socket.Id}\"}}", answer.Packet);
        await client.ExpectPacketAsync($"2[\"welcome\",\"{socket.Id}\"]");
        Server.To("lobby").Emit("joined");
        await client.ExpectPacketAsync("2[\"joined\"]");
    }

    [Fact]
    public async Task A_connection_closed_while_its_middlewares_run_gets_no_socket()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = CreateTestProbe();
        Server.Use(async _ =>
        {
            started.Ref.Tell("middleware started", null);
            await gate.Task;
        });
        var connections = ConnectionsOf("/");
        var client = NewClient();
        client.Send("0");
        await started.ExpectMsgAsync("middleware started");

        client.Handler.OnClose("transport close");
        gate.SetResult();

        await connections.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200));
        Assert.False(client.Wire.HasMessages);
        Assert.Empty(Server.Sockets.Sockets);
    }

    [Fact]
    public async Task The_transport_s_close_reason_reaches_the_disconnect_listeners()
    {
        var (client, socket) = await ConnectAsync();
        var watch = WatchDisconnect(socket);

        client.Handler.OnClose("ping timeout");

        await watch.ExpectMsgAsync("disconnecting:ping timeout");
        await watch.ExpectMsgAsync("disconnect:ping timeout");
    }

    [Fact]
    public async Task A_connection_that_joins_no_namespace_within_the_connect_timeout_is_closed()
    {
        Options.ConnectTimeout = TimeSpan.FromSeconds(10);
        var client = NewClient();

        Clock.Advance(TimeSpan.FromSeconds(9));
        Assert.True(client.Connection.IsOpen);
        Clock.Advance(TimeSpan.FromSeconds(1));

        await client.ExpectClosedAsync();
        Assert.Equal(0, Server.ConnectionCount);
    }

    [Fact]
    public async Task A_connection_that_joined_a_namespace_outlives_the_connect_timeout()
    {
        Options.ConnectTimeout = TimeSpan.FromSeconds(10);
        var (client, socket) = await ConnectAsync();

        Clock.Advance(TimeSpan.FromSeconds(60));
        socket.Emit("still", "here");

        await client.ExpectPacketAsync("2[\"still\",\"here\"]");
        Assert.Equal(0, client.Connection.CloseCount);
    }

    [Fact]
    public async Task Disposing_the_server_disconnects_sockets_with_server_shutting_down()
    {
        var (client, socket) = await ConnectAsync();
        var (_, admin) = await ConnectAsync("/admin");
        var root = WatchDisconnect(socket);
        var other = WatchDisconnect(admin);

        Await(Server.DisposeAsync().AsTask());

        await root.ExpectMsgAsync("disconnecting:server shutting down");
        await root.ExpectMsgAsync("disconnect:server shutting down");
        await other.ExpectMsgAsync("disconnecting:server shutting down");
        await other.ExpectMsgAsync("disconnect:server shutting down");
        await client.ExpectClosedAsync();
        Assert.Equal(0, Server.ConnectionCount);
    }

    [Fact]
    public async Task A_connection_accepted_after_dispose_is_closed_at_once()
    {
        Await(Server.DisposeAsync().AsTask());

        var client = NewClient();

        await client.ExpectClosedAsync();
        Assert.Equal(0, Server.ConnectionCount);
    }
}
