using System.Buffers;
using System.Text;
using SocketIo.Transport.EngineIo.Internal;

namespace SocketIo.Transport.Tests.Protocol;

public sealed class HttpRequestHeadParserTests
{
    private const string Upgrade =
        "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n" +
        "Connection: keep-alive, Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key:  dGhlIHNhbXBsZSBub25jZQ== \r\n\r\n";

    [Fact]
    public void A_complete_head_is_parsed_and_sliced_off_leaving_the_bytes_that_follow()
    {
        var buffer = Sequence(Upgrade + "\x81\x05");
        Assert.Equal(HeadParseResult.Complete, HttpRequestHeadParser.TryParse(ref buffer, 32 * 1024, out var head));
        Assert.Equal("GET", head!.Method);
        Assert.Equal("/socket.io/", head.Path);
        Assert.Equal("?EIO=4&transport=websocket", head.QueryString);
        Assert.Equal("dGhlIHNhbXBsZSBub25jZQ==", head.Header("sec-websocket-key"));
        Assert.Equal("keep-alive, Upgrade", head.Header("Connection"));
        Assert.Equal(5, head.Headers.Count);
        Assert.Equal(new byte[] { 0x81, 0x05 }, buffer.ToArray());
    }

    [Fact]
    public void A_head_split_across_segments_parses_as_one()
    {
        var buffer = CodecHelpers.Fragmented(Encoding.ASCII.GetBytes(Upgrade));
        Assert.Equal(HeadParseResult.Complete, HttpRequestHeadParser.TryParse(ref buffer, 32 * 1024, out var head));
        Assert.Equal("websocket", head!.Header("Upgrade"));
        Assert.True(buffer.IsEmpty);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(40)]
    [InlineData(120)]
    public void A_head_without_its_blank_line_is_incomplete_and_nothing_is_consumed(int cut)
    {
        var buffer = Sequence(Upgrade[..^(Upgrade.Length - cut)]);
        var length = buffer.Length;
        Assert.Equal(HeadParseResult.Incomplete, HttpRequestHeadParser.TryParse(ref buffer, 32 * 1024, out var head));
        Assert.Null(head);
        Assert.Equal(length, buffer.Length);
    }

    [Theory]
    [InlineData("GET /socket.io/ HTTP/1.1\r\nHost: a\r\n folded\r\n\r\n")] // obsolete line folding
    [InlineData("GET /socket.io/ HTTP/1.1\r\nHost: \u00e9\r\n\r\n")] // not ASCII
    [InlineData("GET /socket.io/ HTTP/1.1\r\nHo st: a\r\n\r\n")] // not a token
    [InlineData("GET /socket.io/ HTTP/1.1\r\n: a\r\n\r\n")] // empty name
    [InlineData("GET /socket.io/ HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello")] // a body
    [InlineData("GET /socket.io/ HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n")]
    [InlineData("GET /socket.io/ HTTP/1.0\r\nHost: a\r\n\r\n")] // only HTTP/1.1
    [InlineData("GET http://a/socket.io/ HTTP/1.1\r\nHost: a\r\n\r\n")] // absolute form
    [InlineData("GET /socket%2Eio/ HTTP/1.1\r\nHost: a\r\n\r\n")] // escapes are Kestrel's to decode
    [InlineData("GET /a\x01b HTTP/1.1\r\nHost: a\r\n\r\n")] // control character
    public void Anything_but_the_strict_common_form_is_unsupported_and_left_as_it_was(string text)
    {
        var buffer = Sequence(text);
        var length = buffer.Length;
        Assert.Equal(HeadParseResult.Unsupported, HttpRequestHeadParser.TryParse(ref buffer, 32 * 1024, out var head));
        Assert.Null(head);
        Assert.Equal(length, buffer.Length);
    }

    [Fact]
    public void A_head_larger_than_the_limit_is_unsupported_whether_complete_or_not()
    {
        var big = "GET /socket.io/ HTTP/1.1\r\nX-Big: " + new string('a', 300) + "\r\n";
        var incomplete = Sequence(big);
        Assert.Equal(HeadParseResult.Unsupported, HttpRequestHeadParser.TryParse(ref incomplete, 256, out _));
        var complete = Sequence(big + "\r\n");
        Assert.Equal(HeadParseResult.Unsupported, HttpRequestHeadParser.TryParse(ref complete, 256, out _));
    }

    [Theory]
    [InlineData("GET /socket.io/?EIO=4 HTTP/1.1", true, "GET", "/socket.io/", "?EIO=4")]
    [InlineData("POST /socket.io/ HTTP/1.1", true, "POST", "/socket.io/", "")]
    [InlineData("GET  /x HTTP/1.1", false, "", "", "")]
    [InlineData("GET /x HTTP/2", false, "", "", "")]
    [InlineData("\u0016\u0003\u0001", false, "", "", "")] // a TLS ClientHello
    public void The_request_line_is_read_only_in_origin_form_over_http_1_1(string line, bool ok, string method, string path, string query)
    {
        Assert.Equal(ok, HttpRequestHeadParser.TryParseRequestLine(line, out var m, out var p, out var q));
        if (ok)
        {
            Assert.Equal((method, path, query), (m, p, q));
        }
    }

    private static ReadOnlySequence<byte> Sequence(string text) => new(Encoding.Latin1.GetBytes(text));
}
