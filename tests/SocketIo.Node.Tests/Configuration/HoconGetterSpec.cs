using SocketIo.Node.Configuration;

namespace SocketIo.Node.Tests.Configuration;

/// <summary>Typed getters: conversions, units, defaults, and the errors for missing or mistyped keys.</summary>
public sealed class HoconGetterSpec
{
    private static HoconConfig Parse(string text) => HoconConfig.Parse(text, "test.conf", _ => null);

    [Fact]
    public void Strings_convert_from_numbers_and_booleans_as_written()
    {
        var c = Parse("s = text\nn = 1.50\nb = true");
        Assert.Equal("text", c.GetString("s"));
        Assert.Equal("1.50", c.GetString("n"));
        Assert.Equal("true", c.GetString("b"));
    }

    [Fact]
    public void Integers_accept_numeric_strings_and_refuse_fractions_and_overflow()
    {
        var c = Parse("a = \"42\"\nb = 1.5\nc = 3000000000\nd = 2.0\ne = abc");
        Assert.Equal(42, c.GetInt("a"));
        Assert.Equal(2, c.GetInt("d"));
        Assert.Equal(3_000_000_000L, c.GetLong("c"));
        Assert.Equal("test.conf:2:5: b: expected a 32-bit integer but found the number 1.5",
            Assert.Throws<HoconConfigException>(() => c.GetInt("b")).Message);
        Assert.Equal("test.conf:3:5: c: 3000000000 is out of range for a 32-bit integer (-2147483648 to 2147483647)",
            Assert.Throws<HoconConfigException>(() => c.GetInt("c")).Message);
        Assert.Equal("test.conf:5:5: e: expected a 64-bit integer but found the string \"abc\"",
            Assert.Throws<HoconConfigException>(() => c.GetLong("e")).Message);
    }

    [Fact]
    public void Doubles_accept_numbers_and_numeric_strings()
    {
        var c = Parse("a = 0.25\nb = \"-1e-3\"\nc = NaN");
        Assert.Equal(0.25, c.GetDouble("a"));
        Assert.Equal(-0.001, c.GetDouble("b"));
        Assert.Equal("test.conf:3:5: c: expected a number but found the string \"NaN\"",
            Assert.Throws<HoconConfigException>(() => c.GetDouble("c")).Message);
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("yes", true)]
    [InlineData("on", true)]
    [InlineData("\"true\"", true)]
    [InlineData("false", false)]
    [InlineData("no", false)]
    [InlineData("off", false)]
    public void Booleans_accept_the_six_spellings(string written, bool expected)
    {
        Assert.Equal(expected, Parse($"flag = {written}").GetBool("flag"));
    }

