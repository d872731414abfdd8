using Microsoft.Extensions.Configuration;
using SocketIo.Node.Configuration;

namespace SocketIo.Node.Tests.Configuration;

/// <summary>
/// Environment overrides through ASP.NET Core configuration: <c>SOCKETIO__</c> and the key's path with <c>__</c>
/// between the parts, matched ignoring case with <c>_</c> for <c>-</c>, put in front of the file.
/// </summary>
public sealed class EnvironmentOverrideSpec
{
    private const string File = "socketio {\n  http { host = \"127.0.0.1\", port = 3000 }\n  engine.ping-interval = 25s\n}";

    /// <summary>A configuration holding exactly these keys, as the environment-variable provider would give them.</summary>
    private static IConfiguration Overrides(params (string Name, string? Value)[] variables) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(variables.Select(v => new KeyValuePair<string, string?>(v.Name, v.Value)))
            .Build();

    private static NodeConfig Read(params (string, string?)[] variables) => NodeConfig.Parse(File, "cluster.hocon", Overrides(variables));

    private static string Invalid(params (string, string?)[] variables) => Assert.Throws<NodeConfigException>(() => Read(variables)).Message;

    [Fact]
    public void A_double_underscore_variable_overrides_the_key_at_that_path()
    {
        var config = Read(("SOCKETIO__HTTP__PORT", "3001"));
        Assert.Equal(3001, config.Http.Port);
        Assert.Equal("127.0.0.1", config.Http.Host);
        Assert.EndsWith("-3001", config.NodeName);
    }

    [Theory]
    [InlineData("SOCKETIO__ENGINE__PING_INTERVAL")]
    [InlineData("SOCKETIO__ENGINE__PING-INTERVAL")]
    [InlineData("socketio__engine__ping_interval")]
    [InlineData("SocketIo__Engine__Ping-Interval")]
    [InlineData("socketio:engine:ping-interval")]
    public void Names_match_keys_ignoring_case_with_underscore_for_dash(string name)
    {
        Assert.Equal(TimeSpan.FromSeconds(5), Read((name, "5s")).Engine.PingInterval);
    }

