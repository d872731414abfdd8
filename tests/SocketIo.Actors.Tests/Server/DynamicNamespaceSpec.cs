using System.Text.RegularExpressions;
using Akka.TestKit;
using Newtonsoft.Json.Linq;

namespace SocketIo.Actors.Tests.Server;

/// <summary>Dynamic namespaces: children created on first connection, inheritance, cleanup and the limit.</summary>
public sealed class DynamicNamespaceSpec : ServerSpec
{
    private static readonly Regex DynamicNames = new("^/dyn-\\d+$");

    [Fact]
    public async Task A_matching_name_creates_a_child_namespace_on_first_connection()
    {
        var parent = Server.Of(DynamicNames);
        var connections = CreateTestProbe();
        parent.OnConnection(socket => connections.Ref.Tell(socket, null));
        var client = NewClient();

        client.Send("0/dyn-1,");

        var answer = await client.Wire.ExpectMsgAsync<Sent>();
        var socket = await connections.ExpectMsgAsync<Socket>();
        Assert.Equal($"0/dyn-1,{{\"sid\":\"{socket.Id}\"}}", answer.Packet);
        Assert.Equal("/dyn-1", socket.Namespace.Name);
        Assert.Same(parent, socket.Namespace.Parent);
        Assert.Same(socket.Namespace, Assert.Single(parent.Children));
        Assert.Same(socket.Namespace, Server.Namespaces["/dyn-1"]);
    }

    [Fact]
    public async Task A_second_connection_to_the_same_name_reuses_the_child()
    {
        var parent = Server.Of(DynamicNames);
        var connections = CreateTestProbe();
        parent.OnConnection(socket => connections.Ref.Tell(socket, null));

        NewClient().Send("0/dyn-7,");
        NewClient().Send("0/dyn-7,");

        var first = await connections.ExpectMsgAsync<Socket>();
        var second = await connections.ExpectMsgAsync<Socket>();
        Assert.Same(first.Namespace, second.Namespace);
        Assert.Single(parent.Children);
    }

