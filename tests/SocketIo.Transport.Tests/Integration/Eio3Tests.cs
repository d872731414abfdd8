using System.Net;
using System.Net.WebSockets;
using SocketIo.Transport.EngineIo;

namespace SocketIo.Transport.Tests.Integration;

public sealed class Eio3Tests
{
    [Fact]
    public async Task A_v3_handshake_is_length_prefixed_without_max_payload()
    {
        await using var server = await TestServer.StartAsync();
        var (sid, body) = await server.HandshakeAsync("3");
        var open = "0{\"sid\":\"" + sid + "\",\"upgrades\":[\"websocket\"],\"pingInterval\":25000,\"pingTimeout\":20000}";
        Assert.Equal(open.Length + ":" + open, body);
        Assert.Equal(3, server.Handler.Get(sid).Session.Protocol);
    }

    [Fact]
    public async Task V3_string_payloads_count_utf16_code_units()
    {
        await using var server = await TestServer.StartAsync();
        var (sid, _) = await server.HandshakeAsync("3");
        var recorder = server.Handler.Get(sid);
        await server.SendAsync(sid, "6:4hello2:4€3:4😀", "3");
        Assert.Equal("hello", await recorder.NextTextAsync());
        Assert.Equal("€", await recorder.NextTextAsync());
        Assert.Equal("😀", await recorder.NextTextAsync());
        Assert.Equal("6:4hello2:4€3:4😀", await server.PollAsync(sid, "3"));
    }

    [Fact]
    public async Task V3_binary_goes_out_as_an_xhr2_binary_payload()
    {
        await using var server = await TestServer.StartAsync();
        var (sid, _) = await server.HandshakeAsync("3");
        var session = server.Handler.Get(sid).Session;
        session.Send(EngineMessage.Text("hello"));
        session.Send(EngineMessage.Binary(new byte[] { 1, 2, 3 }));
        using var response = await server.GetAsync($"EIO=3&transport=polling&sid={sid}");
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(
            new byte[] { 0x00, 0x06, 0xFF, 0x34, 0x68, 0x65, 0x6C, 0x6C, 0x6F, 0x01, 0x04, 0xFF, 0x04, 0x01, 0x02, 0x03 },
            await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task V3_binary_goes_out_as_base64_when_the_client_polls_with_b64()
    {
        await using var server = await TestServer.StartAsync();
        var (sid, _) = await server.HandshakeAsync("3", "&b64=1");
        server.Handler.Get(sid).Session.Send(EngineMessage.Binary(new byte[] { 1, 2, 3 }));
        using var response = await server.GetAsync($"EIO=3&transport=polling&sid={sid}&b64=1");
        Assert.Equal("text/plain; charset=UTF-8", response.Content.Headers.ContentType!.ToString());
        Assert.Equal("6:b4AQID", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_v3_binary_post_is_decoded()
    {
        await using var server = await TestServer.StartAsync();
        var (sid, _) = await server.HandshakeAsync("3");
        var recorder = server.Handler.Get(sid);
        byte[] payload = [0x00, 0x04, 0xFF, 0x34, 0xE2, 0x82, 0xAC, 0x01, 0x04, 0xFF, 0x04, 0x01, 0x02, 0x03];
        using var post = await server.PostBytesAsync($"EIO=3&transport=polling&sid={sid}", payload, "application/octet-stream");
        Assert.Equal(HttpStatusCode.OK, post.StatusCode);
        Assert.Equal("€", await recorder.NextTextAsync());
        var binary = await recorder.NextMessageAsync();
        Assert.True(binary.IsBinary);
        Assert.Equal(new byte[] { 1, 2, 3 }, binary.Data.ToArray());

        using var echoed = await server.GetAsync($"EIO=3&transport=polling&sid={sid}");
        Assert.Equal(payload, await echoed.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_malformed_v3_payload_is_a_parse_error()
    {
        await using var server = await TestServer.StartAsync();
        var (sid, _) = await server.HandshakeAsync("3");
        await server.SendAsync(sid, "9:4short", "3");
        Assert.Equal("parse error", (await server.Handler.Get(sid).Closed).Reason);
    }

    [Fact]
    public async Task V3_websocket_binary_frames_carry_the_message_type_byte()
    {
        await using var server = await TestServer.StartAsync();
        using var socket = await server.ConnectWebSocketAsync("EIO=3&transport=websocket");
        var open = await socket.ReceiveTextAsync();
        Assert.DoesNotContain("maxPayload", open);
        Assert.Contains("\"upgrades\":[]", open);
        await socket.SendBinaryAsync([4, 1, 2, 3]);
        var frame = await socket.ReceiveFrameAsync();
        Assert.Equal(WebSocketMessageType.Binary, frame.Type);
        Assert.Equal(new byte[] { 4, 1, 2, 3 }, frame.Data);
        await socket.SendTextAsync("2probe");
        Assert.Equal("3", await socket.ReceiveTextAsync());
        Assert.Equal(3, (await server.Handler.NextOpenedAsync()).Session.Protocol);
    }

    [Fact]
    public async Task A_v3_session_upgrades_to_websocket()
    {
        await using var server = await TestServer.StartAsync();
        var (sid, _) = await server.HandshakeAsync("3");
        var session = server.Handler.Get(sid).Session;
        using var socket = await server.ConnectWebSocketAsync($"EIO=3&transport=websocket&sid={sid}");
        await socket.SendTextAsync("2probe");
        Assert.Equal("3probe", await socket.ReceiveTextAsync());
        Assert.Equal("1:6", await server.PollAsync(sid, "3"));
        session.Send(EngineMessage.Binary(new byte[] { 9 }));
        await socket.SendTextAsync("5");
        Assert.Equal(new byte[] { 4, 9 }, (await socket.ReceiveFrameAsync()).Data);
        Assert.Equal("websocket", session.Transport);
    }
}
