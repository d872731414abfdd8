using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using SocketIo.Transport.EngineIo.Protocol;

namespace SocketIo.Transport.EngineIo.Internal;

/// <summary>The HTTP side of long-polling: reading a POST's body (the transport stage decodes it) and writing a GET's payload.</summary>
internal static class PollingHttp
{
    private static readonly byte[] OkBody = "ok"u8.ToArray();

    /// <summary>What reading a POST body gave.</summary>
    internal enum PostOutcome
    {
        /// <summary>The body was read, to be decoded.</summary>
        Parsed,

        /// <summary>Over MaxHttpBufferSize: answered 413, the session is kept (as the reference).</summary>
        TooLarge,

        /// <summary>A binary body from a v4 client: answered 400, the session is to close with <c>transport error</c>.</summary>
        InvalidContent,

        /// <summary>The client dropped the request before the body was complete.</summary>
        Aborted,
    }

    /// <summary>
    /// Reads a POST body incrementally up to <paramref name="limit"/> bytes; the payload is decoded by the transport
    /// stage. Answers 413 or 400 itself for <see cref="PostOutcome.TooLarge"/> and <see cref="PostOutcome.InvalidContent"/>.
    /// <paramref name="isBinary"/> is a v3 client's binary (XHR2) payload.
    /// </summary>
    public static async Task<(PostOutcome Outcome, byte[] Body, bool IsBinary)> ReadBodyAsync(
        HttpContext context, int protocol, long limit, EngineMetrics metrics, ILogger logger, string sid)
    {
        var request = context.Request;
        var isBinary = IsOctetStream(request.ContentType);
        if (isBinary && protocol != 3)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return (PostOutcome.InvalidContent, [], false);
        }

        if (request.ContentLength > limit)
        {
            EngineLog.PayloadTooLarge(logger, sid, limit);
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            return (PostOutcome.TooLarge, [], false);
        }

        var reader = request.BodyReader;
        ReadResult result;
        try
        {
            while (true)
            {
                result = await reader.ReadAsync(context.RequestAborted);
                if (result.Buffer.Length > limit)
                {
                    reader.AdvanceTo(result.Buffer.End);
                    EngineLog.PayloadTooLarge(logger, sid, limit);
                    context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                    return (PostOutcome.TooLarge, [], false);
                }

                if (result.IsCompleted || result.IsCanceled)
                {
                    break;
                }

                reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
            }
        }
        catch (Exception exception) when (exception is IOException or OperationCanceledException or BadHttpRequestException)
        {
            EngineLog.TransportFailed(logger, exception, sid);
            return (PostOutcome.Aborted, [], false);
        }

        var body = result.Buffer.ToArray();
        reader.AdvanceTo(result.Buffer.End);
        metrics.BytesIn.Add(body.Length);
        return (PostOutcome.Parsed, body, isBinary);
    }

    /// <summary>Answers a POST whose packets were delivered: 200 <c>ok</c>.</summary>
    public static Task WriteOkAsync(HttpContext context)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        // text/html rather than text/plain avoids a download dialog on some user agents (reference, GH-43).
        response.ContentType = "text/html";
        response.ContentLength = 2;
        response.Headers.CacheControl = "no-store";
        return response.Body.WriteAsync(OkBody, context.RequestAborted).AsTask();
    }

    /// <summary>Answers a GET with <paramref name="packets"/> as one payload; a client gone meanwhile is only logged (the heartbeat notices a dead client).</summary>
    public static async Task WritePayloadAsync(HttpContext context, EnginePacket[] packets, int protocol, bool supportsBinary, EngineMetrics metrics, ILogger logger, string sid)
    {
        using var buffer = new PooledBufferWriter(512);
        bool binary;
        if (protocol == 3)
        {
            binary = PayloadCodecV3.RequiresBinaryPayload(packets, supportsBinary);
            PayloadCodecV3.Write(packets, supportsBinary, buffer);
        }
        else
        {
            binary = false;
            PayloadCodecV4.Write(packets, buffer);
        }

        metrics.PacketsOut.Add(packets.Length);
        metrics.BytesOut.Add(buffer.WrittenCount);
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = binary ? "application/octet-stream" : "text/plain; charset=UTF-8";
        response.ContentLength = buffer.WrittenCount;
        response.Headers.CacheControl = "no-store";
        try
        {
            await response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted);
        }
        catch (Exception exception) when (exception is IOException or OperationCanceledException)
        {
            EngineLog.TransportFailed(logger, exception, sid);
        }
    }

    private static bool IsOctetStream(string? contentType) =>
        contentType is not null
        && contentType.AsSpan().Trim().StartsWith("application/octet-stream", StringComparison.OrdinalIgnoreCase);
}
