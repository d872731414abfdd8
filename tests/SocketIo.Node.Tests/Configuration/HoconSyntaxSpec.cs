using SocketIo.Node.Configuration;

namespace SocketIo.Node.Tests.Configuration;

/// <summary>What each construct of the HOCON subset parses to.</summary>
public sealed class HoconSyntaxSpec
{
    private static HoconConfig Parse(string text) => HoconConfig.Parse(text, "test.conf", _ => null);

    [Fact]
    public void Root_braces_are_optional()
    {
        Assert.Equal(1, Parse("a = 1\nb = 2").GetInt("a"));
        Assert.Equal(2, Parse("{ a = 1\nb = 2 }").GetInt("b"));
        Assert.Equal(["a", "b"], Parse("{\n  a : 1,\n  b : 2\n}\n").Keys);
    }

    [Fact]
    public void Empty_and_comment_only_documents_are_empty_objects()
    {
        Assert.Empty(Parse("").Keys);
        Assert.Empty(Parse("  # nothing here\n// nor here\n").Keys);
        Assert.Empty(Parse("{}").Keys);
    }

    [Fact]
    public void Colon_equals_and_no_separator_before_a_brace_are_the_same()
    {
        var c = Parse("a : 1\nb = 2\nc { d = 3 }\ne : { f = 4 }\ng = { h = 5 }");
        Assert.Equal(1, c.GetInt("a"));
        Assert.Equal(2, c.GetInt("b"));
        Assert.Equal(3, c.GetInt("c.d"));
        Assert.Equal(4, c.GetInt("e.f"));
        Assert.Equal(5, c.GetInt("g.h"));
    }

    [Fact]
    public void Fields_are_separated_by_commas_or_newlines_with_one_trailing_comma_allowed()
    {
        var c = Parse("a = 1, b = 2\nc = 3,\nd { x = 1, y = 2, }");
        Assert.Equal(["a", "b", "c", "d"], c.Keys);
        Assert.Equal(2, c.GetInt("d.y"));
    }

    [Fact]
    public void Comments_run_to_the_end_of_the_line_outside_quoted_strings()
    {
        var c = Parse("""
            # a hash comment
            a = 1 # after a value
            // a slash comment
            b = "not # a comment" // but this is
            c = "not // a comment either"
            d = /socket.io/ # a slash alone is part of an unquoted string
            """);
        Assert.Equal(1, c.GetInt("a"));
        Assert.Equal("not # a comment", c.GetString("b"));
        Assert.Equal("not // a comment either", c.GetString("c"));
        Assert.Equal("/socket.io/", c.GetString("d"));
        Assert.Equal(["a", "b", "c", "d"], c.Keys);
    }

    [Fact]
    public void Quoted_strings_take_json_escapes()
    {
        var c = Parse("""a = "q\" b\\ s\/ \b\f\n\r\t \u00e9\u20AC" """);
        Assert.Equal("q\" b\\ s/ \b\f\n\r\t é€", c.GetString("a"));
    }

    [Fact]
    public void Triple_quoted_strings_are_raw_and_may_span_lines()
    {
        var c = Parse("a = \"\"\"line one\n  \"quoted\" \\n not an escape\nline three\"\"\"\nb = \"\"\"x\"\"\"\"\"");
        Assert.Equal("line one\n  \"quoted\" \\n not an escape\nline three", c.GetString("a"));
        // Extra quotes before the closing three belong to the string.
        Assert.Equal("x\"\"", c.GetString("b"));
    }

    [Fact]
    public void Unquoted_strings_run_until_a_forbidden_character_and_words_on_one_line_concatenate()
    {
        var c = Parse("""
            a = hello
            b = hello big   world  # spaces between words are kept, around them trimmed
            c = localhost,d = next
            e = foo"bar"baz
            f = 127.0.0.1
            g = 10 s
            """);
        Assert.Equal("hello", c.GetString("a"));
        Assert.Equal("hello big   world", c.GetString("b"));
        Assert.Equal("localhost", c.GetString("c"));
        Assert.Equal("next", c.GetString("d"));
        Assert.Equal("foobarbaz", c.GetString("e"));
        Assert.Equal("127.0.0.1", c.GetString("f"));
        Assert.Equal("10 s", c.GetString("g"));
    }

    [Fact]
    public void Numbers_keep_the_text_they_were_written_with()
    {
        var c = Parse("i = 42\nn = -7\nd = 3.25\ne = 1e3\nbig = 9007199254740993\nneg = -0.5E-2");
        Assert.Equal(42, c.GetInt("i"));
        Assert.Equal(-7L, c.GetLong("n"));
        Assert.Equal(3.25, c.GetDouble("d"));
        Assert.Equal(1000, c.GetInt("e"));
        Assert.Equal(9007199254740993L, c.GetLong("big"));
        Assert.Equal("9007199254740993", c.GetString("big"));
        Assert.Equal(-0.005, c.GetDouble("neg"));
        Assert.Equal("-0.5E-2", c.GetString("neg"));
    }

