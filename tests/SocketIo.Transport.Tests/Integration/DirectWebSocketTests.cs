using System.Net;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SocketIo.Transport.EngineIo;
using SocketIo.Transport.Tests.Robustness;

namespace SocketIo.Transport.Tests.Integration;

/// <summary>
/// Every <see cref="WebSocketTests"/> spec again with <c>UseEngineIoDirectWebSockets</c>, plus what is particular to
/// serving handshakes on Kestrel's connection layer: the ASP.NET Core pipeline is bypassed for them, refusals are
/// written on the connection, and everything that is not a strict Engine.IO WebSocket handshake is left to Kestrel.
/// </summary>
public sealed class DirectWebSocketTests : WebSocketTests
{
    private const string Key = "dGhlIHNhbXBsZSBub25jZQ==";

    protected override bool Direct => true;

    private static string UpgradeRequest(string query, string path = "/socket.io/", string extraHeaders = "") =>
        $"GET {path}?{query} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
        $"Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: {Key}\r\n{extraHeaders}\r\n";

    /// <summary>Counts the requests that reach the ASP.NET Core pipeline.</summary>
    private static Action<WebApplication> CountRequests(StrongBox<int> count) =>
        app => app.Use((context, next) =>
        {
            Interlocked.Increment(ref count.Value);
            return next(context);
        });

