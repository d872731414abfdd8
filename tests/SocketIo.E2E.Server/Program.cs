using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using SocketIo.Actors;
using SocketIo.E2E.Server;
using SocketIo.Node.Hosting;

// The fixture server of tests/js/socketio*.test.js. Usage: SocketIo.E2E.Server [--host 127.0.0.1] [--port N]
// It prints "listening on http://127.0.0.1:PORT" once it accepts connections (tests/js/lib/server.js).
var host = "127.0.0.1";
var port = 0;
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
        default:
            Console.Error.WriteLine($"error: unknown or incomplete option '{args[i]}' (usage: --host ADDRESS --port N)");
            return 2;
    }
}

var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
builder.Logging.ClearProviders();
builder.Logging.AddSimpleConsole(c => { c.SingleLine = true; c.TimestampFormat = "HH:mm:ss.fff "; });
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.WebHost.UseUrls($"http://{host}:{port}");
builder.Services.AddSocketIo();

var app = builder.Build();
app.UseWebSockets();

var io = app.Services.GetRequiredService<SocketIoServer>();
Fixture.Register(io);
// One server, two endpoints: /socket.io/ with the default heartbeat, and /fast/ with a short one for
// the ping-timeout test, so that sockets on both can observe each other's disconnect reasons.
app.MapSocketIo(io, Fixture.Path);
app.MapSocketIo(io, Fixture.FastPath, o =>
{
    o.PingInterval = Fixture.FastPingInterval;
    o.PingTimeout = Fixture.FastPingTimeout;
});

await app.StartAsync();
var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
foreach (var address in addresses)
    Console.WriteLine($"listening on {address} (e2e fixture, pid {Environment.ProcessId})");
await app.WaitForShutdownAsync();
return 0;
