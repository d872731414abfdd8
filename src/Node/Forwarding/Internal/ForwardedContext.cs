using Microsoft.AspNetCore.Http.Features;
using static SocketIo.Node.Forwarding.EngineForwardingProtocol;

namespace SocketIo.Node.Forwarding.Internal;

/// <summary>
/// The synthetic request an owner serves for another node: method, path, query and headers as the client sent them
/// to the entry, the body from memory, the answer written to memory and sent back as a <see cref="ForwardedHttpResponse"/>.
/// </summary>
internal sealed class ForwardedContext
{
    private readonly HttpResponseFeature _response;
    private readonly MemoryStream _body;

    private ForwardedContext(DefaultHttpContext context, HttpResponseFeature response, MemoryStream body)
    {
        Context = context;
        _response = response;
        _body = body;
    }

    public DefaultHttpContext Context { get; }

    /// <summary>A request with the given head and body; <paramref name="webSocket"/> makes it a WebSocket upgrade.</summary>
    public static ForwardedContext Create(
        string method,
        string path,
        string queryString,
        IReadOnlyList<KeyValuePair<string, string>> headers,
        byte[] body,
        CancellationToken aborted,
        IHttpWebSocketFeature? webSocket)
    {
        var requestHeaders = new HeaderDictionary();
        foreach (var (name, value) in headers) requestHeaders.Append(name, value);
        if (body.Length > 0 || HttpMethods.IsPost(method)) requestHeaders.ContentLength = body.Length;
        var features = new FeatureCollection();
        features.Set<IHttpRequestFeature>(new HttpRequestFeature
        {
            Method = method,
            Scheme = "http",
            Protocol = "HTTP/1.1",
            PathBase = "",
            Path = path,
            QueryString = queryString,
            RawTarget = path + queryString,
            Headers = requestHeaders,
            Body = new MemoryStream(body, writable: false),
        });
        var response = new HttpResponseFeature();
        features.Set<IHttpResponseFeature>(response);
        var responseBody = new MemoryStream();
        features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(responseBody));
        features.Set<IHttpRequestLifetimeFeature>(new HttpRequestLifetimeFeature { RequestAborted = aborted });
        features.Set<IHttpConnectionFeature>(new HttpConnectionFeature { ConnectionId = "forwarded" });
        if (webSocket is not null) features.Set(webSocket);
        return new ForwardedContext(new DefaultHttpContext(features), response, responseBody);
    }

    /// <summary>What the engine answered: status, headers (in order, repeated names kept) and body.</summary>
    public ForwardedHttpResponse Answer(Guid requestId)
    {
        var headers = new List<KeyValuePair<string, string>>(_response.Headers.Count);
        foreach (var (name, values) in _response.Headers)
        {
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)) continue;
            foreach (var value in values) headers.Add(new(name, value ?? ""));
        }

        return new ForwardedHttpResponse(requestId, _response.StatusCode, headers, _body.ToArray());
    }
}
