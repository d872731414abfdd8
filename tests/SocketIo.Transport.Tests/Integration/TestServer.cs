using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SocketIo.Transport.EngineIo;

namespace SocketIo.Transport.Tests.Integration;

/// <summary>A real Kestrel server on 127.0.0.1 (ephemeral port) with UseWebSockets + MapEngineIo and a recording echo handler.</summary>
internal sealed partial class TestServer : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    private readonly WebApplication _app;

    private TestServer(WebApplication app, RecordingHandler handler, EngineIoServer engine, Uri baseUri)
    {
        _app = app;
        Handler = handler;
        Engine = engine;
        BaseUri = baseUri;
        Http = new HttpClient { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(30) };
    }

    public RecordingHandler Handler { get; }

    public EngineIoServer Engine { get; }

    public Uri BaseUri { get; }

    public HttpClient Http { get; }

    /// <param name="directWebSockets">Serve WebSocket handshakes on Kestrel's connection layer (<c>UseEngineIoDirectWebSockets</c>).</param>
    public static async Task<TestServer> StartAsync(Action<EngineIoOptions>? configure = null, string path = "/socket.io/", Action<WebApplication>? extra = null, Action<IServiceCollection>? services = null, bool directWebSockets = false)
    {
        var builder = WebApplication.CreateSlimBuilder();
        services?.Invoke(builder.Services);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        if (directWebSockets)
        {
            builder.WebHost.UseEngineIoDirectWebSockets();
        }

        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.UseWebSockets();
        var handler = new RecordingHandler();
        var engine = app.MapEngineIo(path, handler, o =>
        {
            // As the host: the session graphs run on the one materializer of an actor system shared by the test run.
            o.Materializer = StreamsSystem.Materializer;
            o.StreamHosts = 2;
            configure?.Invoke(o);
        }).Server;
        extra?.Invoke(app);
        await app.StartAsync().WaitAsync(Timeout);
        var address = app.Urls.First();
        return new TestServer(app, handler, engine, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync().WaitAsync(TimeSpan.FromSeconds(10));
        await _app.DisposeAsync();
    }

    public Task<HttpResponseMessage> GetAsync(string query, string path = "/socket.io/") =>
        Http.GetAsync(path + "?" + query).WaitAsync(Timeout);

    public async Task<HttpResponseMessage> PostAsync(string query, string body, string path = "/socket.io/")
    {
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/plain") { CharSet = "UTF-8" };
        return await Http.PostAsync(path + "?" + query, content).WaitAsync(Timeout);
    }

    public async Task<HttpResponseMessage> PostBytesAsync(string query, byte[] body, string contentType)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return await Http.PostAsync("/socket.io/?" + query, content).WaitAsync(Timeout);
    }

    /// <summary>Polling handshake; returns the sid and the raw body.</summary>
    public async Task<(string Sid, string Body)> HandshakeAsync(string eio = "4", string extraQuery = "")
    {
        using var response = await GetAsync($"EIO={eio}&transport=polling{extraQuery}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync().WaitAsync(Timeout);
        return (SidOf(body), body);
    }

    public async Task<string> PollAsync(string sid, string eio = "4")
    {
        using var response = await GetAsync($"EIO={eio}&transport=polling&sid={sid}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync().WaitAsync(Timeout);
    }

    public async Task SendAsync(string sid, string payload, string eio = "4")
    {
        using var response = await PostAsync($"EIO={eio}&transport=polling&sid={sid}", payload);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", await response.Content.ReadAsStringAsync().WaitAsync(Timeout));
    }

    public async Task<ClientWebSocket> ConnectWebSocketAsync(string query, string path = "/socket.io/")
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        var uri = new UriBuilder(BaseUri) { Scheme = "ws", Path = path, Query = query }.Uri;
        await socket.ConnectAsync(uri, CancellationToken.None).WaitAsync(Timeout);
        return socket;
    }

    public static string SidOf(string body)
    {
        var match = SidPattern().Match(body);
        Assert.True(match.Success, body);
        return match.Groups[1].Value;
    }

    [GeneratedRegex("\"sid\":\"([^\"]+)\"")]
    private static partial Regex SidPattern();
}

/// <summary>Receives frames from a ClientWebSocket with a timeout on every await.</summary>
internal static class WebSocketTestExtensions
{
    public static async Task<(WebSocketMessageType Type, byte[] Data, WebSocketCloseStatus? CloseStatus)> ReceiveFrameAsync(this ClientWebSocket socket)
    {
        var buffer = new byte[64 * 1024];
        var total = new MemoryStream();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, CancellationToken.None).WaitAsync(TestServer.Timeout);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return (result.MessageType, [], result.CloseStatus);
            }

            total.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return (result.MessageType, total.ToArray(), null);
            }
        }
    }

    public static async Task<string> ReceiveTextAsync(this ClientWebSocket socket)
    {
        var frame = await socket.ReceiveFrameAsync();
        Assert.Equal(WebSocketMessageType.Text, frame.Type);
        return Encoding.UTF8.GetString(frame.Data);
    }

    public static Task SendTextAsync(this ClientWebSocket socket, string text) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None).WaitAsync(TestServer.Timeout);

    public static Task SendBinaryAsync(this ClientWebSocket socket, byte[] data) =>
        socket.SendAsync(data, WebSocketMessageType.Binary, true, CancellationToken.None).WaitAsync(TestServer.Timeout);
}

/// <summary>The one actor system and materializer of the test run, shared by every test server (as a host shares its own).</summary>
internal static class StreamsSystem
{
    private static readonly Lazy<Akka.Streams.IMaterializer> Lazy = new(() =>
        Akka.Streams.ActorMaterializer.Create(Akka.Actor.ActorSystem.Create("transport-tests", "akka.loglevel = WARNING")));

    public static Akka.Streams.IMaterializer Materializer => Lazy.Value;
}
