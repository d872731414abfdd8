using System.Reflection;
using SocketIo.Node.Hosting;

namespace SocketIo.Node.Apps;

/// <summary>
/// The demo pages (src/Node/wwwroot, embedded in the assembly so the program serves them from wherever it
/// runs): <c>/</c> (index), <c>/events.html</c>, <c>/chat.html</c>, <c>/counter.html</c>. Each page loads the
/// socket.io client from this server (<see cref="ClientBundle"/>).
/// </summary>
public static class DemoPages
{
    private const string ResourcePrefix = "wwwroot/";

    /// <summary>Maps every embedded page at <c>/{file}</c>, and <c>index.html</c> at <c>/</c> too. Returns the routes.</summary>
    public static IReadOnlyList<string> Map(WebApplication app)
    {
        var assembly = typeof(DemoPages).Assembly;
        var routes = new List<string>();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            var file = name[ResourcePrefix.Length..];
            var asset = new ClientBundle.StaticAsset(Read(assembly, name), ContentTypeOf(file));
            var route = "/" + file;
            app.MapMethods(route, ["GET", "HEAD"], (HttpContext http) => asset.WriteAsync(http));
            routes.Add(route);
            if (file == "index.html")
            {
                app.MapMethods("/", ["GET", "HEAD"], (HttpContext http) => asset.WriteAsync(http));
                routes.Add("/");
            }
        }
        return routes;
    }

    private static byte[] Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static string ContentTypeOf(string file) => Path.GetExtension(file) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".js" => "application/javascript; charset=utf-8",
        ".svg" => "image/svg+xml",
        ".png" => "image/png",
        _ => "application/octet-stream",
    };
}