    [Fact]
    public void Booleans_and_null_are_typed_but_a_concatenation_is_a_string()
    {
        var c = Parse("t = true\nf = false\nn = null\ns = true story\nw = truefoo");
        Assert.True(c.GetBool("t"));
        Assert.False(c.GetBool("f"));
        Assert.False(c.HasPath("n"));
        Assert.Equal("true story", c.GetString("s"));
        Assert.Equal("truefoo", c.GetString("w"));
    }

    [Fact]
    public void Quoted_keys_may_hold_dots_and_spaces_and_unquoted_keys_may_hold_spaces()
    {
        var c = Parse("\"a.b\" = 1\n\"with space\" = 2\nmy key = 3\n\"\" = 4");
        Assert.Equal(1, c.GetInt("\"a.b\""));
        Assert.False(c.HasPath("a.b"));
        Assert.Equal(2, c.GetInt("\"with space\""));
        Assert.Equal(3, c.GetInt("\"my key\""));
        Assert.Equal(4, c.GetInt("\"\""));
        Assert.Equal(["a.b", "with space", "my key", ""], c.Keys);
    }

    [Fact]
    public void Dotted_keys_create_nested_objects()
    {
        var c = Parse("a.b.c = 1\na.b.d = 2\na.e = 3\nx.\"y.z\".w = 4");
        Assert.Equal(1, c.GetInt("a.b.c"));
        Assert.Equal(2, c.GetInt("a.b.d"));
        Assert.Equal(3, c.GetInt("a.e"));
        Assert.Equal(["b", "e"], c.GetConfig("a").Keys);
        Assert.Equal(4, c.GetInt("x.\"y.z\".w"));
    }

    [Fact]
    public void Duplicate_objects_merge_recursively_and_later_scalars_win()
    {
        var c = Parse("""
            a { x = 1, y { p = 1, q = 2 } }
            a { y { q = 20, r = 30 }, z = 3 }
            a.x = 10
            s = first
            s = second
            """);
        Assert.Equal(10, c.GetInt("a.x"));
        Assert.Equal(1, c.GetInt("a.y.p"));
        Assert.Equal(20, c.GetInt("a.y.q"));
        Assert.Equal(30, c.GetInt("a.y.r"));
        Assert.Equal(3, c.GetInt("a.z"));
        Assert.Equal(["x", "y", "z"], c.GetConfig("a").Keys);
        Assert.Equal("second", c.GetString("s"));
    }

    [Fact]
    public void A_non_object_between_two_objects_prevents_the_merge()
    {
        var c = Parse("a { x = 1 }\na = null\na { y = 2 }\nb { x = 1 }\nb = 5");
        Assert.False(c.HasPath("a.x"));
        Assert.Equal(2, c.GetInt("a.y"));
        Assert.Equal(5, c.GetInt("b"));
    }

    [Fact]
    public void Arrays_take_commas_or_newlines_a_trailing_comma_and_nested_values()
    {
        var c = Parse("""
            a = [1, 2, 3,]
            b = [
              one
              "two"   # comment
              three four,
            ]
            c = []
            d = [{ x = 1 }, [2]]
            """);
        Assert.Equal(["1", "2", "3"], c.GetStringList("a"));
        Assert.Equal(["one", "two", "three four"], c.GetStringList("b"));
        Assert.Empty(c.GetStringList("c"));
        Assert.Throws<HoconConfigException>(() => c.GetStringList("d"));
    }

    [Fact]
    public void Windows_line_endings_and_a_byte_order_mark_are_accepted()
    {
        var c = Parse("\uFEFFa = 1\r\nb = hello\r\n# c\r\nc { d = \"x\" }\r\n");
        Assert.Equal(1, c.GetInt("a"));
        Assert.Equal("hello", c.GetString("b"));
        Assert.Equal("x", c.GetString("c.d"));
    }

    [Fact]
    public void Include_as_a_later_word_or_a_value_is_an_ordinary_string()
    {
        var c = Parse("foo include = 1\ninclude-timeout = 2\nb = include\n\"include\" = 3");
        Assert.Equal(1, c.GetInt("\"foo include\""));
        Assert.Equal(2, c.GetInt("include-timeout"));
        Assert.Equal("include", c.GetString("b"));
        Assert.Equal(3, c.GetInt("\"include\""));
    }
}
