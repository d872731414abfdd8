using System.Net;
using System.Net.WebSockets;
using SocketIo.Transport.EngineIo;

namespace SocketIo.Transport.Tests.Integration;

public sealed class ErrorTests
{
    internal static async Task AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, string body)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(body, await response.Content.ReadAsStringAsync().WaitAsync(TestServer.Timeout));
    }

    [Theory]
    [InlineData("EIO=4&transport=carrier-pigeon", "{\"code\":0,\"message\":\"Transport unknown\"}")]
    [InlineData("EIO=4", "{\"code\":0,\"message\":\"Transport unknown\"}")]
    [InlineData("EIO=4&transport=polling&sid=nope", "{\"code\":1,\"message\":\"Session ID unknown\"}")]
    [InlineData("EIO=4&transport=websocket", "{\"code\":3,\"message\":\"Bad request\"}")]
    [InlineData("EIO=5&transport=polling", "{\"code\":5,\"message\":\"Unsupported protocol version\"}")]
    public async Task Bad_get_requests_get_the_reference_error_bodies(string query, string expected)
    {
        await using var server = await TestServer.StartAsync();
        using var response = await server.GetAsync(query);
        await AssertErrorAsync(response, HttpStatusCode.BadRequest, expected);
    }

    [Fact]
    public async Task A_handshake_that_is_not_a_get_is_a_bad_handshake_method()
    {
        await using var server = await TestServer.StartAsync();
        using var response = await server.PostAsync("EIO=4&transport=polling", "4hello");
        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "{\"code\":2,\"message\":\"Bad handshake method\"}");
    }

    [Fact]
    public async Task A_disabled_transport_is_unknown()
    {
        await using var server = await TestServer.StartAsync(o => o.Transports = ["websocket"]);
        using var response = await server.GetAsync("EIO=4&transport=polling");
        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "{\"code\":0,\"message\":\"Transport unknown\"}");
    }

    [Fact]
    public async Task Polling_a_session_that_is_on_websocket_is_a_bad_request()
    {
        await using var server = await TestServer.StartAsync();
        using var socket = await server.ConnectWebSocketAsync("EIO=4&transport=websocket");
        var sid = TestServer.SidOf(await socket.ReceiveTextAsync());
        using var response = await server.GetAsync($"EIO=4&transport=polling&sid={sid}");
        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "{\"code\":3,\"message\":\"Bad request\"}");
    }

    [Fact]
    public async Task A_plain_get_naming_the_websocket_transport_of_a_websocket_session_is_a_bad_request()
    {
        await using var server = await TestServer.StartAsync();
        using var socket = await server.ConnectWebSocketAsync("EIO=4&transport=websocket");
        var sid = TestServer.SidOf(await socket.ReceiveTextAsync());
        using var response = await server.GetAsync($"EIO=4&transport=websocket&sid={sid}");
        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "{\"code\":3,\"message\":\"Bad request\"}");
        Assert.True(server.Handler.Get(sid).Session.IsOpen);
    }

    [Fact]
    public async Task Jsonp_polling_is_refused_as_a_bad_request()
    {
        await using var server = await TestServer.StartAsync();
        using var response = await server.GetAsync("EIO=3&transport=polling&j=0");
        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "{\"code\":3,\"message\":\"Bad request\"}");
    }

    [Fact]
    public async Task The_path_matches_with_and_without_its_trailing_slash()
    {
        await using var server = await TestServer.StartAsync();
        using var response = await server.Http.GetAsync("/socket.io?EIO=4&transport=polling").WaitAsync(TestServer.Timeout);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("0{\"sid\":", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Protocol_3_is_refused_with_code_5_when_not_allowed()
    {
        await using var server = await TestServer.StartAsync(o => o.AllowEio3 = false);
        using var response = await server.GetAsync("EIO=3&transport=polling");
        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "{\"code\":5,\"message\":\"Unsupported protocol version\"}");
        using var v4 = await server.GetAsync("EIO=4&transport=polling");
        Assert.Equal(HttpStatusCode.OK, v4.StatusCode);
    }

    [Fact]
    public async Task Allow_request_refuses_with_403_and_code_4()
    {
        await using var server = await TestServer.StartAsync(o => o.AllowRequest = context =>
        {
            var token = context.Request.Query["token"].ToString();
            return ValueTask.FromResult(token switch
            {
                "ok" => EngineRequestVerdict.Allow,
                "" => EngineRequestVerdict.Deny(),
                _ => EngineRequestVerdict.Deny("bad \"token\""),
            });
        });
        using var plain = await server.GetAsync("EIO=4&transport=polling");
        await AssertErrorAsync(plain, HttpStatusCode.Forbidden, "{\"code\":4,\"message\":\"Forbidden\"}");
        using var withMessage = await server.GetAsync("EIO=4&transport=polling&token=x");
        await AssertErrorAsync(withMessage, HttpStatusCode.Forbidden, "{\"code\":4,\"message\":\"bad \\\"token\\\"\"}");
        using var allowed = await server.GetAsync("EIO=4&transport=polling&token=ok");
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);

        // A refused WebSocket handshake is a plain 400, as the reference's abortUpgrade.
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        var uri = new UriBuilder(server.BaseUri) { Scheme = "ws", Path = "/socket.io/", Query = "EIO=4&transport=websocket" }.Uri;
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(uri, CancellationToken.None).WaitAsync(TestServer.Timeout));
        Assert.Equal(HttpStatusCode.BadRequest, socket.HttpStatusCode);
    }

    [Fact]
    public async Task A_websocket_with_an_unknown_sid_is_refused_with_400()
    {
        await using var server = await TestServer.StartAsync();
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        var uri = new UriBuilder(server.BaseUri) { Scheme = "ws", Path = "/socket.io/", Query = "EIO=4&transport=websocket&sid=nope" }.Uri;
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(uri, CancellationToken.None).WaitAsync(TestServer.Timeout));
        Assert.Equal(HttpStatusCode.BadRequest, socket.HttpStatusCode);
    }

    [Fact]
    public async Task Cors_preflight_is_answered_and_every_response_carries_the_headers()
    {
        await using var server = await TestServer.StartAsync(o => o.Cors = new EngineIoCorsOptions
        {
            Origins = { "https://example.com" },
            AllowCredentials = true,
        });
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/socket.io/?EIO=4&transport=polling");
        preflight.Headers.Add("Origin", "https://example.com");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "content-type");
        using var answer = await server.Http.SendAsync(preflight).WaitAsync(TestServer.Timeout);
        Assert.Equal(HttpStatusCode.NoContent, answer.StatusCode);
        Assert.Equal("https://example.com", Header(answer, "Access-Control-Allow-Origin"));
        Assert.Equal("true", Header(answer, "Access-Control-Allow-Credentials"));
        Assert.Equal("GET,HEAD,PUT,PATCH,POST,DELETE", Header(answer, "Access-Control-Allow-Methods"));
        Assert.Equal("content-type", Header(answer, "Access-Control-Allow-Headers"));

        using var handshake = new HttpRequestMessage(HttpMethod.Get, "/socket.io/?EIO=4&transport=polling");
        handshake.Headers.Add("Origin", "https://example.com");
        using var opened = await server.Http.SendAsync(handshake).WaitAsync(TestServer.Timeout);
        Assert.Equal(HttpStatusCode.OK, opened.StatusCode);
        Assert.Equal("https://example.com", Header(opened, "Access-Control-Allow-Origin"));

        using var error = new HttpRequestMessage(HttpMethod.Get, "/socket.io/?EIO=4&transport=nope");
        error.Headers.Add("Origin", "https://example.com");
        using var refused = await server.Http.SendAsync(error).WaitAsync(TestServer.Timeout);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("https://example.com", Header(refused, "Access-Control-Allow-Origin"));

        using var foreign = new HttpRequestMessage(HttpMethod.Get, "/socket.io/?EIO=4&transport=polling");
        foreign.Headers.Add("Origin", "https://evil.example");
        using var foreignAnswer = await server.Http.SendAsync(foreign).WaitAsync(TestServer.Timeout);
        Assert.False(foreignAnswer.Headers.Contains("Access-Control-Allow-Origin"));
    }

    private static string Header(HttpResponseMessage response, string name) =>
        string.Join(",", response.Headers.TryGetValues(name, out var values) ? values : response.Content.Headers.GetValues(name));
}
