using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using SocketIo.Node.Apps;
using SocketIo.Node.Hosting;

NodeOptions options;
try
{
    options = NodeOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 2;
}
if (options.ShowHelp)
{
    Console.WriteLine(NodeOptions.Usage);
    return 0;
}

var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
builder.Logging.ClearProviders();
builder.Logging.AddSimpleConsole(c => { c.SingleLine = true; c.TimestampFormat = "HH:mm:ss.fff "; });
builder.Logging.SetMinimumLevel(Enum.TryParse<LogLevel>(options.LogLevel, ignoreCase: true, out var level) ? level : LogLevel.Information);
// Kestrel and hosting chatter stays at Warning unless asked for; our own categories follow --log-level.
builder.Logging.AddFilter("Microsoft", level > LogLevel.Warning ? level : LogLevel.Warning);
builder.WebHost.UseUrls($"http://{options.Host}:{options.Port}");
builder.Services.AddSocketIo();

var app = builder.Build();
app.UseWebSockets();

switch (options.App)
{
    case "conformance":
        ConformanceApp.Map(app, options);
        break;
    default:
        DemoApp.Map(app, options);
        break;
}

await app.StartAsync();
var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
foreach (var address in addresses)
    Console.WriteLine($"listening on {address} (app {options.App}, pid {Environment.ProcessId})");
await app.WaitForShutdownAsync();
return 0;
