using System.Text.RegularExpressions;
using Newtonsoft.Json.Linq;

namespace SocketIo.Actors.Tests.Server;

/// <summary>Dynamic namespaces: children created on first connection, inheritance, cleanup and the limit.</summary>
public sealed class DynamicNamespaceSpec : ServerSpec
{
    private static readonly Regex DynamicNames = new("^/dyn-\\d+$");

    [Fact]
    public void A_matching_name_creates_a_child_namespace_on_first_connection()
    {
        var parent = Server.Of(DynamicNames);
        var connections = CreateTestProbe();
        parent.OnConnection(socket => connections.Ref.Tell(socket, null));
        var client = NewClient();

        client.Send("0/dyn-1,");

        var answer = client.Wire.ExpectMsg<Sent>();
        var socket = connections.ExpectMsg<Socket>();
        Assert.Equal($"0/dyn-1,{{\"sid\":\"{socket.Id}\"}}", answer.Packet);
        Assert.Equal("/dyn-1", socket.Namespace.Name);
        Assert.Same(parent, socket.Namespace.Parent);
        Assert.Same(socket.Namespace, Assert.Single(parent.Children));
        Assert.Same(socket.Namespace, Server.Namespaces["/dyn-1"]);
    }

    [Fact]
    public void A_second_connection_to_the_same_name_reuses_the_child()
    {
        var parent = Server.Of(DynamicNames);
        var connections = CreateTestProbe();
        parent.OnConnection(socket => connections.Ref.Tell(socket, null));

        NewClient().Send("0/dyn-7,");
        NewClient().Send("0/dyn-7,");

        var first = connections.ExpectMsg<Socket>();
        var second = connections.ExpectMsg<Socket>();
        Assert.Same(first.Namespace, second.Namespace);
        Assert.Single(parent.Children);
    }

    [Fact]
    public void Children_inherit_the_parent_s_middlewares()
    {
        var parent = Server.Of(DynamicNames);
        parent.Use(socket => socket.Handshake.Auth["token"] is null
            ? throw new ConnectionRefusedException("token required")
            : Task.CompletedTask);
        var client = NewClient();

        client.Send("0/dyn-2,");
        client.ExpectPacket("4/dyn-2,{\"message\":\"token required\"}");
        client.Send("0/dyn-2,{\"token\":\"t\"}");

        Assert.StartsWith("0/dyn-2,{\"sid\":", client.Wire.ExpectMsg<Sent>().Packet, StringComparison.Ordinal);
    }

    [Fact]
    public void A_name_no_dynamic_namespace_matches_is_an_invalid_namespace()
    {
        Server.Of(DynamicNames);
        var client = NewClient();

        client.Send("0/dyn-x,");

        client.ExpectPacket("4/dyn-x,{\"message\":\"Invalid namespace\"}");
        Assert.False(Server.Namespaces.ContainsKey("/dyn-x"));
    }

    [Fact]
    public void A_predicate_decides_with_the_auth_payload()
    {
        Server.Of((name, auth) => name.StartsWith("/tenant-", StringComparison.Ordinal) && (bool?)auth["member"] == true);
        var client = NewClient();

        client.Send("0/tenant-a,{\"member\":false}");
        client.ExpectPacket("4/tenant-a,{\"message\":\"Invalid namespace\"}");
        client.Send("0/tenant-a,{\"member\":true}");

        Assert.StartsWith("0/tenant-a,{\"sid\":", client.Wire.ExpectMsg<Sent>().Packet, StringComparison.Ordinal);
    }

    [Fact]
    public void A_throwing_predicate_refuses_with_invalid_namespace()
    {
        Server.Of((_, _) => throw new InvalidOperationException("predicate bug"));
        var client = NewClient();

        client.Send("0/any,");

        client.ExpectPacket("4/any,{\"message\":\"Invalid namespace\"}");
        Assert.Contains(Logs.Entries, e => e.EventId == 2000 && e.Exception?.Message == "predicate bug");
    }

