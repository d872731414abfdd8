using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace SocketIo.Transport.EngineIo.Internal;

/// <summary>HTTP details shared by the request paths: error bodies, CORS, query values.</summary>
internal static class EngineHttp
{
    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// Writes an Engine.IO error as the reference does: HTTP requests get 400 (403 for Forbidden) with
    /// <c>{"code":N,"message":"..."}</c> as application/json; WebSocket handshakes get 400 with the message
    /// as text/html and <c>Connection: close</c>. <paramref name="status"/> replaces the HTTP status when given.
    /// </summary>
    public static Task WriteErrorAsync(HttpContext context, int code, string? message, bool isWebSocket, int? status = null)
    {
        var response = context.Response;
        message = string.IsNullOrEmpty(message) ? EngineErrors.Message(code) : message;
        byte[] body;
        if (isWebSocket)
        {
            response.StatusCode = StatusCodes.Status400BadRequest;
            response.ContentType = "text/html";
            response.Headers.Connection = "close";
            body = Encoding.UTF8.GetBytes(message);
            if (status is { } wsStatus)
            {
                response.StatusCode = wsStatus;
            }
        }
        else
        {
            response.StatusCode = status ?? (code == EngineErrors.Forbidden ? StatusCodes.Status403Forbidden : StatusCodes.Status400BadRequest);
            response.ContentType = "application/json";
            var buffer = new ArrayBufferWriter<byte>(64);
            using (var json = new Utf8JsonWriter(buffer, JsonOptions))
            {
                json.WriteStartObject();
                json.WriteNumber("code", code);
                json.WriteString("message", message);
                json.WriteEndObject();
            }

            body = buffer.WrittenSpan.ToArray();
        }

        response.ContentLength = body.Length;
        return response.Body.WriteAsync(body, 0, body.Length, context.RequestAborted);
    }

    /// <summary>
    /// Adds CORS headers as the npm <c>cors</c> module does. Returns true when the request was a preflight
    /// (OPTIONS) and has been answered 204.
    /// </summary>
    public static bool ApplyCors(HttpContext context, EngineIoCorsOptions cors)
    {
        var request = context.Request;
        var headers = context.Response.Headers;
        var origin = request.Headers.Origin.ToString();
        if (cors.IsOriginAllowed is { } predicate)
        {
            if (origin.Length > 0 && predicate(origin))
            {
                headers.AccessControlAllowOrigin = origin;
            }

            AppendVary(headers, "Origin");
        }
        else if (cors.Origins.Contains("*"))
        {
            headers.AccessControlAllowOrigin = "*";
        }
        else
        {
            if (origin.Length > 0 && cors.Origins.Contains(origin))
            {
                headers.AccessControlAllowOrigin = origin;
            }

            AppendVary(headers, "Origin");
        }

        if (cors.AllowCredentials)
        {
            headers.AccessControlAllowCredentials = "true";
        }

        if (HttpMethods.IsOptions(request.Method))
        {
            headers.AccessControlAllowMethods = cors.Methods;
            var allowedHeaders = cors.AllowedHeaders;
            if (allowedHeaders is null)
            {
                allowedHeaders = request.Headers.AccessControlRequestHeaders.ToString();
                AppendVary(headers, "Access-Control-Request-Headers");
            }

            if (allowedHeaders.Length > 0)
            {
                headers.AccessControlAllowHeaders = allowedHeaders;
            }

            if (cors.MaxAgeSeconds is { } maxAge)
            {
                headers.AccessControlMaxAge = maxAge.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            if (!string.IsNullOrEmpty(cors.ExposedHeaders))
            {
                headers.AccessControlExposeHeaders = cors.ExposedHeaders;
            }

            context.Response.StatusCode = StatusCodes.Status204NoContent;
            context.Response.ContentLength = 0;
            return true;
        }

        if (!string.IsNullOrEmpty(cors.ExposedHeaders))
        {
            headers.AccessControlExposeHeaders = cors.ExposedHeaders;
        }

        return false;
    }

    /// <summary>The last value of a query parameter (as Node's <c>Object.fromEntries(searchParams)</c>), or null.</summary>
    public static string? Query(HttpRequest request, string name)
    {
        var values = request.Query[name];
        return values.Count == 0 ? null : values[values.Count - 1];
    }

    /// <summary>True when a header value holds a character Node rejects in header values (the reference's origin check).</summary>
    public static bool HasInvalidHeaderChar(StringValues values)
    {
        foreach (var value in values)
        {
            if (value is null)
            {
                continue;
            }

            foreach (var c in value)
            {
                if ((c < 0x20 && c != '\t') || c == 0x7F || c > 0xFF)
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static void AppendVary(IHeaderDictionary headers, string value)
    {
        var existing = headers.Vary.ToString();
        if (existing.Length == 0)
        {
            headers.Vary = value;
        }
        else if (!existing.Contains(value, StringComparison.OrdinalIgnoreCase))
        {
            headers.Vary = existing + ", " + value;
        }
    }
}