    [Fact]
    public async Task A_websocket_handshake_is_served_without_the_aspnet_pipeline_while_polling_goes_through_it()
    {
        var requests = new StrongBox<int>();
        await using var server = await TestServer.StartAsync(extra: CountRequests(requests), directWebSockets: true);
        using var socket = await server.ConnectWebSocketAsync("EIO=4&transport=websocket");
        var sid = TestServer.SidOf(await socket.ReceiveTextAsync());
        await socket.SendTextAsync("4ping");
        Assert.Equal("4ping", await socket.ReceiveTextAsync());
        Assert.Equal("ping", await server.Handler.Get(sid).NextTextAsync());
        Assert.Equal(0, Volatile.Read(ref requests.Value));

        var (pollingSid, _) = await server.HandshakeAsync();
        Assert.NotEqual(sid, pollingSid);
        Assert.Equal(1, Volatile.Read(ref requests.Value));
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).WaitAsync(TestServer.Timeout);
    }

    [Fact]
    public async Task The_101_answer_is_exact_and_the_open_packet_follows_on_the_same_connection()
    {
        await using var server = await TestServer.StartAsync(directWebSockets: true);
        await using var raw = await RawHttp.ConnectAsync(server);
        await raw.WriteAsync(UpgradeRequest("EIO=4&transport=websocket"));
        var text = await raw.ReadUntilAsync("\"maxPayload\":1000000}", TestServer.Timeout);
        Assert.StartsWith(
            "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n" +
            "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n", text);
        // Then the open packet in a text frame (its first bytes, FIN + opcode and length, are not ASCII).
        Assert.Contains("0{\"sid\":\"", text[text.IndexOf("\r\n\r\n", StringComparison.Ordinal)..]);
    }

    [Fact]
    public async Task A_head_arriving_byte_by_byte_is_still_served()
    {
        await using var server = await TestServer.StartAsync(directWebSockets: true);
        await using var raw = await RawHttp.ConnectAsync(server);
        foreach (var b in System.Text.Encoding.ASCII.GetBytes(UpgradeRequest("EIO=4&transport=websocket")))
        {
            await raw.WriteAsync([b]);
        }

        var text = await raw.ReadUntilAsync("\"maxPayload\"", TestServer.Timeout);
        Assert.StartsWith("HTTP/1.1 101 Switching Protocols\r\n", text);
    }

    [Fact]
    public async Task A_refused_handshake_gets_the_engine_error_on_the_connection_which_then_closes()
    {
        await using var server = await TestServer.StartAsync(directWebSockets: true);
        await using var raw = await RawHttp.ConnectAsync(server);
        await raw.WriteAsync(UpgradeRequest("EIO=4&transport=websocket&sid=nope"));
        var (text, closed) = await raw.ReadUntilClosedAsync(TestServer.Timeout);
        Assert.True(closed);
        Assert.Equal(
            "HTTP/1.1 400 Bad Request\r\nContent-Type: text/html\r\nConnection: close\r\nContent-Length: 18\r\n\r\nSession ID unknown", text);
    }

    [Fact]
    public async Task Allow_request_and_cors_apply_to_a_direct_handshake()
    {
        await using var server = await TestServer.StartAsync(
            o =>
            {
                o.AllowRequest = context => ValueTask.FromResult(context.Request.Query["token"] == "ok" && context.Request.Headers.Origin == "https://example.com"
                    ? EngineRequestVerdict.Allow
                    : EngineRequestVerdict.Deny());
                o.Cors = new EngineIoCorsOptions { Origins = { "https://example.com" } };
            },
            directWebSockets: true);
        await using (var refused = await RawHttp.ConnectAsync(server))
        {
            await refused.WriteAsync(UpgradeRequest("EIO=4&transport=websocket&token=no", extraHeaders: "Origin: https://example.com\r\n"));
            var (text, closed) = await refused.ReadUntilClosedAsync(TestServer.Timeout);
            Assert.True(closed);
            Assert.StartsWith("HTTP/1.1 400 Bad Request\r\n", text);
            Assert.EndsWith("\r\n\r\nForbidden", text);
        }

        await using var allowed = await RawHttp.ConnectAsync(server);
        await allowed.WriteAsync(UpgradeRequest("EIO=4&transport=websocket&token=ok", extraHeaders: "Origin: https://example.com\r\n"));
        var answer = await allowed.ReadUntilAsync("\"maxPayload\"", TestServer.Timeout);
        Assert.StartsWith("HTTP/1.1 101 Switching Protocols\r\n", answer);
        Assert.Contains("\r\nAccess-Control-Allow-Origin: https://example.com\r\n", answer);
    }

    [Theory]
    [InlineData("GET /elsewhere HTTP/1.1\r\nHost: a\r\n\r\n", "HTTP/1.1 404 Not Found\r\n")]
    [InlineData("GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: a\r\n\r\n", "HTTP/1.1 200 OK\r\n")]
    [InlineData("GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 12\r\nSec-WebSocket-Key: " + Key + "\r\n\r\n", "HTTP/1.1 400 Bad Request\r\n")]
    [InlineData("GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: a\r\n\r\n", "HTTP/1.1 400 Bad Request\r\n")]
    [InlineData("HELLO\r\n\r\n", "HTTP/1.1 400 Bad Request\r\n")]
    public async Task Requests_that_are_not_strict_engine_websocket_handshakes_are_answered_by_kestrel(string request, string expectedStatusLine)
    {
        await using var server = await TestServer.StartAsync(directWebSockets: true);
        await using var raw = await RawHttp.ConnectAsync(server);
        await raw.WriteAsync(request);
        var text = await raw.ReadUntilAsync("\r\n\r\n", TestServer.Timeout);
        Assert.StartsWith(expectedStatusLine, text);
        // Kestrel's own answers carry its Server header; the connection-layer path writes none.
        Assert.Contains("\r\nServer: Kestrel\r\n", text);
    }

    [Fact]
    public async Task A_keep_alive_connection_whose_first_request_was_polling_still_upgrades_through_aspnet()
    {
        await using var server = await TestServer.StartAsync(directWebSockets: true);
        await using var raw = await RawHttp.ConnectAsync(server);
        await raw.WriteAsync("GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: a\r\n\r\n");
        var handshake = await raw.ReadUntilAsync("\"maxPayload\":1000000}", TestServer.Timeout);
        var sid = TestServer.SidOf(handshake);
        await raw.WriteAsync(UpgradeRequest($"EIO=4&transport=websocket&sid={sid}"));
        var upgrade = await raw.ReadUntilAsync("\r\n\r\n", TestServer.Timeout);
        Assert.StartsWith("HTTP/1.1 101 Switching Protocols\r\n", upgrade);
    }

    [Fact]
    public async Task A_client_gone_in_the_middle_of_its_head_leaves_the_server_serving()
    {
        await using var server = await TestServer.StartAsync(directWebSockets: true);
        await using (var raw = await RawHttp.ConnectAsync(server))
        {
            await raw.WriteAsync("GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: a\r\nUpg");
        }

        using var socket = await server.ConnectWebSocketAsync("EIO=4&transport=websocket");
        Assert.Equal(HttpStatusCode.SwitchingProtocols, socket.HttpStatusCode);
        Assert.StartsWith("0{\"sid\":", await socket.ReceiveTextAsync());
    }

    [Fact]
    public async Task Added_after_use_https_it_serves_wss_handshakes_and_they_read_as_secure()
    {
        using var key = System.Security.Cryptography.RSA.Create(2048);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest(
            "CN=127.0.0.1", key, System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        var requests = new StrongBox<int>();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddEngineIoDirectWebSockets();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            listen.UseHttps(certificate);
            listen.UseEngineIoDirectWebSockets();
        }));
        await using var app = builder.Build();
        app.UseWebSockets();
        CountRequests(requests)(app);
        var handler = new RecordingHandler();
        app.MapEngineIo("/socket.io/", handler);
        await app.StartAsync().WaitAsync(TestServer.Timeout);
        var port = new Uri(app.Urls.First()).Port;

        using var socket = new ClientWebSocket();
        socket.Options.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        await socket.ConnectAsync(new Uri($"wss://127.0.0.1:{port}/socket.io/?EIO=4&transport=websocket"), CancellationToken.None).WaitAsync(TestServer.Timeout);
        var sid = TestServer.SidOf(await socket.ReceiveTextAsync());
        var recorder = handler.Get(sid);
        Assert.True(recorder.Session.Handshake.Secure);
        Assert.StartsWith("/socket.io/?EIO=4&transport=websocket", recorder.Session.Handshake.Url);
        await socket.SendTextAsync("4over tls");
        Assert.Equal("over tls", await recorder.NextTextAsync());
        Assert.Equal(0, Volatile.Read(ref requests.Value));
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).WaitAsync(TestServer.Timeout);
        await app.StopAsync().WaitAsync(TimeSpan.FromSeconds(10));
    }
}
