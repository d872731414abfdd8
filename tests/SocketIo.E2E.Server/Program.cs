using Akka.Actor;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using SocketIo.Actors;
using SocketIo.E2E.Server;
using SocketIo.Node.Configuration;
using SocketIo.Node.Hosting;
using SocketIo.Transport.EngineIo;

// The fixture server of tests/js/socketio*.test.js and tests/js/cluster*.test.js.
// Usage: SocketIo.E2E.Server [--host 127.0.0.1] [--port N] [--config PATH]
// With --config (cluster.hocon and its SOCKETIO__* environment overrides) the server applies the file's engine and
// socketio settings and, when cluster.enabled, joins the Akka cluster exactly as the host does (ClusterHosting);
// --host/--port still decide where it listens. It prints "listening on http://127.0.0.1:PORT" once it accepts
// connections (tests/js/lib/server.js).
var host = "127.0.0.1";
var port = 0;
string? configPath = null;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--host" when i + 1 < args.Length:
            host = args[++i];
            break;
        case "--port" when i + 1 < args.Length && int.TryParse(args[i + 1], out var p) && p is >= 0 and <= 65535:
            port = p;
            i++;
            break;
        case "--config" when i + 1 < args.Length:
            configPath = args[++i];
            break;
        default:
            Console.Error.WriteLine($"error: unknown or incomplete option '{args[i]}' (usage: --host ADDRESS --port N --config PATH)");
            return 2;
    }
}

NodeConfig? config = null;
Akka.Configuration.Config? hocon = null;
if (configPath is not null)
{
    try
    {
        hocon = NodeConfig.LoadHocon(configPath, new ConfigurationBuilder().AddEnvironmentVariables().Build());
        config = NodeConfig.FromHocon(hocon, configPath);
    }
    catch (NodeConfigException e)
    {
        // Its message names the file and the key.
        Console.Error.WriteLine($"error: {e.Message}");
        return 2;
    }
    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
    {
        Console.Error.WriteLine($"error: {configPath}: {e.Message}");
        return 2;
    }
}
var clustered = config is { Cluster.Enabled: true };

var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
builder.Logging.ClearProviders();
builder.Logging.AddSimpleConsole(c => { c.SingleLine = true; c.TimestampFormat = "HH:mm:ss.fff "; });
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.WebHost.UseUrls($"http://{host}:{port}");
// As the host: WebSocket handshakes on Kestrel's connection layer, so every WebSocket test goes through that path.
builder.WebHost.UseEngineIoDirectWebSockets();
// Same wiring as src/Node/Program.cs: in a cluster the server lives in the cluster's actor system.
ClusterHosting? cluster = null;
if (clustered)
    ClusterHosting.AddTo(builder.Services, config!, hocon);
else
    builder.Services.AddSocketIo(o => config?.ApplyTo(o), hocon);

var app = builder.Build();
app.UseWebSockets();
if (clustered)
{
    try
    {
        cluster = await ClusterHosting.JoinAsync(app.Services);
    }
    catch (TimeoutException e)
    {
        Console.Error.WriteLine($"error: cannot join the cluster: {e.Message}");
        return 3;
    }
    cluster.MapMembers(app);
}

var io = app.Services.GetRequiredService<SocketIoServer>();
// In a cluster: server:node answers the node's name, cluster:members the Akka addresses of the members it counts.
Fixture.Register(io, cluster is null ? "local" : config!.NodeName, cluster is null ? null : () => cluster.Node.Membership.NodeIds);
// One server, two endpoints: /socket.io/ with the default heartbeat, and /fast/ with a short one for
// the ping-timeout test, so that sockets on both can observe each other's disconnect reasons. In a cluster both forward
// requests for other members' sessions (the engine options ClusterHosting registers; tests/js/cluster-roundrobin.test.js).
app.MapSocketIo(io, Fixture.Path);
app.MapSocketIo(io, Fixture.FastPath, o =>
{
    o.PingInterval = Fixture.FastPingInterval;
    o.PingTimeout = Fixture.FastPingTimeout;
});

cluster?.HookShutdown(app, io);
await app.StartAsync();
var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
foreach (var address in addresses)
    Console.WriteLine($"listening on {address} (e2e fixture, node {(cluster is null ? "local" : cluster.Node.NodeId)}, pid {Environment.ProcessId})");
await app.WaitForShutdownAsync();
return 0;
