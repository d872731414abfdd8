using SocketIo.Node.Configuration;

namespace SocketIo.Node.Tests.Configuration;

/// <summary>Substitutions: lookups in the configuration, the environment fallback and the override idiom.</summary>
public sealed class HoconSubstitutionSpec
{
    private static Func<string, string?> Env(params (string Name, string Value)[] variables)
    {
        var map = variables.ToDictionary(v => v.Name, v => v.Value);
        return name => map.GetValueOrDefault(name);
    }

    private static HoconConfig Parse(string text, params (string, string)[] env) => HoconConfig.Parse(text, "test.conf", Env(env));

    [Fact]
    public void A_substitution_takes_the_value_at_an_absolute_path_keeping_its_type()
    {
        var c = Parse("defaults { port = 3000, hosts = [a, b], tls { on = true } }\nhttp { port = ${defaults.port}, hosts = ${defaults.hosts}, tls = ${defaults.tls} }");
        Assert.Equal(3000, c.GetInt("http.port"));
        Assert.Equal(["a", "b"], c.GetStringList("http.hosts"));
        Assert.True(c.GetBool("http.tls.on"));
    }

    [Fact]
    public void A_substitution_may_look_forward_and_sees_the_last_assigned_value()
    {
        var c = Parse("a = ${b}\nb = 1\nb = 2");
        Assert.Equal(2, c.GetInt("a"));
    }

    [Fact]
    public void An_object_may_refer_to_its_own_fields()
    {
        var c = Parse("bar { foo = 42, baz = ${bar.foo} }");
        Assert.Equal(42, c.GetInt("bar.baz"));
    }

    [Fact]
    public void Substitutions_in_a_concatenation_become_part_of_one_string()
    {
        var c = Parse("host = example.com\nport = 80\nurl = \"http://\"${host}\":\"${port}/x\nquoted = ${host}\" is the host\"\nn = null\nwithnull = a${n}b",
            ("USER_NAME", "ada"));
        Assert.Equal("http://example.com:80/x", c.GetString("url"));
        Assert.Equal("example.com is the host", c.GetString("quoted"));
        Assert.Equal("ab", c.GetString("withnull"));
        Assert.Equal("hello ada", Parse("greeting = hello ${USER_NAME}", ("USER_NAME", "ada")).GetString("greeting"));
    }

    [Fact]
    public void A_path_not_in_the_configuration_falls_back_to_the_environment_variable_of_that_name()
    {
        var c = Parse("home = ${HOME}\nport = ${?PORT}", ("HOME", "/home/ada"), ("PORT", "8080"));
        Assert.Equal("/home/ada", c.GetString("home"));
        Assert.Equal(8080, c.GetInt("port"));
    }

    [Fact]
    public void A_value_set_in_the_configuration_hides_the_environment_variable()
    {
        var c = Parse("HOME = \"/from/config\"\nhome = ${HOME}", ("HOME", "/home/ada"));
        Assert.Equal("/from/config", c.GetString("home"));
        var nulled = Parse("HOME = null\nhome = ${HOME}", ("HOME", "/home/ada"));
        Assert.False(nulled.HasPath("home"));
    }

    [Fact]
    public void The_override_idiom_keeps_the_default_when_the_variable_is_unset_or_empty()
    {
        const string text = "http {\n  port = 3000\n  port = ${?NODE_PORT}\n}";
        Assert.Equal(3000, Parse(text).GetInt("http.port"));
        Assert.Equal(3000, Parse(text, ("NODE_PORT", "")).GetInt("http.port"));
        Assert.Equal(3001, Parse(text, ("NODE_PORT", "3001")).GetInt("http.port"));
    }

    [Fact]
    public void An_environment_value_carries_where_its_substitution_was_written()
    {
        var c = Parse("port = 3000\nport = ${?NODE_PORT}", ("NODE_PORT", "abc"));
        var location = c.GetLocation("port");
        Assert.Equal(new HoconLocation("test.conf", 2, 8, "environment variable NODE_PORT"), location);
        var e = Assert.Throws<HoconConfigException>(() => c.GetInt("port"));
        Assert.Equal("test.conf:2:8 (environment variable NODE_PORT): port: expected a 32-bit integer but found the string \"abc\"", e.Message);
    }

