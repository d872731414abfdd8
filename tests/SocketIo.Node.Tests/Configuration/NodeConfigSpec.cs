using SocketIo.Actors;
using SocketIo.Node.Configuration;
using SocketIo.Transport.EngineIo;

namespace SocketIo.Node.Tests.Configuration;

/// <summary>Mapping the <c>socketio-actors</c> object onto <see cref="NodeConfig"/>, its defaults and its validation.</summary>
public sealed class NodeConfigSpec
{
    private static NodeConfig Read(string text) => NodeConfig.FromHocon(HoconConfig.Parse(text, "node.conf", _ => null));

    private static string Invalid(string text) => Assert.Throws<HoconConfigException>(() => Read(text)).Message;

    [Fact]
    public void An_empty_configuration_gives_the_socket_io_defaults()
    {
        var config = Read("");
        Assert.Equal(new HttpConfig("127.0.0.1", 3000), config.Http);
        Assert.EndsWith("-3000", config.NodeName);
        Assert.Matches("^[a-z0-9._-]+-3000$", config.NodeName);

        var engine = config.Engine;
        Assert.Equal("/socket.io/", engine.Path);
        Assert.Equal(TimeSpan.FromSeconds(25), engine.PingInterval);
        Assert.Equal(TimeSpan.FromSeconds(20), engine.PingTimeout);
        Assert.Equal(TimeSpan.FromSeconds(10), engine.UpgradeTimeout);
        Assert.Equal(1_000_000L, engine.MaxHttpBufferSize);
        Assert.Equal(["polling", "websocket"], engine.Transports);
        Assert.True(engine.AllowUpgrades);
        Assert.True(engine.AllowEio3);
        Assert.Null(engine.CorsOrigin);

        Assert.Equal(new SocketIoConfig(TimeSpan.FromSeconds(45), false, 10_000, 10, 32, TimeSpan.FromSeconds(30), 256), config.SocketIo);
        Assert.Equal(new ClusterConfig(false, null, "socketio", TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), 64, TimeSpan.FromSeconds(5)),
            config.Cluster);
    }

    [Fact]
    public void Defaults_match_the_option_classes_they_configure()
    {
        var config = NodeConfig.Default;
        var engine = new EngineIoOptions();
        var socketIo = new SocketIoOptions();
        Assert.Equal(engine.Path, config.Engine.Path);
        Assert.Equal(engine.PingInterval, config.Engine.PingInterval);
        Assert.Equal(engine.PingTimeout, config.Engine.PingTimeout);
        Assert.Equal(engine.UpgradeTimeout, config.Engine.UpgradeTimeout);
        Assert.Equal(engine.MaxHttpBufferSize, config.Engine.MaxHttpBufferSize);
        Assert.Equal(engine.Transports, config.Engine.Transports);
        Assert.Equal(engine.AllowUpgrades, config.Engine.AllowUpgrades);
        Assert.Equal(engine.AllowEio3, config.Engine.AllowEio3);
        Assert.Equal(socketIo.ConnectTimeout, config.SocketIo.ConnectTimeout);
        Assert.Equal(socketIo.CleanupEmptyChildNamespaces, config.SocketIo.CleanupEmptyChildNamespaces);
        Assert.Equal(socketIo.MaxDynamicNamespaces, config.SocketIo.MaxDynamicNamespaces);
        Assert.Equal(socketIo.MaxAttachments, config.SocketIo.MaxAttachments);
        Assert.Equal(socketIo.MaxJsonDepth, config.SocketIo.MaxJsonDepth);
        Assert.Equal(socketIo.AttachmentTimeout, config.SocketIo.AttachmentTimeout);
        Assert.Equal(socketIo.MaxInboundBacklog, config.SocketIo.MaxInboundBacklog);
    }

    [Fact]
    public void Every_key_is_mapped()
    {
        var config = Read("""
            socketio-actors {
              node.name = node-7
              http { host = "0.0.0.0", port = 3007 }
              engine {
                path = /io/
                ping-interval = 5s
                ping-timeout = 4s
                upgrade-timeout = 3s
                max-http-buffer-size = 64KiB
                transports = [websocket]
                allow-upgrades = no
                allow-eio3 = off
                cors-origin = "https://example.com"
              }
              socketio {
                connect-timeout = 2s
                cleanup-empty-child-namespaces = yes
                max-dynamic-namespaces = 5
                max-attachments = 3
                max-json-depth = 8
                attachment-timeout = 1m
                max-inbound-backlog = 64
              }
              cluster {
                enabled = true
                rabbitmq.uri = "amqp://guest:guest@127.0.0.1:5672/"
                cluster-name = blue
                heartbeat-interval = 500ms
                heartbeat-timeout = 2s
                shard-count = 16
                request-timeout = 1500ms
              }
            }
            other-app { anything = goes }
            """);
        Assert.Equal("node-7", config.NodeName);
        Assert.Equal(new HttpConfig("0.0.0.0", 3007), config.Http);
        Assert.Equal("/io/", config.Engine.Path);
        Assert.Equal(TimeSpan.FromSeconds(5), config.Engine.PingInterval);
        Assert.Equal(TimeSpan.FromSeconds(4), config.Engine.PingTimeout);
        Assert.Equal(TimeSpan.FromSeconds(3), config.Engine.UpgradeTimeout);
        Assert.Equal(65_536L, config.Engine.MaxHttpBufferSize);
        Assert.Equal(["websocket"], config.Engine.Transports);
        Assert.False(config.Engine.AllowUpgrades);
        Assert.False(config.Engine.AllowEio3);
        Assert.Equal("https://example.com", config.Engine.CorsOrigin);
        Assert.Equal(new SocketIoConfig(TimeSpan.FromSeconds(2), true, 5, 3, 8, TimeSpan.FromMinutes(1), 64), config.SocketIo);
        Assert.Equal(new ClusterConfig(true, "amqp://guest:guest@127.0.0.1:5672/", "blue", TimeSpan.FromMilliseconds(500),
            TimeSpan.FromSeconds(2), 16, TimeSpan.FromMilliseconds(1500)), config.Cluster);
    }

    [Fact]
    public void Configurations_compare_by_value_including_the_transport_list()
    {
        Assert.Equal(Read(""), Read("socketio-actors.engine.transports = [polling, websocket]"));
        Assert.Equal(Read("").GetHashCode(), Read("socketio-actors.engine.transports = [polling, websocket]").GetHashCode());
        Assert.NotEqual(Read(""), Read("socketio-actors.engine.transports = [websocket, polling]"));
    }

    [Fact]
    public void The_default_node_name_follows_the_configured_port()
    {
        Assert.EndsWith("-3005", Read("socketio-actors.http.port = 3005").NodeName);
    }

    [Fact]
    public void An_unknown_key_is_an_error_naming_it_and_the_valid_keys()
    {
        Assert.Equal("node.conf:1:33: socketio-actors.http.prot: unknown key; the keys of socketio-actors.http are host, port",
            Invalid("socketio-actors { http { prot = 3000 } }"));
        Assert.Equal("node.conf:1:26: socketio-actors.clustr: unknown key; the keys of socketio-actors are node, http, engine, socketio, cluster",
            Invalid("socketio-actors { clustr { enabled = true } }"));
        Assert.Equal("node.conf:1:40: socketio-actors.cluster.rabbitmq.url: unknown key; the keys of socketio-actors.cluster.rabbitmq are uri",
            Invalid("socketio-actors.cluster.rabbitmq.url = \"amqp://x\""));
    }

    [Theory]
    [InlineData("http.port = 70000", "socketio-actors.http.port: must be from 0 to 65535, not 70000")]
    [InlineData("http.port = -1", "socketio-actors.http.port: must be from 0 to 65535, not -1")]
    [InlineData("http.host = \"  \"", "socketio-actors.http.host: must not be empty")]
    [InlineData("node.name = \"my node\"", "socketio-actors.node.name: \"my node\" is not a valid name: use letters, digits, '.', '_' and '-'")]
    [InlineData("engine.path = socket.io", "socketio-actors.engine.path: \"socket.io\" must start with '/' and contain no whitespace")]
    [InlineData("engine.ping-interval = 0s", "socketio-actors.engine.ping-interval: must be a positive duration of at most 24.9 days, not 0 ms")]
    [InlineData("engine.ping-timeout = -5s", "socketio-actors.engine.ping-timeout: must be a positive duration of at most 24.9 days, not -5000 ms")]
    [InlineData("engine.upgrade-timeout = 30d", "socketio-actors.engine.upgrade-timeout: must be a positive duration of at most 24.9 days, not 2592000000 ms")]
    [InlineData("engine.max-http-buffer-size = 0", "socketio-actors.engine.max-http-buffer-size: must be from 1 to 2147483647, not 0")]
    [InlineData("engine.max-http-buffer-size = 4GiB", "socketio-actors.engine.max-http-buffer-size: must be from 1 to 2147483647, not 4294967296")]
    [InlineData("engine.transports = []", "socketio-actors.engine.transports: must name at least one transport (polling, websocket)")]
    [InlineData("engine.transports = [polling, flash]", "socketio-actors.engine.transports: unknown transport \"flash\"; use polling and/or websocket")]
    [InlineData("engine.transports = [polling, polling]", "socketio-actors.engine.transports: names a transport twice")]
    [InlineData("engine.cors-origin = \"\"", "socketio-actors.engine.cors-origin: \"\" is not an origin; use * or an origin such as https://example.com")]
    [InlineData("socketio.max-json-depth = 0", "socketio-actors.socketio.max-json-depth: must be from 1 to 10000, not 0")]
    [InlineData("socketio.max-attachments = -1", "socketio-actors.socketio.max-attachments: must be from 0 to 2147483647, not -1")]
    [InlineData("socketio.max-dynamic-namespaces = -1", "socketio-actors.socketio.max-dynamic-namespaces: must be from 0 to 2147483647, not -1")]
    [InlineData("socketio.max-inbound-backlog = -1", "socketio-actors.socketio.max-inbound-backlog: must be from 0 to 2147483647, not -1")]
    [InlineData("socketio.connect-timeout = 0", "socketio-actors.socketio.connect-timeout: must be a positive duration of at most 24.9 days, not 0 ms")]
    [InlineData("cluster.shard-count = 0", "socketio-actors.cluster.shard-count: must be from 1 to 65536, not 0")]
    [InlineData("cluster.cluster-name = \"a/b\"", "socketio-actors.cluster.cluster-name: \"a/b\" is not a valid name: use letters, digits, '.', '_' and '-'")]
    [InlineData("cluster.rabbitmq.uri = \"http://localhost\"", "socketio-actors.cluster.rabbitmq.uri: \"http://localhost\" is not an amqp:// or amqps:// URI")]
    [InlineData("cluster.heartbeat-timeout = 1s", "socketio-actors.cluster.heartbeat-timeout: must be longer than cluster.heartbeat-interval (1000 ms), or every node would soon count as gone")]
    [InlineData("cluster.request-timeout = 0ms", "socketio-actors.cluster.request-timeout: must be a positive duration of at most 24.9 days, not 0 ms")]
    [InlineData("engine.allow-eio3 = maybe", "socketio-actors.engine.allow-eio3: expected a boolean (true, false, yes, no, on, off) but found the string \"maybe\"")]
    [InlineData("engine.ping-interval = 25 sec", "socketio-actors.engine.ping-interval: unknown duration unit 'sec' in \"25 sec\"; use ns, us, ms, s, m, h, d (or nanoseconds, microseconds, milliseconds, seconds, minutes, hours, days)")]
    public void Invalid_values_are_errors_naming_the_key_and_where_it_was_written(string line, string expected)
    {
        var message = Invalid($"socketio-actors {{\n  {line}\n}}");
        Assert.StartsWith("node.conf:2:", message);
        Assert.EndsWith(": " + expected, message);
    }

    [Fact]
    public void Enabling_the_cluster_requires_a_broker_uri()
    {
        Assert.Equal("socketio-actors.cluster.rabbitmq.uri: is required when cluster.enabled is true (set it or SOCKETIO_RABBITMQ_URI, or disable the cluster)",
            Invalid("socketio-actors.cluster.enabled = true"));
        var alone = Read("socketio-actors.cluster.rabbitmq.uri = \"amqps://user:pw@broker.example:5671/vhost\"");
        Assert.False(alone.Cluster.Enabled);
        Assert.Equal("amqps://user:pw@broker.example:5671/vhost", alone.Cluster.RabbitMqUri);
    }

    [Fact]
    public void A_section_that_is_not_an_object_is_an_error()
    {
        Assert.Equal("node.conf:1:24: socketio-actors.http: expected an object but found the number 5",
            Invalid("socketio-actors.http = 5"));
        Assert.Equal("node.conf:1:19: socketio-actors: expected an object but found the string \"x\"",
            Invalid("socketio-actors = x"));
    }

    [Fact]
    public void ApplyTo_copies_the_settings_onto_the_option_classes()
    {
        var config = Read("""
            socketio-actors {
              engine { path = /rt/, ping-interval = 1s, ping-timeout = 2s, upgrade-timeout = 3s, max-http-buffer-size = 1000
                       transports = [polling], allow-upgrades = false, allow-eio3 = false, cors-origin = "*" }
              socketio { connect-timeout = 4s, cleanup-empty-child-namespaces = true, max-dynamic-namespaces = 9
                         max-attachments = 2, max-json-depth = 5, attachment-timeout = 6s, max-inbound-backlog = 7 }
            }
            """);
        var engine = new EngineIoOptions();
        config.ApplyTo(engine);
        Assert.Equal("/rt/", engine.Path);
        Assert.Equal(TimeSpan.FromSeconds(1), engine.PingInterval);
        Assert.Equal(TimeSpan.FromSeconds(2), engine.PingTimeout);
        Assert.Equal(TimeSpan.FromSeconds(3), engine.UpgradeTimeout);
        Assert.Equal(1000L, engine.MaxHttpBufferSize);
        Assert.Equal(["polling"], engine.Transports);
        Assert.False(engine.AllowUpgrades);
        Assert.False(engine.AllowEio3);
        Assert.Equal(["*"], engine.Cors.Origins);

        var socketIo = new SocketIoOptions();
        config.ApplyTo(socketIo);
        Assert.Equal(TimeSpan.FromSeconds(4), socketIo.ConnectTimeout);
        Assert.True(socketIo.CleanupEmptyChildNamespaces);
        Assert.Equal(9, socketIo.MaxDynamicNamespaces);
        Assert.Equal(2, socketIo.MaxAttachments);
        Assert.Equal(5, socketIo.MaxJsonDepth);
        Assert.Equal(TimeSpan.FromSeconds(6), socketIo.AttachmentTimeout);
        Assert.Equal(7, socketIo.MaxInboundBacklog);

        var untouched = new EngineIoOptions();
        NodeConfig.Default.ApplyTo(untouched);
        Assert.False(untouched.Cors.IsEnabled);
    }
}
