using Akka.Configuration;
using SocketIo.Node.Configuration;

namespace SocketIo.Node.Tests.Configuration;

/// <summary>
/// Text Akka's HOCON parser refuses, and what it accepts but cannot be used: each stops the host with an error
/// naming the file, the key when there is one, and the line and column when Akka gave a position.
/// </summary>
public sealed class MalformedFileSpec
{
    private static NodeConfigException Error(string text) =>
        Assert.Throws<NodeConfigException>(() => NodeConfig.Parse(text, "cluster.hocon"));

    [Fact]
    public void An_unexpected_token_is_reported_at_its_line_and_column()
    {
        var e = Error("socketio {\n  http {\n    port = @x\n  }\n}");
        Assert.Equal("cluster.hocon:3:12: malformed HOCON: unexpected '@'", e.Message);
        Assert.Equal((3, 12), (e.Line, e.Column));
        Assert.Null(e.Key);
        Assert.Equal("cluster.hocon:1:26: malformed HOCON: unexpected ','", Error("socketio { http { a = 1 }, b = 2 }").Message);
        Assert.Equal("cluster.hocon:2:24: malformed HOCON: unexpected '*'", Error("socketio {\r\n  engine.cors-origin = *\r\n}").Message);
    }

    [Fact]
    public void An_error_without_a_position_names_the_file_and_says_what_Akka_found()
    {
        Assert.Equal("cluster.hocon: malformed HOCON: Unknown escape code: q", Error("socketio.node.name = \"a\\qb\"").Message);
        Assert.Equal("cluster.hocon: malformed HOCON: Could not parse an unquoted text value containing assignment character '=' or ':'. "
                     + "- If you want to declare a new object, please enclose the item with curly brackets. "
                     + "- If you want to declare a URI address, please enclose the item with double quotes.",
            Error("socketio.cluster.seed-nodes = [akka.tcp://socketio@127.0.0.1:4001]").Message);
    }

    [Fact]
    public void Include_is_refused()
    {
        Assert.Equal("cluster.hocon: include other.conf is not supported: the configuration is one file; copy the included settings into it",
            Error("include \"other.conf\"\nsocketio.http.port = 1").Message);
    }

    [Fact]
    public void An_optional_substitution_is_refused_naming_its_key_and_the_override_to_use()
    {
        var e = Error("socketio {\n  http {\n    port = 3000\n    port = ${?SOCKETIO_PORT}\n    host = \"127.0.0.1\"\n  }\n}");
        Assert.Equal("cluster.hocon: socketio.http.port: uses ${?...}, which Akka's HOCON parser does not support (it drops the keys after it); "
                     + "write the value here and override it with SOCKETIO__HTTP__PORT instead", e.Message);
        Assert.Equal("socketio.http.port", e.Key);
        Assert.Equal("cluster.hocon: akka.loglevel: uses ${?...}, which Akka's HOCON parser does not support (it drops the keys after it); write the value here instead",
            Error("akka.loglevel = ${?LOGLEVEL}").Message);
    }

    [Fact]
    public void A_key_without_a_value_is_an_error_naming_it()
    {
        Assert.Equal("cluster.hocon: socketio.http.port: expected an integer but found no value",
            Error("socketio {\n  http {\n    port = \n  }\n}").Message);
    }

    [Fact]
    public void Substitutions_of_other_keys_still_work()
    {
        Assert.Equal(4000, NodeConfig.Parse("socketio {\n  http.port = 4000\n  cluster.shard-count = ${socketio.http.port}\n}").Cluster.ShardCount);
        var config = NodeConfig.FromHocon(ConfigurationFactory.ParseString("defaults.port = 4000\nsocketio.http.port = ${defaults.port}"));
        Assert.Equal(4000, config.Http.Port);
    }

    [Fact]
    public void Load_names_the_file_by_its_path_and_a_missing_file_is_an_io_error()
    {
        var path = Path.Combine(Path.GetTempPath(), $"node-config-{Guid.NewGuid():N}.hocon");
        try
        {
            File.WriteAllText(path, "socketio {\n  http.port = 70000\n}\n");
            Assert.Equal($"{path}: socketio.http.port: must be from 0 to 65535, not 70000",
                Assert.Throws<NodeConfigException>(() => NodeConfig.Load(path)).Message);
            File.WriteAllText(path, "socketio {\n  http.port = #\n}\n");
            Assert.StartsWith($"{path}:", Assert.Throws<NodeConfigException>(() => NodeConfig.Load(path)).Message);
        }
        finally
        {
            File.Delete(path);
        }
        Assert.Throws<FileNotFoundException>(() => NodeConfig.Load(path));
    }
}
