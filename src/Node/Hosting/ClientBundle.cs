using System.Security.Cryptography;

namespace SocketIo.Node.Hosting;

/// <summary>
/// socket.io's <c>serveClient</c>: the browser builds of the socket.io client, served from memory with an
/// ETag so browsers revalidate cheaply (<c>If-None-Match</c> → 304). The files come from the npm packages
/// that <c>npm ci</c> installs in <c>src/Node/client</c>; the build copies their <c>dist</c> folders next to
/// the program (<c>client/socket.io-client</c> for 4.8.x, <c>client/socket.io-client-v2</c> for 2.3.1).
/// A missing file does not stop the server: its route answers 404 with a message saying how to install it,
/// and the absence is logged once at startup.
/// </summary>
public static partial class ClientBundle
{
    /// <summary>The 4.8.x files served under the Engine.IO path, as the reference server names them.</summary>
    public static readonly string[] V4Files =
    [
        "socket.io.js", "socket.io.js.map",
        "socket.io.min.js", "socket.io.min.js.map",
        "socket.io.esm.min.js", "socket.io.esm.min.js.map",
    ];

    /// <summary>Where the 2.3.1 client is served, for pages written for socket.io 2.x.</summary>
    public const string V2Route = "/socket.io-2.3.1.js";

    private const string MissingHint =
        "socket.io client files are not installed: run `npm ci` in src/Node/client, then rebuild src/Node.\n";

    /// <summary>Environment variable that moves the client folder (tests point it at an empty folder to check the 404).</summary>
    public const string DirectoryVariable = "SOCKETIO_NODE_CLIENT_DIR";

    /// <summary>The default location: <c>$SOCKETIO_NODE_CLIENT_DIR</c> when set, else <c>client/</c> next to the program.</summary>
    public static string DefaultDirectory =>
        Environment.GetEnvironmentVariable(DirectoryVariable) is { Length: > 0 } dir ? dir : Path.Combine(AppContext.BaseDirectory, "client");

    /// <summary>
    /// Maps <c>{enginePath}socket.io.js</c> (and the other <see cref="V4Files"/>) and <see cref="V2Route"/>.
    /// These are explicit endpoints: the Engine.IO endpoint's route matches only its own path, never a file
    /// name below it, so these routes are the ones that answer. Returns the number of files found.
    /// </summary>
    public static int Map(WebApplication app, string enginePath, string? directory = null)
    {
        directory ??= DefaultDirectory;
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("SocketIo.Node.ClientBundle");
        var prefix = "/" + enginePath.Trim('/') + "/";
        var routes = V4Files
            .Select(f => (Route: prefix + f, File: Path.Combine(directory, "socket.io-client", f)))
            .Append((Route: V2Route, File: Path.Combine(directory, "socket.io-client-v2", "socket.io.js")))
            .ToList();

        var found = 0;
        var missing = new List<string>();
        foreach (var (route, file) in routes)
        {
            var asset = StaticAsset.TryLoad(file, ContentTypeOf(file));
            if (asset is null)
            {
                missing.Add(route);
                app.MapMethods(route, ["GET", "HEAD"], (HttpContext http) => WriteMissingAsync(http));
                continue;
            }
            found++;
            app.MapMethods(route, ["GET", "HEAD"], (HttpContext http) => asset.WriteAsync(http));
        }
        if (missing.Count > 0)
            Log.ClientFilesMissing(logger, directory, string.Join(", ", missing));
        else
            Log.ClientServed(logger, prefix + "socket.io.js", V2Route);
        return found;
    }

    private static string ContentTypeOf(string file) =>
        file.EndsWith(".map", StringComparison.Ordinal) ? "application/json; charset=utf-8" : "application/javascript; charset=utf-8";

    private static Task WriteMissingAsync(HttpContext http)
    {
        http.Response.StatusCode = StatusCodes.Status404NotFound;
        http.Response.ContentType = "text/plain; charset=utf-8";
        return HttpMethods.IsHead(http.Request.Method) ? Task.CompletedTask : http.Response.WriteAsync(MissingHint);
    }

    /// <summary>
    /// A file held in memory with a strong ETag (a hash of its bytes). Answers 304 when <c>If-None-Match</c>
    /// names that ETag (strong or weak form, or <c>*</c>); otherwise 200 with <c>Cache-Control: public, max-age=0</c>
    /// as socket.io does, so browsers keep the file and revalidate it on each load.
    /// </summary>
    public sealed class StaticAsset
    {
        private readonly byte[] _content;

        public StaticAsset(byte[] content, string contentType)
        {
            _content = content;
            ContentType = contentType;
            ETag = "\"" + Convert.ToHexStringLower(SHA256.HashData(content).AsSpan(0, 12)) + "\"";
        }

        public string ContentType { get; }

        /// <summary>The quoted strong ETag.</summary>
        public string ETag { get; }

        public int Length => _content.Length;

        /// <summary>Loads <paramref name="path"/>; null when it does not exist or cannot be read.</summary>
        public static StaticAsset? TryLoad(string path, string contentType)
        {
            try
            {
                return File.Exists(path) ? new StaticAsset(File.ReadAllBytes(path), contentType) : null;
            }
            catch (IOException)
            {
                return null;
            }
            catch (UnauthorizedAccessException)
            {
                return null;
            }
        }

        public Task WriteAsync(HttpContext http)
        {
            var response = http.Response;
            response.Headers.ETag = ETag;
            response.Headers.CacheControl = "public, max-age=0";
            if (Matches(http.Request.Headers.IfNoneMatch))
            {
                response.StatusCode = StatusCodes.Status304NotModified;
                return Task.CompletedTask;
            }
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = ContentType;
            response.ContentLength = _content.Length;
            return HttpMethods.IsHead(http.Request.Method) ? Task.CompletedTask : response.Body.WriteAsync(_content).AsTask();
        }

        private bool Matches(Microsoft.Extensions.Primitives.StringValues ifNoneMatch)
        {
            foreach (var header in ifNoneMatch)
            {
                if (header is null) continue;
                foreach (var raw in header.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    var tag = raw.StartsWith("W/", StringComparison.Ordinal) ? raw[2..] : raw;
                    if (tag == "*" || tag == ETag) return true;
                }
            }
            return false;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 4001, Level = LogLevel.Warning,
            Message = "socket.io client files not found under {Directory}; {Routes} answer 404 until `npm ci` runs in src/Node/client and src/Node is rebuilt")]
        public static partial void ClientFilesMissing(ILogger logger, string directory, string routes);

        [LoggerMessage(EventId = 4002, Level = LogLevel.Debug, Message = "serving the socket.io client at {V4Route} and {V2Route}")]
        public static partial void ClientServed(ILogger logger, string v4Route, string v2Route);
    }
}
