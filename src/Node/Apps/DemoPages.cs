using System.Reflection;
using SocketIo.Node.Hosting;

namespace SocketIo.Node.Apps;

/// <summary>
/// The demo pages (src/Node/wwwroot, embedded in the assembly so the program serves them from wherever it
/// runs): <c>/</c> (index), the polished demos <c>/events.html</c>, <c>/chat.html</c>, <c>/counter.html</c>,
/// <c>/custom-events.html</c>, and the seeds' own pages under <c>/seeds/</c> (<c>000-message.html</c>,
/// <c>000-test-event.html</c>, <c>000-client-event.html</c>, <c>002-chat.html</c>). Each page loads the
/// socket.io client from this server (<see cref="ClientBundle"/>).
/// </summary>
/// <remarks>
/// The seed pages are the seed documents' HTML exactly, except the script's <c>src</c>
/// (<c>https://cdn.socket.io/socket.io-2.3.1.js</c> became <c>/socket.io-2.3.1.js</c>); tests/js/seeds.test.js
/// checks that against shared/seeds. They keep the seeds' <c>io( "127.0.0.1:3000" )</c>, so they talk to the
/// server at http://127.0.0.1:3000, the seeds' own address and this program's default: opened from that origin
/// they are same-origin and need no CORS. A test server listens on a free port instead (port 3000 may belong to
/// someone else's server); tests/js/browser-seeds.test.js therefore starts chromium with
/// <c>--host-resolver-rules</c> mapping 127.0.0.1:3000 to the test server's port and opens the pages at
/// http://127.0.0.1:3000/seeds/…: the page text stays the seed's, the browser sees one origin, and nothing ever
/// reaches whatever listens on port 3000.
/// </remarks>
public static class DemoPages
{
    private const string ResourcePrefix = "wwwroot/";

    /// <summary>Maps every embedded page at <c>/{file}</c>, <c>index.html</c> at <c>/</c> too, and an empty <c>/favicon.ico</c>. Returns the routes.</summary>
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
        // The seed pages declare no icon (the polished ones do, "data:,"), so a browser asks for /favicon.ico:
        // "no content" instead of a 404 keeps its console free of a failed load.
        app.MapMethods("/favicon.ico", ["GET", "HEAD"], () => Results.NoContent());
        routes.Add("/favicon.ico");
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