    [Fact]
    public void The_real_environment_variable_provider_maps_the_same_names()
    {
        // Only this test sets a SOCKETIO__ variable; the other specs pass their overrides explicitly.
        const string name = "SOCKETIO__SOCKETIO__MAX-JSON-DEPTH";
        Environment.SetEnvironmentVariable(name, "12");
        try
        {
            var config = NodeConfig.Parse(File, "cluster.hocon", new ConfigurationBuilder().AddEnvironmentVariables().Build());
            Assert.Equal(12, config.SocketIo.MaxJsonDepth);
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    [Fact]
    public void Values_are_taken_as_written_without_quoting()
    {
        var config = Read(
            ("SOCKETIO__CLUSTER__ENABLED", "true"),
            ("SOCKETIO__CLUSTER__SEED_NODES", "akka.tcp://socketio@127.0.0.1:4001"),
            ("SOCKETIO__ENGINE__CORS_ORIGIN", "*"),
            ("SOCKETIO__ENGINE__PATH", "/rt/"),
            ("SOCKETIO__ENGINE__MAX_HTTP_BUFFER_SIZE", "64 KiB"));
        Assert.True(config.Cluster.Enabled);
        Assert.Equal(["akka.tcp://socketio@127.0.0.1:4001"], config.Cluster.SeedNodes);
        Assert.Equal("*", config.Engine.CorsOrigin);
        Assert.Equal("/rt/", config.Engine.Path);
        Assert.Equal(65_536, config.Engine.MaxHttpBufferSize);
    }

    [Fact]
    public void An_empty_variable_and_variables_of_others_are_ignored()
    {
        var config = Read(
            ("SOCKETIO__HTTP__PORT", ""),
            ("SOCKETIO_NODE_DLL", "/x/SocketIo.Node.dll"),
            ("SOCKETIO_SKIP_BROWSER", "1"),
            ("AKKA__LOGLEVEL", "DEBUG"),
            ("PATH", "/usr/bin"));
        Assert.Equal(NodeConfig.Parse(File, "cluster.hocon"), config);
    }

    [Fact]
    public void A_list_takes_comma_separated_items_or_one_per_index()
    {
        Assert.Equal(["websocket"], Read(("SOCKETIO__ENGINE__TRANSPORTS", "websocket")).Engine.Transports);
        Assert.Equal(["websocket", "polling"], Read(("SOCKETIO__ENGINE__TRANSPORTS", "websocket, polling")).Engine.Transports);
        Assert.Equal(["websocket", "polling"],
            Read(("SOCKETIO__ENGINE__TRANSPORTS__1", "polling"), ("SOCKETIO__ENGINE__TRANSPORTS__0", "websocket")).Engine.Transports);
        Assert.Equal("cluster.hocon: socketio.engine.transports (from SOCKETIO__ENGINE__TRANSPORTS__0): unknown transport \"flash\"; use polling and/or websocket",
            Invalid(("SOCKETIO__ENGINE__TRANSPORTS__0", "flash")));
        Assert.Equal("cluster.hocon: socketio.engine.transports: is overridden twice, by SOCKETIO__ENGINE__TRANSPORTS and by SOCKETIO__ENGINE__TRANSPORTS__0; keep one",
            Invalid(("SOCKETIO__ENGINE__TRANSPORTS", "polling"), ("SOCKETIO__ENGINE__TRANSPORTS__0", "websocket")));
    }

    [Fact]
    public void An_override_naming_an_unknown_key_is_an_error_like_one_in_the_file()
    {
        Assert.Equal("cluster.hocon: socketio.http.prot (from SOCKETIO__HTTP__PROT): unknown key; the keys of socketio.http are host, port",
            Invalid(("SOCKETIO__HTTP__PROT", "3001")));
        Assert.Equal("cluster.hocon: socketio.port (from SOCKETIO__PORT): unknown key; the keys of socketio are node, http, engine, socketio, cluster",
            Invalid(("SOCKETIO__PORT", "3001")));
        Assert.Equal("cluster.hocon: socketio.http.port.x (from SOCKETIO__HTTP__PORT__X): unknown key; socketio.http.port is a value, not a section",
            Invalid(("SOCKETIO__HTTP__PORT__X", "1")));
        Assert.Equal("cluster.hocon: socketio.http (from SOCKETIO__HTTP): is a section, not a value; override one of its keys (host, port) instead",
            Invalid(("SOCKETIO__HTTP", "1")));
    }

    [Fact]
    public void Two_names_for_one_key_are_an_error()
    {
        Assert.Equal("cluster.hocon: socketio.engine.ping-interval: is overridden twice, by SOCKETIO__ENGINE__PING-INTERVAL and by SOCKETIO__ENGINE__PING_INTERVAL; keep one",
            Invalid(("SOCKETIO__ENGINE__PING_INTERVAL", "5s"), ("SOCKETIO__ENGINE__PING-INTERVAL", "6s")));
    }

    [Fact]
    public void A_bad_override_value_names_the_file_the_key_and_the_variable()
    {
        var e = Assert.Throws<NodeConfigException>(() => Read(("SOCKETIO__HTTP__PORT", "http")));
        Assert.Equal("cluster.hocon: socketio.http.port (from SOCKETIO__HTTP__PORT): expected an integer but found \"http\"", e.Message);
        Assert.Equal(("cluster.hocon", "socketio.http.port", "SOCKETIO__HTTP__PORT"), (e.File, e.Key, e.Override));
        Assert.Equal("cluster.hocon: socketio.cluster.port (from SOCKETIO__CLUSTER__PORT): must be from 0 to 65535, not 70000",
            Invalid(("SOCKETIO__CLUSTER__PORT", "70000")));
    }

    [Fact]
    public void An_override_replaces_a_section_the_file_wrote_as_a_value()
    {
        Assert.Equal(3005, NodeConfig.Parse("socketio.http = null", "cluster.hocon", Overrides(("SOCKETIO__HTTP__PORT", "3005"))).Http.Port);
    }
}