    [Fact]
    public void An_unset_optional_substitution_leaves_the_key_absent_when_it_had_no_earlier_value()
    {
        var c = Parse("name = ${?NODE_NAME}\nlist = [a, ${?MISSING}, b]\ns = x${?MISSING}y");
        Assert.False(c.HasPath("name"));
        Assert.DoesNotContain("name", c.Keys);
        Assert.Equal(["a", "b"], c.GetStringList("list"));
        Assert.Equal("xy", c.GetString("s"));
        Assert.Equal("fallback", c.GetString("name", "fallback"));
    }

    [Fact]
    public void An_unset_optional_substitution_keeps_an_earlier_object_and_a_set_one_replaces_it()
    {
        const string text = "a { x = 1 }\na = ${?A}";
        Assert.Equal(1, Parse(text).GetInt("a.x"));
        var replaced = Parse(text, ("A", "plain"));
        Assert.Equal("plain", replaced.GetString("a"));
        Assert.False(replaced.HasPath("a.x"));
    }

    [Fact]
    public void A_self_reference_reads_the_value_the_key_had_before()
    {
        var c = Parse("port = 3000\nport = ${?port}\npath = /bin\npath = ${path}\":/usr/bin\"", ("port", "ignored"));
        Assert.Equal(3000, c.GetInt("port"));
        Assert.Equal("/bin:/usr/bin", c.GetString("path"));
    }

    [Fact]
    public void An_object_assigned_over_a_substitution_merges_with_its_value()
    {
        var c = Parse("base { a = 1, b = 2 }\nderived = ${base}\nderived { b = 20, c = 30 }");
        Assert.Equal(1, c.GetInt("derived.a"));
        Assert.Equal(20, c.GetInt("derived.b"));
        Assert.Equal(30, c.GetInt("derived.c"));
        Assert.Equal(2, c.GetInt("base.b"));
    }

    [Fact]
    public void Dotted_keys_and_the_override_idiom_work_together()
    {
        var c = Parse("a.b.port = 1\na { b { port = ${?P} } }", ("P", "2"));
        Assert.Equal(2, c.GetInt("a.b.port"));
        Assert.Equal(1, Parse("a.b.port = 1\na { b { port = ${?P} } }").GetInt("a.b.port"));
    }

    [Fact]
    public void An_unresolvable_required_substitution_names_the_path_and_location()
    {
        var e = Assert.Throws<HoconParseException>(() => Parse("a {\n  b = ${missing.key}\n}"));
        Assert.Equal(new HoconLocation("test.conf", 2, 7), e.Location);
        Assert.Equal("test.conf:2:7: could not resolve substitution ${missing.key}: 'missing.key' is neither set in the configuration nor an environment variable (write ${?...} if it is optional)", e.Message);
    }

    [Fact]
    public void A_cycle_of_substitutions_is_an_error()
    {
        var e = Assert.Throws<HoconParseException>(() => Parse("a = ${b}\nb = ${a}"));
        Assert.StartsWith("test.conf:", e.Message);
        Assert.Contains("circular substitution", e.Message);
        Assert.Contains("circular substitution", Assert.Throws<HoconParseException>(() => Parse("a { b = ${a} }")).Message);
    }

    [Fact]
    public void A_self_reference_without_an_earlier_value_is_unresolved()
    {
        Assert.False(Parse("a = ${?a}").HasPath("a"));
        var e = Assert.Throws<HoconParseException>(() => Parse("a = ${a}"));
        Assert.Equal("test.conf:1:5: could not resolve substitution ${a}: 'a' is neither set in the configuration nor an environment variable (write ${?...} if it is optional)", e.Message);
    }

    [Fact]
    public void An_object_cannot_be_concatenated_into_a_string()
    {
        var e = Assert.Throws<HoconParseException>(() => Parse("o { x = 1 }\ns = a ${o}"));
        Assert.Equal("test.conf:2:7: ${o} is an object and cannot be concatenated with other values", e.Message);
    }

    [Fact]
    public void Substitutions_are_not_expanded_inside_quoted_strings()
    {
        Assert.Equal("${HOME}", Parse("a = \"${HOME}\"", ("HOME", "/home/ada")).GetString("a"));
    }
}
