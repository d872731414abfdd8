using SocketIo.Node.Configuration;

namespace SocketIo.Node.Tests.Configuration;

/// <summary>Malformed input: every error names the source, the 1-based line and column, what was expected and what was found.</summary>
public sealed class HoconErrorSpec
{
    private static string ParseError(string text)
    {
        var e = Assert.Throws<HoconParseException>(() => HoconConfig.Parse(text, "cluster.hocon", _ => null));
        Assert.EndsWith(e.Reason, e.Message);
        Assert.StartsWith($"cluster.hocon:{e.Location.Line}:{e.Location.Column}: ", e.Message);
        return e.Message;
    }

    [Fact]
    public void An_unclosed_brace_is_reported_at_the_end_of_input()
    {
        Assert.Equal("cluster.hocon:3:8: expected '}' but found end of input (the object opened at 1:3 is not closed)",
            ParseError("a {\n  b = 1\n  c = 2\n"[..^1]));
        Assert.Equal("cluster.hocon:2:1: expected '}' but found end of input (the object opened at 1:1 is not closed)",
            ParseError("{ a = 1\n"));
    }

    [Fact]
    public void A_closing_brace_without_an_opening_one_is_an_error()
    {
        Assert.Equal("cluster.hocon:2:1: unexpected '}' without a matching '{'", ParseError("a = 1\n}"));
        Assert.Equal("cluster.hocon:1:10: expected end of input after the root object but found '}'", ParseError("{ a = 1 }}"));
    }

    [Fact]
    public void An_unclosed_array_is_reported_at_the_end_of_input()
    {
        Assert.Equal("cluster.hocon:2:4: expected ']' but found end of input (the array opened at 1:5 is not closed)",
            ParseError("a = [1,\n  2"));
    }

    [Fact]
    public void A_bad_escape_is_reported_at_the_backslash()
    {
        Assert.Equal("cluster.hocon:2:9: invalid escape sequence '\\q' (valid: \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)",
            ParseError("a = 1\nb = \"abc\\q\""));
        Assert.Equal("cluster.hocon:1:7: invalid escape sequence: '\\u' must be followed by four hex digits",
            ParseError("a = \"x\\u12G4\""));
    }

    [Fact]
    public void An_unterminated_string_is_reported_where_the_line_ends()
    {
        Assert.Equal("cluster.hocon:1:11: expected '\"' to close the string opened at 1:5 but found end of line",
            ParseError("a = \"hello\nb = 1"));
        Assert.Equal("cluster.hocon:1:11: expected '\"\"\"' to close the string opened at 1:5 but found end of input",
            ParseError("a = \"\"\"abc"));
    }

    [Fact]
    public void A_missing_value_is_reported_where_the_value_should_be()
    {
        Assert.Equal("cluster.hocon:2:13: expected a value for the key 'port' but found end of line",
            ParseError("http {\n  port =    \n}"));
        Assert.Equal("cluster.hocon:1:4: expected a value for the key 'a' but found end of input", ParseError("a ="));
        Assert.Equal("cluster.hocon:1:5: expected a value for the key 'a' but found ','", ParseError("a = , b = 1"));
        Assert.Equal("cluster.hocon:1:5: expected a value for the key 'a' but found '@'", ParseError("a = @x"));
    }

    [Fact]
    public void A_key_without_a_separator_is_an_error()
    {
        Assert.Equal("cluster.hocon:1:5: expected ':', '=' or '{' after the key 'port' but found end of line", ParseError("port\n= 1"));
        Assert.Equal("cluster.hocon:1:8: expected ':', '=' or '{' after the key 'a.b' but found '['", ParseError("a.b    [1]"));
    }

    [Fact]
    public void Misplaced_commas_are_errors()
    {
        Assert.Equal("cluster.hocon:1:8: unexpected ',' (two commas in a row)", ParseError("a = 1, , b = 2"));
        Assert.Equal("cluster.hocon:1:3: unexpected ',' where a key was expected", ParseError("{ , a = 1 }"));
        Assert.Equal("cluster.hocon:1:8: unexpected ',' (two commas in a row)", ParseError("a = [1,,2]"));
        Assert.Equal("cluster.hocon:1:6: unexpected ',' where an array element was expected", ParseError("a = [,1]"));
    }

    [Fact]
    public void Two_values_on_one_line_need_a_comma()
    {
        Assert.Equal("cluster.hocon:1:9: expected ',' or a newline after the value of 'a' but found '='", ParseError("a = b c = d"));
        Assert.Equal("cluster.hocon:1:10: expected ',' or ']' in the array opened at 1:5 but found '['", ParseError("a = [[1] [2]]"));
    }

    [Fact]
    public void Include_is_not_supported()
    {
        Assert.Equal("cluster.hocon:2:1: 'include' is not supported; copy the settings into this file (quote the key as \"include\" to use it as a key)",
            ParseError("a = 1\ninclude \"other.conf\""));
        Assert.Equal("cluster.hocon:1:5: 'include' is not supported; copy the settings into this file (quote the key as \"include\" to use it as a key)",
            ParseError("a { include file(\"x\") }"));
    }

    [Fact]
    public void Unsupported_syntax_is_named()
    {
        Assert.Equal("cluster.hocon:1:3: '+=' is not supported (key 'a'); write the whole array instead", ParseError("a += 1"));
        Assert.Equal("cluster.hocon:1:9: an object or array cannot be concatenated with other values (for the key 'a')", ParseError("a = foo {}"));
        Assert.Equal("cluster.hocon:1:1: the root of a configuration must be an object, not an array", ParseError("[1, 2]"));
    }

    [Fact]
    public void Bad_keys_and_substitutions_are_errors()
    {
        Assert.Equal("cluster.hocon:1:3: empty element in a key (quote it as \"\" if it is meant to be empty)", ParseError("a..b = 1"));
        Assert.Equal("cluster.hocon:1:3: a key may not end with '.'", ParseError("a. = 1"));
        Assert.Equal("cluster.hocon:1:10: expected '}' to close the substitution opened at 1:5 but found end of line", ParseError("a = ${b.c\n"));
        Assert.Equal("cluster.hocon:1:7: expected a path in the substitution but found '}'", ParseError("a = ${}"));
        Assert.Equal("cluster.hocon:1:5: expected a digit after '-' but found 'x' (quote the value if it is a string)", ParseError("a = -x"));
    }

    [Fact]
    public void Raw_control_characters_in_quoted_strings_are_errors()
    {
        Assert.Equal("cluster.hocon:1:7: control character U+0009 in a quoted string; write it as an escape", ParseError("a = \"x\ty\""));
    }

    [Fact]
    public void Errors_count_lines_and_columns_from_one_past_comments_and_blank_lines()
    {
        Assert.Equal("cluster.hocon:5:7: expected a value for the key 'c' but found '}'",
            ParseError("# comment\n\na = 1 // x\n  b {\n  c = }\n}"));
    }

    [Fact]
    public void Too_deep_nesting_is_refused()
    {
        var text = "a = " + new string('[', 300) + new string(']', 300);
        Assert.Contains("nested more than 256 deep", ParseError(text));
    }
}
