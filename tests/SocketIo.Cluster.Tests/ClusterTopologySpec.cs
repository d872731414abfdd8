using SocketIo.Actors.Cluster.Broker;
using SocketIo.Actors.Cluster.Broker.Internal;

namespace SocketIo.Cluster.Tests;

public sealed class ClusterTopologySpec
{
    private readonly ClusterTopology _topology = new("prod");

    [Fact]
    public void Every_name_is_prefixed_with_socketio_and_the_cluster_name()
    {
        Assert.Equal("socketio.prod.broadcast", _topology.BroadcastExchange.Name);
        Assert.Equal(ExchangeKind.Topic, _topology.BroadcastExchange.Kind);
        Assert.Equal("socketio.prod.request", _topology.RequestExchange.Name);
        Assert.Equal("socketio.prod.membership", _topology.MembershipExchange.Name);
        Assert.Equal(new ExchangeSpec("socketio.prod.shard", ExchangeKind.Direct), _topology.ShardExchange);
        Assert.Equal("socketio.prod.node.node-1", _topology.NodeQueue("node-1"));
        Assert.Equal("socketio.prod.shard.user.12", _topology.ShardQueue("user", 12));
        Assert.Equal("user.12", _topology.ShardKey("user", 12));
        Assert.Equal("nsp./chat", _topology.NamespaceBroadcastKey("/chat"));
        Assert.Equal("node.node-1", _topology.NodeRequestKey("node-1"));
        Assert.Equal("member.node-1", _topology.MembershipKey("node-1"));
    }

    [Fact]
    public void User_names_become_one_routing_key_word()
    {
        Assert.Equal("nsp./a%2Eb%2A%23%25", _topology.NamespaceBroadcastKey("/a.b*#%"));
        Assert.Equal("nsp.%", _topology.NamespaceBroadcastKey(string.Empty));
        Assert.Equal("nsp./caf%C3%A9%20x", _topology.NamespaceBroadcastKey("/café x"));
        Assert.True(TopicMatcher.Matches(_topology.AllBroadcastsPattern, _topology.NamespaceBroadcastKey("/a.b.c")));
        Assert.True(TopicMatcher.Matches(_topology.AllMembersPattern, _topology.MembershipKey("n.1")));
    }

    [Fact]
    public void Long_names_are_shortened_with_a_hash_and_stay_distinct()
    {
        var one = _topology.NamespaceBroadcastKey("/" + new string('a', 300));
        var two = _topology.NamespaceBroadcastKey("/" + new string('a', 299) + "b");
        Assert.NotEqual(one, two);
        Assert.True(one.Length < 100);
        Assert.StartsWith("nsp./aaaa", one);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a.b")]
    [InlineData("a b")]
    public void Cluster_names_must_be_plain(string name) =>
        Assert.Throws<ArgumentException>(() => new ClusterTopology(name));

    [Theory]
    [InlineData("a.b", "a.b", true)]
    [InlineData("a.*", "a.b", true)]
    [InlineData("a.*", "a", false)]
    [InlineData("a.*", "a.b.c", false)]
    [InlineData("a.#", "a", true)]
    [InlineData("a.#", "a.b.c", true)]
    [InlineData("#", "", true)]
    [InlineData("#", "x.y", true)]
    [InlineData("*.b.#", "a.b", true)]
    [InlineData("*.b.#", "b", false)]
    [InlineData("a.#.z", "a.z", true)]
    [InlineData("a.#.z", "a.b.c.z", true)]
    [InlineData("a.#.z", "a.b.c", false)]
    public void Topic_matching_follows_RabbitMQ(string pattern, string key, bool expected) =>
        Assert.Equal(expected, TopicMatcher.Matches(pattern, key));
}
