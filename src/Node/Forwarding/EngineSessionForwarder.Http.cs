using Akka.Actor;
using SocketIo.Node.Forwarding.Internal;
using SocketIo.Transport.EngineIo;
using static SocketIo.Node.Forwarding.EngineForwardingProtocol;

namespace SocketIo.Node.Forwarding;

/// <summary>Polling requests: the entry forwards one and writes the answer; the owner serves it on a synthetic request.</summary>
public sealed partial class EngineSessionForwarder
{
    private async ValueTask<bool> ForwardHttpAsync(EngineIoServer server, HttpContext context, string sid, Peer peer, CancellationToken cancellationToken)
    {
        var request = context.Request;
        var body = Array.Empty<byte>();
        if (HttpMethods.IsPost(request.Method))
        {
            // As the owner would answer (413, session kept), without sending the oversized body across.
            var limit = server.Options.MaxHttpBufferSize;
            if (request.ContentLength > limit || await ReadBodyAsync(request.Body, limit, cancellationToken) is not { } read)
            {
                context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                return true;
            }

            body = read;
        }

        var id = Guid.NewGuid();
        var answer = new TaskCompletionSource<IForwardingMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = answer;
        try
        {
            Send(peer.Forwarder, new ForwardHttpRequest(id, request.Method, request.Path.Value ?? "/", request.QueryString.Value ?? "", HeadersOf(request), body));
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, peer.Gone.Token, _stopping.Token);
            // The owner holds a GET at most until its next ping (pingInterval), and a client without pong is closed after pingTimeout.
            wait.CancelAfter(server.Options.PingInterval + server.Options.PingTimeout + AnswerMargin);
            IForwardingMessage reply;
            try
            {
                reply = await answer.Task.WaitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                if (cancellationToken.IsCancellationRequested || _stopping.IsCancellationRequested)
                {
                    // The client dropped the request, or this node is stopping: so does the owner (a held GET closes the
                    // session, as it would there). A stopping node answers unknown sid; its client reconnects elsewhere.
                    Send(peer.Forwarder, new CancelHttpRequest(id));
                    return !_stopping.IsCancellationRequested || cancellationToken.IsCancellationRequested;
                }

                ForwardingLog.NoAnswer(_logger, sid, peer.Address.ToString(), peer.Gone.IsCancellationRequested ? "the member is unreachable or gone" : "timed out");
                return false;
            }

            await WriteAnswerAsync(context, (ForwardedHttpResponse)reply, cancellationToken);
            return true;
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    /// <summary>Reads a whole body, or returns null once it exceeds <paramref name="limit"/> bytes.</summary>
    private static async Task<byte[]?> ReadBodyAsync(Stream body, long limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int n;
        while ((n = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + n > limit) return null;
            buffer.Write(chunk, 0, n);
        }

        return buffer.ToArray();
    }

    /// <summary>Owner side: serves a forwarded polling request with the engine of its path, off the actor, and answers the entry.</summary>
    internal void ServeHttp(ForwardHttpRequest message, IActorRef entry) => _ = ServeHttpAsync(message, entry);

    private async Task ServeHttpAsync(ForwardHttpRequest message, IActorRef entry)
    {
        if (!TryFindServer(message.Path, out var server))
        {
            Send(entry, UnknownSid(message.RequestId, webSocket: false));
            return;
        }

        using var aborted = new CancellationTokenSource();
        _served[message.RequestId] = aborted;
        try
        {
            var context = ForwardedContext.Create(message.Method, message.Path, message.QueryString, message.Headers, message.Body, aborted.Token, webSocket: null);
            context.Context.Items[ForwardedItemKey] = true;
            await server.HandleRequestAsync(context.Context);
            Send(entry, context.Answer(message.RequestId));
        }
        catch (Exception exception)
        {
            ForwardingLog.ServeFailed(_logger, exception, message.Method, message.QueryString);
            Send(entry, new ForwardedHttpResponse(message.RequestId, StatusCodes.Status500InternalServerError, [], []));
        }
        finally
        {
            _served.TryRemove(message.RequestId, out _);
        }
    }
}
