using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using SocketIo.Actors;
using SocketIo.Node.Apps;
using SocketIo.Node.Configuration;
using SocketIo.Node.Hosting;
using SocketIo.Transport.EngineIo;

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
NodeConfig? config = null;
Akka.Configuration.Config? hocon = null;
if (options.ConfigPath is { } configPath)
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
    options.ApplyConfig(config);
}

// The content root is the program's folder: started from a source tree, the host would otherwise watch it all for config changes.
var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
builder.Logging.ClearProviders();
builder.Logging.AddSimpleConsole(c => { c.SingleLine = true; c.TimestampFormat = "HH:mm:ss.fff "; });
builder.Logging.SetMinimumLevel(Enum.TryParse<LogLevel>(options.LogLevel, ignoreCase: true, out var level) ? level : LogLevel.Information);
// Kestrel and hosting chatter stays at Warning unless asked for; our own categories follow --log-level.
builder.Logging.AddFilter("Microsoft", level > LogLevel.Warning ? level : LogLevel.Warning);
builder.WebHost.UseUrls($"http://{options.Host}:{options.Port}");
if (options.DirectWebSockets)
    builder.WebHost.UseEngineIoDirectWebSockets();
// Without --config, or with cluster.enabled = false, the node runs alone: no remoting, no cluster.
ClusterHosting? cluster = null;
if (config is not null)
    builder.Services.AddSingleton(config);
// In a cluster this also sets the engine options of every MapSocketIo/MapEngineIo below: sids tagged with this member,
// requests for other members' sessions forwarded to them (no sticky sessions needed in front of the nodes).
if (config is { Cluster.Enabled: true })
    ClusterHosting.AddTo(builder.Services, config, hocon);
else
    // The file's akka section configures the actor system (Akka ignores the socketio section beside it).
    builder.Services.AddSocketIo(o => config?.ApplyTo(o), hocon);

var app = builder.Build();
app.UseWebSockets();
if (config is { Cluster.Enabled: true })
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

switch (options.App)
{
    case "conformance":
        ConformanceApp.Map(app, options);
        break;
    case "bench":
        BenchApp.Map(app, options);
        break;
    default:
        DemoApp.Map(app, options);
        break;
}

cluster?.HookShutdown(app, app.Services.GetRequiredService<SocketIoServer>());
await app.StartAsync();
var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
foreach (var address in addresses)
    Console.WriteLine($"listening on {address} (app {options.App}, pid {Environment.ProcessId})");
await app.WaitForShutdownAsync();
return 0;