    [Fact]
    public void Other_words_are_not_booleans()
    {
        var e = Assert.Throws<HoconConfigException>(() => Parse("a {\n  flag = 1\n}").GetBool("a.flag"));
        Assert.Equal("test.conf:2:10: a.flag: expected a boolean (true, false, yes, no, on, off) but found the number 1", e.Message);
        Assert.Equal("a.flag", e.Path);
        Assert.Equal(new HoconLocation("test.conf", 2, 10), e.Location);
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
    [InlineData("1 minute", TimeSpan.TicksPerMinute)]
    [InlineData("3 minutes", 3 * TimeSpan.TicksPerMinute)]
    [InlineData("1h", TimeSpan.TicksPerHour)]
    [InlineData("2 hours", 2 * TimeSpan.TicksPerHour)]
    [InlineData("1 hour", TimeSpan.TicksPerHour)]
    [InlineData("1d", TimeSpan.TicksPerDay)]
    [InlineData("7 days", 7 * TimeSpan.TicksPerDay)]
    [InlineData("1 day", TimeSpan.TicksPerDay)]
    [InlineData("100us", 1_000)]
    [InlineData("300ns", 3)]
    [InlineData("\" 5 s \"", 5 * TimeSpan.TicksPerSecond)]
    [InlineData("1e3ms", TimeSpan.TicksPerSecond)]
    public void Durations_take_a_unit_and_a_bare_number_is_milliseconds(string written, long ticks)
    {
        Assert.Equal(TimeSpan.FromTicks(ticks), Parse($"t = {written}").GetDuration("t"));
    }

    [Fact]
    public void A_bad_duration_unit_names_the_key_its_location_and_the_valid_units()
    {
        var c = Parse("engine {\n  ping-interval = 25sec\n  bad = soon\n  big = 100000000000d\n  obj { }\n}");
        Assert.Equal("test.conf:2:19: engine.ping-interval: unknown duration unit 'sec' in \"25sec\"; use ns, us, ms, s, m, h, d (or nanoseconds, microseconds, milliseconds, seconds, minutes, hours, days)",
            Assert.Throws<HoconConfigException>(() => c.GetDuration("engine.ping-interval")).Message);
        Assert.Equal("test.conf:3:9: engine.bad: expected a duration such as 10s or 500ms but found the string \"soon\"",
            Assert.Throws<HoconConfigException>(() => c.GetDuration("engine.bad")).Message);
        Assert.Equal("test.conf:4:9: engine.big: the duration \"100000000000d\" is out of range",
            Assert.Throws<HoconConfigException>(() => c.GetDuration("engine.big")).Message);
        Assert.Equal("test.conf:5:7: engine.obj: expected a duration such as 10s or 500ms but found an object",
            Assert.Throws<HoconConfigException>(() => c.GetDuration("engine.obj")).Message);
        // Duration units are lowercase only, as the spec says.
        Assert.Throws<HoconConfigException>(() => Parse("t = 5S").GetDuration("t"));
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
    [InlineData("1TB", 1_000_000_000_000)]
    [InlineData("1K", 1_024)]
    [InlineData("1k", 1_024)]
    [InlineData("1Ki", 1_024)]
    [InlineData("1KiB", 1_024)]
    [InlineData("1 kibibyte", 1_024)]
    [InlineData("1M", 1_048_576)]
    [InlineData("1m", 1_048_576)]
    [InlineData("1MiB", 1_048_576)]
    [InlineData("1G", 1_073_741_824)]
    [InlineData("1GiB", 1_073_741_824)]
    [InlineData("1.5K", 1_536)]
    [InlineData("\"64 KiB\"", 65_536)]
    [InlineData("1E", 1_152_921_504_606_846_976)]
    public void Sizes_use_powers_of_ten_for_kB_MB_and_powers_of_two_for_K_KiB(string written, long bytes)
    {
        Assert.Equal(bytes, Parse($"s = {written}").GetBytes("s"));
    }

    [Fact]
    public void Bad_sizes_name_the_key_and_location()
    {
        var c = Parse("a = 10 KB\nb = 0.5B\nc = 10EB\nd = [1]");
        Assert.Equal("test.conf:1:5: a: unknown size unit 'KB' in \"10 KB\"; use B, kB, MB, GB, TB (powers of 1000) or K, M, G, T, KiB, MiB, GiB, TiB (powers of 1024)",
            Assert.Throws<HoconConfigException>(() => c.GetBytes("a")).Message);
        Assert.Equal("test.conf:2:5: b: the size \"0.5B\" is not a whole number of bytes",
            Assert.Throws<HoconConfigException>(() => c.GetBytes("b")).Message);
        Assert.Equal("test.conf:3:5: c: the size \"10EB\" is out of range",
            Assert.Throws<HoconConfigException>(() => c.GetBytes("c")).Message);
        Assert.Equal("test.conf:4:5: d: expected a size in bytes such as 512K or 1MB but found an array",
            Assert.Throws<HoconConfigException>(() => c.GetBytes("d")).Message);
    }

    [Fact]
    public void String_lists_convert_scalars_and_name_the_bad_element()
    {
        var c = Parse("a = [x, 2, true]\nb = x\nc = [x, null]");
        Assert.Equal(["x", "2", "true"], c.GetStringList("a"));
        Assert.Equal("test.conf:2:5: b: expected an array of strings but found the string \"x\"",
            Assert.Throws<HoconConfigException>(() => c.GetStringList("b")).Message);
        Assert.Equal("test.conf:3:9: c[1]: expected a string but found null",
            Assert.Throws<HoconConfigException>(() => c.GetStringList("c")).Message);
    }

    [Fact]
    public void Defaults_apply_to_missing_and_null_keys_but_not_to_mistyped_ones()
    {
        var c = Parse("n = null\ns = text");
        Assert.Equal(7, c.GetInt("missing", 7));
        Assert.Equal(7, c.GetInt("n", 7));
        Assert.Equal(7L, c.GetLong("a.b.c", 7));
        Assert.True(c.GetBool("missing", true));
        Assert.Equal(1.5, c.GetDouble("missing", 1.5));
        Assert.Equal("d", c.GetString("missing", "d"));
        Assert.Equal(TimeSpan.FromSeconds(3), c.GetDuration("missing", TimeSpan.FromSeconds(3)));
        Assert.Equal(42L, c.GetBytes("missing", 42));
        Assert.Equal(["x"], c.GetStringList("missing", ["x"]));
        Assert.Same(HoconConfig.Empty, c.GetConfig("missing", HoconConfig.Empty));
        Assert.Throws<HoconConfigException>(() => c.GetInt("s", 7));
        // Below a scalar there is nothing: the default applies.
        Assert.Equal(7, c.GetInt("s.deeper", 7));
    }

    [Fact]
    public void A_missing_or_null_key_without_a_default_is_an_error_naming_it()
    {
        var c = Parse("a { n = null }");
        var missing = Assert.Throws<HoconConfigException>(() => c.GetString("a.b"));
        Assert.Equal("a.b: missing: the key is not set in test.conf", missing.Message);
        Assert.Null(missing.Location);
        Assert.Equal("test.conf:1:9: a.n: is null but a value is required",
            Assert.Throws<HoconConfigException>(() => c.GetInt("a.n")).Message);
    }

    [Fact]
    public void HasPath_is_true_only_for_non_null_values()
    {
        var c = Parse("a { b = 1, n = null, o {} }");
        Assert.True(c.HasPath("a"));
        Assert.True(c.HasPath("a.b"));
        Assert.True(c.HasPath("a.o"));
        Assert.False(c.HasPath("a.n"));
        Assert.False(c.HasPath("a.x"));
        Assert.False(c.HasPath("a.b.c"));
    }

    [Fact]
    public void A_sub_configuration_reads_relative_paths_and_reports_full_ones()
    {
        var c = Parse("outer {\n  inner { port = x }\n}");
        var inner = c.GetConfig("outer").GetConfig("inner");
        Assert.Equal(["port"], inner.Keys);
        Assert.Equal("outer.inner.port", inner.FullPath("port"));
        Assert.Equal("test.conf:2:18: outer.inner.port: expected a 32-bit integer but found the string \"x\"",
            Assert.Throws<HoconConfigException>(() => inner.GetInt("port")).Message);
        Assert.Equal("test.conf:2:18: outer.inner.port: expected an object but found the string \"x\"",
            Assert.Throws<HoconConfigException>(() => inner.GetConfig("port")).Message);
    }

    [Fact]
    public void Getter_paths_may_quote_segments_and_an_invalid_path_is_an_argument_error()
    {
        var c = Parse("a { \"b.c\" { d = 1 } }");
        Assert.Equal(1, c.GetInt("a.\"b.c\".d"));
        Assert.Throws<ArgumentException>(() => c.GetInt("a..b"));
        Assert.Throws<ArgumentException>(() => c.GetInt(""));
    }

    [Fact]
    public void Load_reads_a_file_and_names_it_in_errors()
    {
        var path = Path.Combine(Path.GetTempPath(), $"hocon-{Guid.NewGuid():N}.conf");
        try
        {
            File.WriteAllText(path, "a = 1\nb {\n");
            var e = Assert.Throws<HoconParseException>(() => HoconConfig.Load(path, _ => null));
            Assert.Equal($"{Path.GetFileName(path)}:3:1: expected '}}' but found end of input (the object opened at 2:3 is not closed)", e.Message);
            File.WriteAllText(path, "a = ${?X}");
            Assert.Equal(5, HoconConfig.Load(path, n => n == "X" ? "5" : null).GetInt("a"));
        }
        finally
        {
            File.Delete(path);
        }
        Assert.Throws<FileNotFoundException>(() => HoconConfig.Load(path));
    }
}