    [Fact]
    public void The_parent_s_emit_reaches_every_child()
    {
        var parent = Server.Of(DynamicNames);
        var one = NewClient();
        var two = NewClient();
        var connections = CreateTestProbe();
        parent.OnConnection(socket => connections.Ref.Tell(socket, null));
        one.Send("0/dyn-1,");
        two.Send("0/dyn-2,");
        connections.ReceiveN(2);
        one.Wire.ExpectMsg<Sent>();
        two.Wire.ExpectMsg<Sent>();

        parent.Emit("all", 1);

        one.ExpectPacket("2/dyn-1,[\"all\",1]");
        two.ExpectPacket("2/dyn-2,[\"all\",1]");
    }

    [Fact]
    public void An_empty_child_is_removed_when_cleanup_is_on()
    {
        Options.CleanupEmptyChildNamespaces = true;
        var parent = Server.Of(DynamicNames);
        var connections = CreateTestProbe();
        parent.OnConnection(socket => connections.Ref.Tell(socket, null));
        var client = NewClient();
        client.Send("0/dyn-3,");
        client.Wire.ExpectMsg<Sent>();
        var child = connections.ExpectMsg<Socket>().Namespace;
        Watch(child.Actor);

        client.Send("1/dyn-3,");

        ExpectTerminated(child.Actor);
        AwaitAssert(() => Assert.False(Server.Namespaces.ContainsKey("/dyn-3")));
        Assert.Empty(parent.Children);
        AwaitAssert(() => Assert.Contains(Logs.Entries, e => e.EventId == 2007));

        client.Send("0/dyn-3,");
        client.Wire.ExpectMsg<Sent>(s => s.Packet.StartsWith("0/dyn-3,{\"sid\":", StringComparison.Ordinal));
        Assert.NotSame(child, connections.ExpectMsg<Socket>().Namespace);
    }

    [Fact]
    public void An_empty_child_stays_when_cleanup_is_off()
    {
        var parent = Server.Of(DynamicNames);
        var connections = CreateTestProbe();
        parent.OnConnection(socket => connections.Ref.Tell(socket, null));
        var client = NewClient();
        client.Send("0/dyn-4,");
        client.Wire.ExpectMsg<Sent>();
        var socket = connections.ExpectMsg<Socket>();
        var watch = WatchDisconnect(socket);

        client.Send("1/dyn-4,");
        watch.ExpectMsg("disconnecting:client namespace disconnect");
        watch.ExpectMsg("disconnect:client namespace disconnect");

        AwaitAssert(() => Assert.Empty(socket.Namespace.Sockets));
        Assert.Same(socket.Namespace, Server.Namespaces["/dyn-4"]);
    }

    [Fact]
    public void Children_beyond_the_limit_are_refused_with_invalid_namespace()
    {
        Options.MaxDynamicNamespaces = 1;
        Options.CleanupEmptyChildNamespaces = true;
        var parent = Server.Of(DynamicNames);
        var connections = CreateTestProbe();
        parent.OnConnection(socket => connections.Ref.Tell(socket, null));
        var client = NewClient();
        client.Send("0/dyn-1,");
        client.Wire.ExpectMsg<Sent>();
        var first = connections.ExpectMsg<Socket>();

        client.Send("0/dyn-2,");
        client.ExpectPacket("4/dyn-2,{\"message\":\"Invalid namespace\"}");
        Assert.False(Server.Namespaces.ContainsKey("/dyn-2"));

        Watch(first.Namespace.Actor);
        client.Send("1/dyn-1,");
        ExpectTerminated(first.Namespace.Actor);
        AwaitAssert(() => Assert.Empty(parent.Children));
        client.Send("0/dyn-2,");
        Assert.StartsWith("0/dyn-2,{\"sid\":", client.Wire.ExpectMsg<Sent>().Packet, StringComparison.Ordinal);
    }

    [Fact]
    public void Static_namespaces_do_not_count_against_the_dynamic_limit()
    {
        Options.MaxDynamicNamespaces = 0;
        Server.Of(DynamicNames);
        ConnectionsOf("/static");
        var client = NewClient();

        Join(client, "/static");
        client.Send("0/dyn-1,");

        client.ExpectPacket("4/dyn-1,{\"message\":\"Invalid namespace\"}");
    }
}
