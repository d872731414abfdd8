using SocketIo.Node.Configuration;

namespace SocketIo.Node.Tests.Configuration;

/// <summary>The repository's own cluster.hocon: it parses, holds the defaults, and every key follows its environment variable.</summary>
public sealed class ClusterHoconFileSpec
{
    private static readonly string ClusterHocon = Path.Combine(RepositoryRoot(), "cluster.hocon");

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "SocketIo.Actors.sln"))) return dir.FullName;
        throw new InvalidOperationException($"SocketIo.Actors.sln not found above {AppContext.BaseDirectory}");
    }

    private static NodeConfig Load(params (string Name, string Value)[] env)
    {
        var map = env.ToDictionary(v => v.Name, v => v.Value);
        return NodeConfig.Load(ClusterHocon, name => map.GetValueOrDefault(name));
    }

    [Fact]
    public void Without_environment_the_file_gives_the_defaults()
    {
        var config = Load();
        Assert.Equal(NodeConfig.Default, config);
        Assert.Equal(["polling", "websocket"], config.Engine.Transports);
        Assert.False(config.Cluster.Enabled);
        Assert.Null(config.Cluster.RabbitMqUri);
        Assert.Null(config.Engine.CorsOrigin);
    }

    [Fact]
    public void The_file_has_every_key_of_the_model()
    {
        var root = HoconConfig.Load(ClusterHocon, _ => null).GetConfig(NodeConfig.RootPath);
        string[] keys =
        [
            "http.host", "http.port",
            "engine.path", "engine.ping-interval", "engine.ping-timeout", "engine.upgrade-timeout",
            "engine.max-http-buffer-size", "engine.transports", "engine.allow-upgrades", "engine.allow-eio3",
            "socketio.connect-timeout", "socketio.cleanup-empty-child-namespaces", "socketio.max-dynamic-namespaces",
            "socketio.max-attachments", "socketio.max-json-depth", "socketio.attachment-timeout", "socketio.max-inbound-backlog",
            "cluster.enabled", "cluster.cluster-name", "cluster.heartbeat-interval", "cluster.heartbeat-timeout",
            "cluster.shard-count", "cluster.request-timeout",
        ];
        foreach (var key in keys) Assert.True(root.HasPath(key), key);
        // Keys without a default are present only through their environment variable.
        var text = File.ReadAllText(ClusterHocon);
        Assert.Contains("name = ${?SOCKETIO_NODE_NAME}", text);
        Assert.Contains("cors-origin = ${?SOCKETIO_CORS_ORIGIN}", text);
        Assert.Contains("uri = ${?SOCKETIO_RABBITMQ_URI}", text);
    }

    [Fact]
    public void Every_environment_variable_overrides_its_key()
    {
        var config = Load(
            ("SOCKETIO_NODE_NAME", "node-2"),
            ("SOCKETIO_HOST", "0.0.0.0"),
            ("SOCKETIO_PORT", "3002"),
            ("SOCKETIO_PATH", "/rt/"),
            ("SOCKETIO_PING_INTERVAL", "5s"),
            ("SOCKETIO_PING_TIMEOUT", "4000"),
            ("SOCKETIO_UPGRADE_TIMEOUT", "3 seconds"),
            ("SOCKETIO_MAX_HTTP_BUFFER_SIZE", "100kB"),
            ("SOCKETIO_ALLOW_UPGRADES", "false"),
            ("SOCKETIO_ALLOW_EIO3", "no"),
            ("SOCKETIO_CORS_ORIGIN", "*"),
            ("SOCKETIO_CONNECT_TIMEOUT", "10s"),
            ("SOCKETIO_CLEANUP_EMPTY_CHILD_NAMESPACES", "true"),
            ("SOCKETIO_MAX_DYNAMIC_NAMESPACES", "100"),
            ("SOCKETIO_MAX_ATTACHMENTS", "4"),
            ("SOCKETIO_MAX_JSON_DEPTH", "16"),
            ("SOCKETIO_ATTACHMENT_TIMEOUT", "2m"),
            ("SOCKETIO_MAX_INBOUND_BACKLOG", "32"),
            ("SOCKETIO_CLUSTER_ENABLED", "true"),
            ("SOCKETIO_RABBITMQ_URI", "amqp://guest:guest@127.0.0.1:5672/"),
            ("SOCKETIO_CLUSTER_NAME", "green"),
            ("SOCKETIO_HEARTBEAT_INTERVAL", "250ms"),
            ("SOCKETIO_HEARTBEAT_TIMEOUT", "2s"),
            ("SOCKETIO_SHARD_COUNT", "128"),
            ("SOCKETIO_REQUEST_TIMEOUT", "750ms"));

        Assert.Equal(
            new NodeConfig(
                "node-2",
                new HttpConfig("0.0.0.0", 3002),
                new EngineConfig("/rt/", TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(3), 100_000,
                    ["polling", "websocket"], false, false, "*"),
                new SocketIoConfig(TimeSpan.FromSeconds(10), true, 100, 4, 16, TimeSpan.FromMinutes(2), 32),
                new ClusterConfig(true, "amqp://guest:guest@127.0.0.1:5672/", "green", TimeSpan.FromMilliseconds(250),
                    TimeSpan.FromSeconds(2), 128, TimeSpan.FromMilliseconds(750))),
            config);
    }

    [Fact]
    public void Each_node_of_a_cluster_differs_only_by_its_environment()
    {
        var one = Load(("SOCKETIO_PORT", "3001"), ("SOCKETIO_CLUSTER_ENABLED", "true"), ("SOCKETIO_RABBITMQ_URI", "amqp://127.0.0.1/"));
        var two = Load(("SOCKETIO_PORT", "3002"), ("SOCKETIO_CLUSTER_ENABLED", "true"), ("SOCKETIO_RABBITMQ_URI", "amqp://127.0.0.1/"));
        Assert.Equal(3001, one.Http.Port);
        Assert.Equal(3002, two.Http.Port);
        Assert.NotEqual(one.NodeName, two.NodeName);
        Assert.Equal(one.Cluster, two.Cluster);
    }

    [Fact]
    public void A_bad_environment_value_names_the_key_the_file_line_and_the_variable()
    {
        var e = Assert.Throws<HoconConfigException>(() => Load(("SOCKETIO_PORT", "http")));
        Assert.Equal("socketio-actors.http.port", e.Path);
        Assert.Equal("cluster.hocon", e.Location?.SourceName);
        Assert.Equal("environment variable SOCKETIO_PORT", e.Location?.Origin);
        Assert.Contains("port = ${?SOCKETIO_PORT}", File.ReadAllLines(ClusterHocon)[e.Location!.Value.Line - 1]);
        Assert.EndsWith("(environment variable SOCKETIO_PORT): socketio-actors.http.port: expected a 32-bit integer but found the string \"http\"", e.Message);
    }

    [Fact]
    public void Enabling_the_cluster_without_a_broker_is_refused()
    {
        var e = Assert.Throws<HoconConfigException>(() => Load(("SOCKETIO_CLUSTER_ENABLED", "true")));
        Assert.Equal("socketio-actors.cluster.rabbitmq.uri", e.Path);
    }
}
