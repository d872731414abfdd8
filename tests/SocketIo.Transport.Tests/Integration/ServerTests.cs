using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using SocketIo.Transport.EngineIo;

namespace SocketIo.Transport.Tests.Integration;

public sealed class ServerTests
{
    [Fact]
    public async Task Two_servers_with_different_options_serve_two_paths_side_by_side()
    {
        var second = new RecordingHandler();
        await using var server = await TestServer.StartAsync(extra: app =>
            app.MapEngineIo("/engine.io/", second, o =>
            {
                o.PingInterval = TimeSpan.FromSeconds(1);
                o.AllowUpgrades = false;
            }));
        var (sid, body) = await server.HandshakeAsync();
        Assert.Contains("\"pingInterval\":25000", body);
        using var other = await server.GetAsync("EIO=4&transport=polling", "/engine.io/");
        var otherBody = await other.Content.ReadAsStringAsync();
        Assert.Contains("\"upgrades\":[],\"pingInterval\":1000", otherBody);
        var otherSid = TestServer.SidOf(otherBody);

        // Sessions belong to their server.
        using var crossed = await server.GetAsync($"EIO=4&transport=polling&sid={otherSid}");
        Assert.Equal(HttpStatusCode.BadRequest, crossed.StatusCode);
        Assert.NotNull(server.Engine.GetSession(sid));
        Assert.Null(server.Engine.GetSession(otherSid));
        Assert.Equal(otherSid, (await second.NextOpenedAsync()).Session.Id);
    }

    [Fact]
    public async Task Options_registered_with_add_engine_io_are_the_defaults_of_every_mapped_server()
    {
        await using var server = await TestServer.StartAsync(
            configure: o => o.PingTimeout = TimeSpan.FromSeconds(3),
            services: s => s.AddEngineIo(o =>
            {
                o.PingInterval = TimeSpan.FromSeconds(2);
                o.PingTimeout = TimeSpan.FromSeconds(9);
            }));
        var (_, body) = await server.HandshakeAsync();
        Assert.Contains("\"pingInterval\":2000,\"pingTimeout\":3000", body);
    }

    [Fact]
    public void Invalid_options_are_refused_when_the_server_is_built()
    {
        var handler = new RecordingHandler();
        Assert.Throws<ArgumentException>(() => new EngineIoServer(handler, new EngineIoOptions { Transports = ["polling", "flash"] }));
        Assert.Throws<ArgumentException>(() => new EngineIoServer(handler, new EngineIoOptions { Transports = [] }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new EngineIoServer(handler, new EngineIoOptions { PingInterval = TimeSpan.Zero }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new EngineIoServer(handler, new EngineIoOptions { MaxOutboundQueue = 0 }));
    }

    [Fact]
    public async Task Cors_is_off_until_an_origin_is_configured()
    {
        await using var server = await TestServer.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/socket.io/?EIO=4&transport=polling");
        request.Headers.Add("Origin", "https://example.com");
        using var response = await server.Http.SendAsync(request).WaitAsync(TestServer.Timeout);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));

        await using var configured = await TestServer.StartAsync(o => o.Cors.Origins = ["https://example.com"]);
        using var again = new HttpRequestMessage(HttpMethod.Get, "/socket.io/?EIO=4&transport=polling");
        again.Headers.Add("Origin", "https://example.com");
        using var allowed = await configured.Http.SendAsync(again).WaitAsync(TestServer.Timeout);
        Assert.Equal("https://example.com", string.Join(",", allowed.Headers.GetValues("Access-Control-Allow-Origin")));
    }

    [Fact]
    public async Task A_server_given_no_materializer_runs_its_sessions_in_an_actor_system_of_its_own()
    {
        await using var server = await TestServer.StartAsync(o => o.Materializer = null);
        var (sid, _) = await server.HandshakeAsync();
        await server.SendAsync(sid, "4over polling");
        Assert.Equal("4over polling", await server.PollAsync(sid));

        using var socket = await server.ConnectWebSocketAsync("EIO=4&transport=websocket");
        var wsSid = TestServer.SidOf(await socket.ReceiveTextAsync());
        await socket.SendTextAsync("4over websocket");
        Assert.Equal("4over websocket", await socket.ReceiveTextAsync());

        await server.Engine.DisposeAsync();
        Assert.Equal("server shutting down", (await server.Handler.Get(wsSid).Closed).Reason);
    }

    [Fact]
    public async Task Disposing_the_server_closes_every_session_with_server_shutting_down()
    {
        await using var server = await TestServer.StartAsync();
        var (sid, _) = await server.HandshakeAsync();
        var (other, _) = await server.HandshakeAsync();
        var recorder = server.Handler.Get(sid);
        var poll = server.PollAsync(sid);
        await Wait.UntilAsync(() => recorder.Session.IsWritable, "the GET is held");
        Assert.Equal(2, server.Engine.ClientsCount);

        await server.Engine.DisposeAsync();
        Assert.Equal("1", await poll);
        Assert.Equal("server shutting down", (await recorder.Closed).Reason);
        // A client between two polls gets the close packet on its next poll, then the session is gone.
        Assert.Equal("1", await server.PollAsync(other));
        Assert.Equal("server shutting down", (await server.Handler.Get(other).Closed).Reason);
        await server.Engine.WaitForSessionsAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(0, server.Engine.ClientsCount);
        using var later = await server.GetAsync("EIO=4&transport=polling");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, later.StatusCode);
    }

    [Fact]
    public async Task Stopping_the_application_closes_websocket_sessions()
    {
        var server = await TestServer.StartAsync();
        using var socket = await server.ConnectWebSocketAsync("EIO=4&transport=websocket");
        var sid = TestServer.SidOf(await socket.ReceiveTextAsync());
        await server.DisposeAsync();
        Assert.Equal("server shutting down", (await server.Handler.Get(sid).Closed).Reason);
    }

    [Fact]
    public async Task Metrics_count_handshakes_packets_and_closes()
    {
        var measurements = new System.Collections.Concurrent.ConcurrentDictionary<string, long>();
        using var listener = new MeterListener();
        TestServer? server = null;
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "SocketIo.Transport")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, state) => measurements.AddOrUpdate(instrument.Name, value, (_, v) => v + value));
        listener.Start();
        server = await TestServer.StartAsync();
        await using (server)
        {
            var (sid, _) = await server.HandshakeAsync();
            await server.SendAsync(sid, "4a\u001e4b");
            Assert.Equal("4a\u001e4b", await server.PollAsync(sid));
            await server.SendAsync(sid, "1");
            await server.Handler.Get(sid).Closed;
        }

        Assert.True(measurements.GetValueOrDefault("engineio.handshakes") >= 1);
        Assert.True(measurements.GetValueOrDefault("engineio.packets.in") >= 3);
        Assert.True(measurements.GetValueOrDefault("engineio.packets.out") >= 3);
        Assert.True(measurements.GetValueOrDefault("engineio.bytes.in") >= 6);
        Assert.True(measurements.GetValueOrDefault("engineio.closes") >= 1);
    }
}
