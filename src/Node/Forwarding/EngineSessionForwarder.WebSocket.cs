using System.IO.Pipelines;
using System.Net.WebSockets;
using Akka.Actor;
using Microsoft.AspNetCore.Http.Features;
using SocketIo.Node.Forwarding.Internal;
using SocketIo.Transport.EngineIo;
using static SocketIo.Node.Forwarding.EngineForwardingProtocol;

namespace SocketIo.Node.Forwarding;

/// <summary>
/// WebSocket upgrades for a session of another member: a relay per socket. The entry keeps the client's WebSocket,
/// the owner an in-memory WebSocket pair whose server end its engine accepted; between them whole messages travel
/// in order (Akka.Remote keeps the order of one sender's messages), text or binary as they were.
/// </summary>
public sealed partial class EngineSessionForwarder
{
    /// <summary>How long the owner may take to accept or refuse an upgrade before the entry answers unknown sid.</summary>
    private static readonly TimeSpan OpenTimeout = TimeSpan.FromSeconds(10);

    private async ValueTask<bool> RelayWebSocketAsync(EngineIoServer server, HttpContext context, string sid, Peer peer, CancellationToken cancellationToken)
    {
        var id = Guid.NewGuid();
        var relay = new Relay(id, sid, m => Send(peer.Forwarder, m), server.Options.MaxOutboundQueueBytes, server.Options.MaxHttpBufferSize, _logger) { IsEntry = true };
        var opened = new TaskCompletionSource<IForwardingMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        // Registered before the owner hears of it: frames it sends right after accepting wait in the relay.
        _relays[id] = relay;
        _pending[id] = opened;
        try
        {
            var request = context.Request;
            // Read now: the direct WebSocket path drops the request's headers once the socket is accepted.
            Send(peer.Forwarder, new OpenRelay(id, request.Path.Value ?? "/", request.QueryString.Value ?? "", HeadersOf(request)));
            IForwardingMessage outcome;
            using (var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, peer.Gone.Token, _stopping.Token))
            {
                wait.CancelAfter(OpenTimeout);
                try
                {
                    outcome = await opened.Task.WaitAsync(wait.Token);
                }
                catch (OperationCanceledException)
                {
                    Send(peer.Forwarder, new RelayClosed(id));
                    if (cancellationToken.IsCancellationRequested) return true;
                    ForwardingLog.NoAnswer(_logger, sid, peer.Address.ToString(), peer.Gone.IsCancellationRequested ? "the member is unreachable or gone" : "timed out");
                    return false;
                }
            }

            if (outcome is ForwardedHttpResponse refusal)
            {
                await WriteAnswerAsync(context, refusal, cancellationToken);
                return true;
            }

            using var gone = peer.Gone.Token.Register(static state => ((Relay)state!).Fail("the member owning the session is unreachable or gone"), relay);
            WebSocket socket;
            try
            {
                socket = await context.WebSockets.AcceptWebSocketAsync(AcceptContext);
            }
            catch
            {
                Send(peer.Forwarder, new RelayClosed(id));
                throw;
            }

            using (socket)
            {
                await relay.RunAsync(socket);
            }

            return true;
        }
        finally
        {
            _pending.TryRemove(id, out _);
            _relays.TryRemove(id, out _);
            relay.Dispose();
        }
    }

    /// <summary>Owner side: the engine of the path serves the upgrade on an in-memory WebSocket; off the actor.</summary>
    internal void ServeRelay(OpenRelay message, IActorRef entry) => _ = ServeRelayAsync(message, entry);

    private async Task ServeRelayAsync(OpenRelay message, IActorRef entry)
    {
        if (!TryFindServer(message.Path, out var server))
        {
            Send(entry, UnknownSid(message.RelayId, webSocket: true));
            return;
        }

        var sid = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(message.QueryString).TryGetValue("sid", out var sids) ? sids.ToString() : "";
        var relay = new Relay(message.RelayId, sid, m => Send(entry, m), server.Options.MaxOutboundQueueBytes, long.MaxValue, _logger);
        if (!_relays.TryAdd(message.RelayId, relay))
        {
            relay.Dispose();
            return;
        }

        using var pair = new InMemoryWebSocketPair();
        var entryPeer = PeerAt(entry.Path.Address);
        using var gone = entryPeer?.Gone.Token.Register(static state => ((Relay)state!).Fail("the entry member is unreachable or gone"), relay);
        // A stopped relay (failed, or its close grace over) takes the engine's socket down with it.
        using var stopping = relay.Stopping.Register(static state => ((WebSocket)state!).Abort(), pair.Server);
        var feature = new RelayWebSocketFeature(pair.Server, () =>
        {
            Send(entry, new RelayOpened(message.RelayId));
            return relay.RunAsync(pair.Client);
        });
        try
        {
            var context = ForwardedContext.Create(HttpMethods.Get, message.Path, message.QueryString, message.Headers, [], relay.Stopping, feature);
            context.Context.Items[ForwardedItemKey] = true;
            await server.HandleRequestAsync(context.Context);
            if (feature.Running is { } running)
            {
                // The engine is done with its socket (closed, or aborted after its close grace): the relay follows.
                await relay.FinishAsync(running);
            }
            else
            {
                Send(entry, context.Answer(message.RelayId));
            }
        }
        catch (Exception exception)
        {
            ForwardingLog.ServeFailed(_logger, exception, HttpMethods.Get, message.QueryString);
            relay.Fail("the owner failed to serve the upgrade");
            if (feature.Running is null) Send(entry, UnknownSid(message.RelayId, webSocket: true));
        }
        finally
        {
            _relays.TryRemove(message.RelayId, out _);
            relay.Dispose();
        }
    }

    /// <summary>The owner's WebSocket feature: accepting hands the engine the server end and starts the relay on the client end.</summary>
    private sealed class RelayWebSocketFeature(WebSocket server, Func<Task> onAccepted) : IHttpWebSocketFeature
    {
        public bool IsWebSocketRequest => true;

        public Task? Running { get; private set; }

        public Task<WebSocket> AcceptAsync(WebSocketAcceptContext context)
        {
            if (Running is not null) throw new InvalidOperationException("The WebSocket was already accepted.");
            Running = onAccepted();
            return Task.FromResult(server);
        }
    }

    /// <summary>
    /// Two WebSockets over two in-memory pipes: <see cref="Server"/> (what the owner's engine accepts) and
    /// <see cref="Client"/> (what the relay drives), as if the client were connected to this node.
    /// </summary>
    private sealed class InMemoryWebSocketPair : IDisposable
    {
        private readonly Pipe _toServer = new();
        private readonly Pipe _toClient = new();

        public InMemoryWebSocketPair()
        {
            Server = WebSocket.CreateFromStream(new DuplexPipeStream(_toServer.Reader, _toClient.Writer),
                new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = TimeSpan.Zero });
            Client = WebSocket.CreateFromStream(new DuplexPipeStream(_toClient.Reader, _toServer.Writer),
                new WebSocketCreationOptions { IsServer = false, KeepAliveInterval = TimeSpan.Zero });
        }

        public WebSocket Server { get; }

        public WebSocket Client { get; }

        public void Dispose()
        {
            Server.Abort();
            Client.Abort();
            Server.Dispose();
            Client.Dispose();
        }
    }
}
