using Akka.Configuration;
using SocketIo.Actors;
using SocketIo.Node.Configuration;
using SocketIo.Transport.EngineIo;

namespace SocketIo.Node.Tests.Configuration;

/// <summary>Mapping the <c>socketio</c> section onto <see cref="NodeConfig"/>: its defaults, Akka's units and the validation.</summary>
public sealed class NodeConfigSpec
{
    private static NodeConfig Read(string text) => NodeConfig.Parse(text, "node.conf");

    private static string Invalid(string text) => Assert.Throws<NodeConfigException>(() => Read(text)).Message;

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

        Assert.Equal(new SocketIoConfig(TimeSpan.FromSeconds(45), false, 10_000, 10, 32, TimeSpan.FromSeconds(30), 256, OutboundOverflowPolicy.Disconnect), config.SocketIo);
        Assert.Equal(new ClusterConfig(false, "socketio", "127.0.0.1", 4000, [], "socketio", TimeSpan.FromSeconds(60), 64, TimeSpan.FromSeconds(5)),
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
        Assert.Equal(socketIo.OutboundOverflow, config.SocketIo.OutboundOverflow);
    }

    [Fact]
    public void Every_key_is_mapped()
    {
        var config = Read("""
            akka { loglevel = DEBUG }
            socketio {
              node.name = node-7
              http { host = "0.0.0.0", port = 3007 }
              engine {
                path = /io/
                ping-interval = 5s
                ping-timeout = 4s
                upgrade-timeout = 3s
                max-http-buffer-size = 64KiB
                transports = [websocket]
                allow-upgrades = off
                allow-eio3 = false
                cors-origin = "https://example.com"
              }
              socketio {
                connect-timeout = 2s
                cleanup-empty-child-namespaces = on
                max-dynamic-namespaces = 5
                max-attachments = 3
                max-json-depth = 8
                attachment-timeout = 1m
                max-inbound-backlog = 64
                outbound-overflow = drop-volatile
              }
              cluster {
                enabled = true
                cluster-name = blue
                hostname = "127.0.0.2"
                port = 0
                seed-nodes = ["127.0.0.1:4001", "127.0.0.1:4002"]
                role = chat
                join-timeout = 30s
                shard-count = 16
                request-timeout = 1500ms
              }
            }
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
        Assert.Equal(new SocketIoConfig(TimeSpan.FromSeconds(2), true, 5, 3, 8, TimeSpan.FromMinutes(1), 64, OutboundOverflowPolicy.DropVolatile), config.SocketIo);
        Assert.Equal(new ClusterConfig(true, "blue", "127.0.0.2", 0, ["akka.tcp://blue@127.0.0.1:4001", "akka.tcp://blue@127.0.0.1:4002"],
            "chat", TimeSpan.FromSeconds(30), 16, TimeSpan.FromMilliseconds(1500)), config.Cluster);
    }

    [Fact]
    public void Configurations_compare_by_value_including_the_transport_list()
    {
        Assert.Equal(Read(""), Read("socketio.engine.transports = [polling, websocket]"));
        Assert.Equal(Read("").GetHashCode(), Read("socketio.engine.transports = [polling, websocket]").GetHashCode());
        Assert.NotEqual(Read(""), Read("socketio.engine.transports = [websocket, polling]"));
        Assert.Equal(Read("socketio.cluster.seed-nodes = [\"127.0.0.1:4001\"]"), Read("socketio.cluster.seed-nodes = [\"akka.tcp://socketio@127.0.0.1:4001\"]"));
        Assert.NotEqual(Read(""), Read("socketio.cluster.seed-nodes = [\"127.0.0.1:4001\"]"));
    }

    [Fact]
    public void The_default_node_name_follows_the_configured_port()
    {
        Assert.EndsWith("-3005", Read("socketio.http.port = 3005").NodeName);
    }

    [Fact]
    public void An_unknown_key_is_an_error_naming_the_file_the_key_and_the_valid_keys()
    {
        Assert.Equal("node.conf: socketio.http.prot: unknown key; the keys of socketio.http are host, port",
            Invalid("socketio { http { prot = 3000 } }"));
        Assert.Equal("node.conf: socketio.clustr: unknown key; the keys of socketio are node, http, engine, socketio, cluster",
            Invalid("socketio { clustr { enabled = true } }"));
        Assert.Equal("node.conf: socketio.cluster.broker: unknown key; the keys of socketio.cluster are enabled, cluster-name, hostname, port, seed-nodes, role, join-timeout, shard-count, request-timeout",
            Invalid("socketio.cluster.broker.uri = \"amqp://x\""));
        Assert.Equal("node.conf: socketio.http.port: expected an integer but found an object",
            Invalid("socketio.http.port.number = 3000"));
    }

    [Fact]
    public void A_section_other_than_akka_and_socketio_is_an_error()
    {
        Assert.Equal("node.conf: other-app: unknown key; the sections of the file are akka and socketio",
            Invalid("socketio.http.port = 1\nother-app { anything = goes }"));
        Assert.Equal("node.conf: socketio-actors: unknown key; the sections of the file are akka and socketio (socketio-actors is now socketio)",
            Invalid("socketio-actors { http.port = 3001 }"));
    }

    [Fact]
    public void An_already_parsed_configuration_is_read_from_its_socketio_section_alone()
    {
        var config = NodeConfig.FromHocon(ConfigurationFactory.ParseString("other-app { x = 1 }\nsocketio.http.port = 3009"), "app.conf");
        Assert.Equal(3009, config.Http.Port);
        Assert.Equal("app.conf: socketio.http.prot: unknown key; the keys of socketio.http are host, port",
            Assert.Throws<NodeConfigException>(() => NodeConfig.FromHocon(ConfigurationFactory.ParseString("socketio.http.prot = 1"), "app.conf")).Message);
        Assert.Equal(NodeConfig.Default, NodeConfig.FromHocon(Config.Empty));
    }

    [Theory]
    [InlineData("http.port = 70000", "socketio.http.port: must be from 0 to 65535, not 70000")]
    [InlineData("http.port = -1", "socketio.http.port: must be from 0 to 65535, not -1")]
    [InlineData("http.port = 99999999999999999999", "socketio.http.port: must be from 0 to 65535, not 99999999999999999999")]
    [InlineData("http.port = 1.5", "socketio.http.port: expected an integer but found \"1.5\"")]
    [InlineData("http.port = [3000]", "socketio.http.port: expected an integer but found a list")]
    [InlineData("http.port = { a = 1 }", "socketio.http.port: expected an integer but found an object")]
    [InlineData("http.host = \"  \"", "socketio.http.host: must not be empty")]
    [InlineData("http.host = [a]", "socketio.http.host: expected a string but found a list")]
    [InlineData("node.name = \"my node\"", "socketio.node.name: \"my node\" is not a valid name: use letters, digits, '.', '_' and '-'")]
    [InlineData("engine.path = socket.io", "socketio.engine.path: \"socket.io\" must start with '/' and contain no whitespace")]
    [InlineData("engine.ping-interval = 0s", "socketio.engine.ping-interval: must be a positive duration of at most 24.9 days, not 0 ms")]
    [InlineData("engine.ping-timeout = -5s", "socketio.engine.ping-timeout: expected a duration such as 10s or 500ms (ns, ms, s, m, h, d; a bare number is milliseconds) but found \"-5s\"")]
    [InlineData("engine.ping-timeout = infinite", "socketio.engine.ping-timeout: expected a duration such as 10s or 500ms (ns, ms, s, m, h, d; a bare number is milliseconds) but found \"infinite\"")]
    [InlineData("engine.upgrade-timeout = 30d", "socketio.engine.upgrade-timeout: must be a positive duration of at most 24.9 days, not 2592000000 ms")]
    [InlineData("engine.upgrade-timeout = 100000000000d", "socketio.engine.upgrade-timeout: the duration \"100000000000d\" is out of range")]
    [InlineData("engine.ping-interval = 25 sec", "socketio.engine.ping-interval: expected a duration such as 10s or 500ms (ns, ms, s, m, h, d; a bare number is milliseconds) but found \"25 sec\"")]
    [InlineData("engine.ping-interval = 5S", "socketio.engine.ping-interval: expected a duration such as 10s or 500ms (ns, ms, s, m, h, d; a bare number is milliseconds) but found \"5S\"")]
    [InlineData("engine.max-http-buffer-size = 0", "socketio.engine.max-http-buffer-size: must be from 1 to 2147483647 bytes, not 0")]
    [InlineData("engine.max-http-buffer-size = 4GiB", "socketio.engine.max-http-buffer-size: must be from 1 to 2147483647 bytes, not 4GiB (4294967296 bytes)")]
    [InlineData("engine.max-http-buffer-size = 10EB", "socketio.engine.max-http-buffer-size: must be from 1 to 2147483647 bytes, not 10EB")]
    [InlineData("engine.max-http-buffer-size = 10 KB", "socketio.engine.max-http-buffer-size: expected a whole size such as 512KiB or 1MB (B, kB, MB, GB are powers of 1000; K, KiB, M, MiB, G, GiB powers of 1024) but found \"10 KB\"")]
    [InlineData("engine.max-http-buffer-size = 1.5K", "socketio.engine.max-http-buffer-size: expected a whole size such as 512KiB or 1MB (B, kB, MB, GB are powers of 1000; K, KiB, M, MiB, G, GiB powers of 1024) but found \"1.5K\"")]
    [InlineData("engine.transports = []", "socketio.engine.transports: must name at least one transport (polling, websocket)")]
    [InlineData("engine.transports = polling", "socketio.engine.transports: expected a list such as [polling, websocket] but found \"polling\"")]
    [InlineData("engine.transports = [polling, flash]", "socketio.engine.transports: unknown transport \"flash\"; use polling and/or websocket")]
    [InlineData("engine.transports = [polling, polling]", "socketio.engine.transports: names a transport twice")]
    [InlineData("engine.transports = [polling, null]", "socketio.engine.transports[1]: expected a string but found null")]
    [InlineData("engine.cors-origin = \"\"", "socketio.engine.cors-origin: \"\" is not an origin; use * or an origin such as https://example.com")]
    [InlineData("engine.allow-eio3 = maybe", "socketio.engine.allow-eio3: expected a boolean (true, false, on, off) but found \"maybe\"")]
    [InlineData("engine.allow-eio3 = yes", "socketio.engine.allow-eio3: expected a boolean (true, false, on, off) but found \"yes\"")]
    [InlineData("socketio.max-json-depth = 0", "socketio.socketio.max-json-depth: must be from 1 to 10000, not 0")]
    [InlineData("socketio.max-attachments = -1", "socketio.socketio.max-attachments: must be from 0 to 2147483647, not -1")]
    [InlineData("socketio.max-dynamic-namespaces = -1", "socketio.socketio.max-dynamic-namespaces: must be from 0 to 2147483647, not -1")]
    [InlineData("socketio.max-inbound-backlog = -1", "socketio.socketio.max-inbound-backlog: must be from 0 to 2147483647, not -1")]
    [InlineData("socketio.outbound-overflow = drop", "socketio.socketio.outbound-overflow: unknown policy \"drop\"; use disconnect or drop-volatile")]
    [InlineData("socketio.outbound-overflow = [disconnect]", "socketio.socketio.outbound-overflow: expected a string but found a list")]
    [InlineData("socketio.connect-timeout = 0", "socketio.socketio.connect-timeout: must be a positive duration of at most 24.9 days, not 0 ms")]
    [InlineData("cluster.shard-count = 0", "socketio.cluster.shard-count: must be from 1 to 65536, not 0")]
    [InlineData("cluster.cluster-name = \"a/b\"", "socketio.cluster.cluster-name: \"a/b\" is not a valid name: use letters, digits, '.', '_' and '-'")]
    [InlineData("cluster.port = -1", "socketio.cluster.port: must be from 0 to 65535, not -1")]
    [InlineData("cluster.seed-nodes = [\"127.0.0.1\"]", "socketio.cluster.seed-nodes: \"127.0.0.1\" is neither host:port (127.0.0.1:4001) nor an Akka address (akka.tcp://socketio@127.0.0.1:4001)")]
    [InlineData("cluster.join-timeout = 0s", "socketio.cluster.join-timeout: must be a positive duration of at most 24.9 days, not 0 ms")]
    [InlineData("cluster.request-timeout = 0ms", "socketio.cluster.request-timeout: must be a positive duration of at most 24.9 days, not 0 ms")]
    public void Invalid_values_are_errors_naming_the_file_and_the_key(string line, string expected)
    {
        Assert.Equal("node.conf: " + expected, Invalid($"socketio {{\n  {line}\n}}"));
    }

    [Theory]
    [InlineData("500", 500 * TimeSpan.TicksPerMillisecond)]
    [InlineData("1.5", 15_000)]
    [InlineData("\"250\"", 250 * TimeSpan.TicksPerMillisecond)]
    [InlineData("10ms", 10 * TimeSpan.TicksPerMillisecond)]
    [InlineData("10 millis", 10 * TimeSpan.TicksPerMillisecond)]
    [InlineData("10 milliseconds", 10 * TimeSpan.TicksPerMillisecond)]
    [InlineData("25s", 25 * TimeSpan.TicksPerSecond)]
    [InlineData("1 second", TimeSpan.TicksPerSecond)]
    [InlineData("2 seconds", 2 * TimeSpan.TicksPerSecond)]
    [InlineData("1.5s", 15 * TimeSpan.TicksPerSecond / 10)]
    [InlineData("2m", 2 * TimeSpan.TicksPerMinute)]
    [InlineData("3 minutes", 3 * TimeSpan.TicksPerMinute)]
    [InlineData("1h", TimeSpan.TicksPerHour)]
    [InlineData("2 hours", 2 * TimeSpan.TicksPerHour)]
    [InlineData("1d", TimeSpan.TicksPerDay)]
    [InlineData("7 days", 7 * TimeSpan.TicksPerDay)]
    [InlineData("300ns", 3)]
    [InlineData("\" 5 s \"", 5 * TimeSpan.TicksPerSecond)]
    public void Durations_take_Akka_units_and_a_bare_number_is_milliseconds(string written, long ticks)
    {
        Assert.Equal(TimeSpan.FromTicks(ticks), Read($"socketio.engine.ping-interval = {written}").Engine.PingInterval);
    }

    [Theory]
    [InlineData("1000000", 1_000_000)]
    [InlineData("512B", 512)]
    [InlineData("512 bytes", 512)]
    [InlineData("1kB", 1_000)]
    [InlineData("1 kilobyte", 1_000)]
    [InlineData("1MB", 1_000_000)]
    [InlineData("2 megabytes", 2_000_000)]
    [InlineData("1GB", 1_000_000_000)]
    [InlineData("1K", 1_024)]
    [InlineData("1k", 1_024)]
    [InlineData("1Ki", 1_024)]
    [InlineData("1KiB", 1_024)]
    [InlineData("1 kibibyte", 1_024)]
    [InlineData("1M", 1_048_576)]
    [InlineData("1m", 1_048_576)]
    [InlineData("1MiB", 1_048_576)]
    [InlineData("1G", 1_073_741_824)]
    [InlineData("\"64 KiB\"", 65_536)]
    public void Sizes_use_powers_of_ten_for_kB_MB_and_powers_of_two_for_K_KiB(string written, long bytes)
    {
        Assert.Equal(bytes, Read($"socketio.engine.max-http-buffer-size = {written}").Engine.MaxHttpBufferSize);
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("on", true)]
    [InlineData("\"true\"", true)]
    [InlineData("false", false)]
    [InlineData("off", false)]
    public void Booleans_are_true_false_on_and_off(string written, bool expected)
    {
        Assert.Equal(expected, Read($"socketio.engine.allow-upgrades = {written}").Engine.AllowUpgrades);
    }

    [Fact]
    public void A_null_value_or_section_takes_the_default()
    {
        Assert.Equal(NodeConfig.Default, Read("socketio { http.port = null, engine = null, cluster.seed-nodes = null }"));
    }

    [Fact]
    public void Enabling_the_cluster_without_seed_nodes_forms_a_cluster_of_one()
    {
        var alone = Read("socketio.cluster.enabled = true");
        Assert.True(alone.Cluster.Enabled);
        Assert.Empty(alone.Cluster.SeedNodes);
        Assert.Equal(("socketio", "127.0.0.1", 4000, "socketio"), (alone.Cluster.ClusterName, alone.Cluster.Hostname, alone.Cluster.Port, alone.Cluster.Role));
    }

    [Fact]
    public void A_section_that_is_not_an_object_is_an_error()
    {
        Assert.Equal("node.conf: socketio.http: expected an object but found \"5\"", Invalid("socketio.http = 5"));
        Assert.Equal("node.conf: socketio: expected an object but found \"x\"", Invalid("socketio = x"));
    }

    [Fact]
    public void ApplyTo_copies_the_settings_onto_the_option_classes()
    {
        var config = Read("""
            socketio {
              engine { path = /rt/, ping-interval = 1s, ping-timeout = 2s, upgrade-timeout = 3s, max-http-buffer-size = 1000
                       transports = [polling], allow-upgrades = false, allow-eio3 = false, cors-origin = "*" }
              socketio { connect-timeout = 4s, cleanup-empty-child-namespaces = true, max-dynamic-namespaces = 9
                         max-attachments = 2, max-json-depth = 5, attachment-timeout = 6s, max-inbound-backlog = 7
                         outbound-overflow = drop-volatile }
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
        Assert.Equal(OutboundOverflowPolicy.DropVolatile, socketIo.OutboundOverflow);

        var untouched = new EngineIoOptions();
        NodeConfig.Default.ApplyTo(untouched);
        Assert.False(untouched.Cors.IsEnabled);
    }
}
