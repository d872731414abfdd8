using System.Text.RegularExpressions;
using Akka.Configuration;
using Microsoft.Extensions.Configuration;
using SocketIo.Actors;
using SocketIo.Node.Configuration;

namespace SocketIo.Node.Tests.Configuration;

/// <summary>The repository's own cluster.hocon: Akka's parser reads it, it holds the defaults, and every key follows its override.</summary>
public sealed class ClusterHoconFileSpec
{
    private static readonly string ClusterHocon = Path.Combine(RepositoryRoot(), "cluster.hocon");

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "SocketIo.Actors.sln"))) return dir.FullName;
        throw new InvalidOperationException($"SocketIo.Actors.sln not found above {AppContext.BaseDirectory}");
    }

    private static IConfiguration Environment(params (string Name, string Value)[] env) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(env.Select(v => new KeyValuePair<string, string?>(v.Name, v.Value)))
            .Build();

    private static NodeConfig Load(params (string Name, string Value)[] env) => NodeConfig.Load(ClusterHocon, Environment(env));

    [Fact]
    public void Without_environment_the_file_gives_the_defaults()
    {
        var config = Load();
        Assert.Equal(NodeConfig.Default, config);
        Assert.Equal(NodeConfig.Default, NodeConfig.Load(ClusterHocon));
        Assert.Equal(["polling", "websocket"], config.Engine.Transports);
        Assert.False(config.Cluster.Enabled);
        Assert.Empty(config.Cluster.SeedNodes);
        Assert.Null(config.Engine.CorsOrigin);
    }

    [Fact]
    public void The_file_has_every_key_of_the_model_and_an_akka_section()
    {
        var root = ConfigurationFactory.ParseString(File.ReadAllText(ClusterHocon));
        Assert.Equal(["akka", "socketio"], root.Root.GetObject().Items.Keys.Order());
        string[] keys =
        [
            "http.host", "http.port",
            "engine.path", "engine.ping-interval", "engine.ping-timeout", "engine.upgrade-timeout",
            "engine.max-http-buffer-size", "engine.transports", "engine.allow-upgrades", "engine.allow-eio3",
            "socketio.connect-timeout", "socketio.cleanup-empty-child-namespaces", "socketio.max-dynamic-namespaces",
            "socketio.max-attachments", "socketio.max-json-depth", "socketio.attachment-timeout", "socketio.max-inbound-backlog",
            "socketio.outbound-overflow",
            "cluster.enabled", "cluster.cluster-name", "cluster.hostname", "cluster.port", "cluster.seed-nodes", "cluster.role",
            "cluster.join-timeout", "cluster.shard-count", "cluster.request-timeout",
        ];
        foreach (var key in keys) Assert.True(root.HasPath($"socketio.{key}"), key);
        // Keys without a default appear as commented examples.
        var text = File.ReadAllText(ClusterHocon);
        Assert.Contains("#   name = node-1", text);
        Assert.Contains("#   cors-origin = \"*\"", text);
        Assert.Contains("#   seed-nodes = [\"127.0.0.1:4001\"]", text);
        // No substitution outside comments: Akka's parser would drop keys after a ${?...}.
        Assert.DoesNotContain(File.ReadAllLines(ClusterHocon), line => !line.TrimStart().StartsWith('#') && line.Contains("${"));
        var akka = NodeConfig.LoadHocon(ClusterHocon);
        Assert.Equal(100, akka.GetInt("akka.actor.default-dispatcher.throughput"));
        Assert.Equal("keep-majority", akka.GetString("akka.cluster.split-brain-resolver.active-strategy"));
        Assert.Equal("ddata", akka.GetString("akka.cluster.sharding.state-store-mode"));
    }

    [Fact]
    public void The_example_at_the_top_of_the_file_works()
    {
        var header = File.ReadAllLines(ClusterHocon).TakeWhile(line => line.StartsWith('#'));
        var env = header.SelectMany(line => Regex.Matches(line, @"(SOCKETIO__[A-Z_]+)=([^\s)]+)").Select(m => (m.Groups[1].Value, m.Groups[2].Value)))
            .Where(v => v.Item1 != "SOCKETIO__ENGINE__TRANSPORTS__0")
            .DistinctBy(v => v.Item1)
            .ToArray();
        Assert.Contains(("SOCKETIO__HTTP__PORT", "3001"), env);
        var config = Load(env);
        Assert.Equal(3001, config.Http.Port);
        Assert.Equal("node-1", config.NodeName);
        Assert.True(config.Cluster.Enabled);
        Assert.Equal(4001, config.Cluster.Port);
        Assert.Equal(["akka.tcp://socketio@127.0.0.1:4001"], config.Cluster.SeedNodes);
        Assert.Equal(TimeSpan.FromSeconds(10), config.Engine.PingInterval);
    }

    [Fact]
    public void Every_environment_variable_overrides_its_key()
    {
        var config = Load(
            ("SOCKETIO__NODE__NAME", "node-2"),
            ("SOCKETIO__HTTP__HOST", "0.0.0.0"),
            ("SOCKETIO__HTTP__PORT", "3002"),
            ("SOCKETIO__ENGINE__PATH", "/rt/"),
            ("SOCKETIO__ENGINE__PING_INTERVAL", "5s"),
            ("SOCKETIO__ENGINE__PING_TIMEOUT", "4000"),
            ("SOCKETIO__ENGINE__UPGRADE_TIMEOUT", "3 seconds"),
            ("SOCKETIO__ENGINE__MAX_HTTP_BUFFER_SIZE", "100kB"),
            ("SOCKETIO__ENGINE__TRANSPORTS", "websocket"),
            ("SOCKETIO__ENGINE__ALLOW_UPGRADES", "false"),
            ("SOCKETIO__ENGINE__ALLOW_EIO3", "off"),
            ("SOCKETIO__ENGINE__CORS_ORIGIN", "*"),
            ("SOCKETIO__SOCKETIO__CONNECT_TIMEOUT", "10s"),
            ("SOCKETIO__SOCKETIO__CLEANUP_EMPTY_CHILD_NAMESPACES", "true"),
            ("SOCKETIO__SOCKETIO__MAX_DYNAMIC_NAMESPACES", "100"),
            ("SOCKETIO__SOCKETIO__MAX_ATTACHMENTS", "4"),
            ("SOCKETIO__SOCKETIO__MAX_JSON_DEPTH", "16"),
            ("SOCKETIO__SOCKETIO__ATTACHMENT_TIMEOUT", "2m"),
            ("SOCKETIO__SOCKETIO__MAX_INBOUND_BACKLOG", "32"),
            ("SOCKETIO__SOCKETIO__OUTBOUND_OVERFLOW", "drop-volatile"),
            ("SOCKETIO__CLUSTER__ENABLED", "true"),
            ("SOCKETIO__CLUSTER__CLUSTER_NAME", "green"),
            ("SOCKETIO__CLUSTER__HOSTNAME", "10.0.0.2"),
            ("SOCKETIO__CLUSTER__PORT", "4002"),
            ("SOCKETIO__CLUSTER__SEED_NODES", "10.0.0.1:4001,akka.tcp://green@10.0.0.3:4003"),
            ("SOCKETIO__CLUSTER__ROLE", "chat"),
            ("SOCKETIO__CLUSTER__JOIN_TIMEOUT", "20s"),
            ("SOCKETIO__CLUSTER__SHARD_COUNT", "128"),
            ("SOCKETIO__CLUSTER__REQUEST_TIMEOUT", "750ms"));

        Assert.Equal(
            new NodeConfig(
                "node-2",
                new HttpConfig("0.0.0.0", 3002),
                new EngineConfig("/rt/", TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(3), 100_000,
                    ["websocket"], false, false, "*"),
                new SocketIoConfig(TimeSpan.FromSeconds(10), true, 100, 4, 16, TimeSpan.FromMinutes(2), 32, OutboundOverflowPolicy.DropVolatile),
                new ClusterConfig(true, "green", "10.0.0.2", 4002, ["akka.tcp://green@10.0.0.1:4001", "akka.tcp://green@10.0.0.3:4003"],
                    "chat", TimeSpan.FromSeconds(20), 128, TimeSpan.FromMilliseconds(750))),
            config);
    }

    [Fact]
    public void Each_node_of_a_cluster_differs_only_by_its_environment()
    {
        (string, string)[] shared = [("SOCKETIO__CLUSTER__ENABLED", "true"), ("SOCKETIO__CLUSTER__SEED_NODES", "127.0.0.1:4001")];
        var one = Load([("SOCKETIO__HTTP__PORT", "3001"), ("SOCKETIO__CLUSTER__PORT", "4001"), .. shared]);
        var two = Load([("SOCKETIO__HTTP__PORT", "3002"), ("SOCKETIO__CLUSTER__PORT", "4002"), .. shared]);
        Assert.Equal((3001, 4001), (one.Http.Port, one.Cluster.Port));
        Assert.Equal((3002, 4002), (two.Http.Port, two.Cluster.Port));
        Assert.NotEqual(one.NodeName, two.NodeName);
        Assert.Equal(one.Cluster with { Port = 0 }, two.Cluster with { Port = 0 });
    }

    /// <summary>The commented TLS block of the file's akka section, uncommented and parsed as Akka would read it.</summary>
    private static Config TlsBlock()
    {
        var lines = File.ReadAllLines(ClusterHocon).SkipWhile(line => line.Trim() != "# remote.dot-netty.tcp {").ToList();
        Assert.NotEmpty(lines);
        var block = lines.Take(lines.FindIndex(line => line == "  # }") + 1).Select(line => line.TrimStart()[1..]);
        return ConfigurationFactory.ParseString("akka {\n" + string.Join('\n', block) + "\n}");
    }

    /// <summary>The paths of <paramref name="value"/>'s leaves under <paramref name="prefix"/>.</summary>
    private static IEnumerable<string> Leaves(string prefix, Akka.Configuration.Hocon.HoconValue value) =>
        value.IsObject()
            ? value.GetObject().Items.SelectMany(item => Leaves(prefix.Length == 0 ? item.Key : $"{prefix}.{item.Key}", item.Value))
            : [prefix];

    [Fact]
    public void The_commented_tls_block_names_akka_remote_keys_and_turns_the_seed_nodes_to_tls()
    {
        var tls = TlsBlock();
        var reference = ConfigurationFactory.FromResource<Akka.Remote.RemoteActorRefProvider>("Akka.Remote.Configuration.Remote.conf");
        var keys = Leaves("", tls.Root).ToList();
        Assert.Contains("akka.remote.dot-netty.tcp.enable-ssl", keys);
        Assert.Contains("akka.remote.dot-netty.tcp.ssl.certificate.path", keys);
        Assert.All(keys, key => Assert.True(reference.HasPath(key), $"{key} is not in Akka.Remote's reference configuration"));
        Assert.True(tls.GetBoolean("akka.remote.dot-netty.tcp.enable-ssl"));

        var cluster = Load(("SOCKETIO__CLUSTER__ENABLED", "true"), ("SOCKETIO__CLUSTER__SEED_NODES", "127.0.0.1:4001,akka.tcp://socketio@127.0.0.1:4002")).Cluster;
        Assert.Equal(["akka.ssl.tcp://socketio@127.0.0.1:4001", "akka.ssl.tcp://socketio@127.0.0.1:4002"],
            SocketIo.Node.Hosting.ClusterHosting.NodeSettings(cluster, tls).GetStringList("akka.cluster.seed-nodes"));
        Assert.Equal(["akka.tcp://socketio@127.0.0.1:4001", "akka.tcp://socketio@127.0.0.1:4002"],
            SocketIo.Node.Hosting.ClusterHosting.NodeSettings(cluster, NodeConfig.LoadHocon(ClusterHocon)).GetStringList("akka.cluster.seed-nodes"));
    }

    [Fact]
    public void A_bad_environment_value_names_the_file_the_key_and_the_variable()
    {
        var e = Assert.Throws<NodeConfigException>(() => Load(("SOCKETIO__HTTP__PORT", "http")));
        Assert.Equal($"{ClusterHocon}: socketio.http.port (from SOCKETIO__HTTP__PORT): expected an integer but found \"http\"", e.Message);
        Assert.Equal((ClusterHocon, "socketio.http.port", "SOCKETIO__HTTP__PORT"), (e.File, e.Key, e.Override));
    }

    [Fact]
    public void A_seed_node_that_is_neither_host_port_nor_an_akka_address_is_refused()
    {
        var e = Assert.Throws<NodeConfigException>(() => Load(("SOCKETIO__CLUSTER__SEED_NODES", "node-1")));
        Assert.Equal("socketio.cluster.seed-nodes", e.Key);
        Assert.Equal($"{ClusterHocon}: socketio.cluster.seed-nodes (from SOCKETIO__CLUSTER__SEED_NODES): \"node-1\" is neither host:port (127.0.0.1:4001) nor an Akka address (akka.tcp://socketio@127.0.0.1:4001)", e.Message);
    }
}