    [Fact]
    public async Task Children_inherit_the_parent_s_middlewares()
    {
        var parent = Server.Of(DynamicNames);
        parent.Use(socket => socket.Handshake.Auth["token"] is null
            ? throw new ConnectionRefusedException("token required")
            : Task.CompletedTask);
        var client = NewClient();

        client.Send("0/dyn-2,");
        await client.ExpectPacketAsync("4/dyn-2,{\"message\":\"token required\"}");
        client.Send("0/dyn-2,{\"token\":\"t\"}");

        Assert.StartsWith("0/dyn-2,{\"sid\":", (await client.Wire.ExpectMsgAsync<Sent>()).Packet, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_name_no_dynamic_namespace_matches_is_an_invalid_namespace()
    {
        Server.Of(DynamicNames);
        var client = NewClient();

        client.Send("0/dyn-x,");

        await client.ExpectPacketAsync("4/dyn-x,{\"message\":\"Invalid namespace\"}");
        Assert.False(Server.Namespaces.ContainsKey("/dyn-x"));
    }

    [Fact]
    public async Task A_predicate_decides_with_the_auth_payload()
    {
        Server.Of((name, auth) => name.StartsWith("/tenant-", StringComparison.Ordinal) && (bool?)auth["member"] == true);
        var client = NewClient();

        client.Send("0/tenant-a,{\"member\":false}");
        await client.ExpectPacketAsync("4/tenant-a,{\"message\":\"Invalid namespace\"}");
        client.Send("0/tenant-a,{\"member\":true}");

        Assert.StartsWith("0/tenant-a,{\"sid\":", (await client.Wire.ExpectMsgAsync<Sent>()).Packet, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_throwing_predicate_refuses_with_invalid_namespace()
    {
        Server.Of((_, _) => throw new InvalidOperationException("predicate bug"));
        var client = NewClient();

        client.Send("0/any,");

        await client.ExpectPacketAsync("4/any,{\"message\":\"Invalid namespace\"}");
        Assert.Contains(Logs.Entries, e => e.EventId == 2000 && e.Exception?.Message == "predicate bug");
    }

    [Fact]
    public async Task The_parent_s_emit_reaches_every_child()
    {
        var parent = Server.Of(DynamicNames);
        var one = NewClient();
        var two = NewClient();
        var connections = CreateTestProbe();
        parent.OnConnection(socket => connections.Ref.Tell(socket, null));
        one.Send("0/dyn-1,");
        two.Send("0/dyn-2,");
        await connections.ReceiveNMessagesAsync(2);
        await one.Wire.ExpectMsgAsync<Sent>();
        await two.Wire.ExpectMsgAsync<Sent>();

        parent.Emit("all", 1);

        await one.ExpectPacketAsync("2/dyn-1,[\"all\",1]");
        await two.ExpectPacketAsync("2/dyn-2,[\"all\",1]");
    }

    [Fact]
    public async Task An_empty_child_is_removed_when_cleanup_is_on()
    {
        Options.CleanupEmptyChildNamespaces = true;
        var parent = Server.Of(DynamicNames);
        var connections = CreateTestProbe();
        parent.OnConnection(socket => connections.Ref.Tell(socket, null));
        var client = NewClient();
        client.Send("0/dyn-3,");
        await client.Wire.ExpectMsgAsync<Sent>();
        var child = (await connections.ExpectMsgAsync<Socket>()).Namespace;
        Watch(child.Actor);

        client.Send("1/dyn-3,");

        await ExpectTerminatedAsync(child.Actor);
        await AwaitAssertAsync(() => Assert.False(Server.Namespaces.ContainsKey("/dyn-3")));
        Assert.Empty(parent.Children);
        await AwaitAssertAsync(() => Assert.Contains(Logs.Entries, e => e.EventId == 2007));

        client.Send("0/dyn-3,");
        await client.Wire.ExpectMsgAsync<Sent>(s => s.Packet.StartsWith("0/dyn-3,{\"sid\":", StringComparison.Ordinal));
        Assert.NotSame(child, (await connections.ExpectMsgAsync<Socket>()).Namespace);
    }

    [Fact]
    public async Task An_empty_child_stays_when_cleanup_is_off()
    {
        var parent = Server.Of(DynamicNames);
        var connections = CreateTestProbe();
        parent.OnConnection(socket => connections.Ref.Tell(socket, null));
        var client = NewClient();
        client.Send("0/dyn-4,");
        await client.Wire.ExpectMsgAsync<Sent>();
        var socket = await connections.ExpectMsgAsync<Socket>();
        var watch = WatchDisconnect(socket);

        client.Send("1/dyn-4,");
        await watch.ExpectMsgAsync("disconnecting:client namespace disconnect");
        await watch.ExpectMsgAsync("disconnect:client namespace disconnect");

        await AwaitAssertAsync(() => Assert.Empty(socket.Namespace.Sockets));
        Assert.Same(socket.Namespace, Server.Namespaces["/dyn-4"]);
    }

    [Fact]
    public async Task Children_beyond_the_limit_are_refused_with_invalid_namespace()
    {
        Options.MaxDynamicNamespaces = 1;
        Options.CleanupEmptyChildNamespaces = true;
        var parent = Server.Of(DynamicNames);
        var connections = CreateTestProbe();
        parent.OnConnection(socket => connections.Ref.Tell(socket, null));
        var client = NewClient();
        client.Send("0/dyn-1,");
        await client.Wire.ExpectMsgAsync<Sent>();
        var first = await connections.ExpectMsgAsync<Socket>();

        client.Send("0/dyn-2,");
        await client.ExpectPacketAsync("4/dyn-2,{\"message\":\"Invalid namespace\"}");
        Assert.False(Server.Namespaces.ContainsKey("/dyn-2"));

        Watch(first.Namespace.Actor);
        client.Send("1/dyn-1,");
        await ExpectTerminatedAsync(first.Namespace.Actor);
        await AwaitAssertAsync(() => Assert.Empty(parent.Children));
        client.Send("0/dyn-2,");
        Assert.StartsWith("0/dyn-2,{\"sid\":", (await client.Wire.ExpectMsgAsync<Sent>()).Packet, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Static_namespaces_do_not_count_against_the_dynamic_limit()
    {
        Options.MaxDynamicNamespaces = 0;
        Server.Of(DynamicNames);
        ConnectionsOf("/static");
        var client = NewClient();

        await JoinAsync(client, "/static");
        client.Send("0/dyn-1,");

        await client.ExpectPacketAsync("4/dyn-1,{\"message\":\"Invalid namespace\"}");
    }
}
