using System.Text;
using Akka.Actor;
using Microsoft.Extensions.Logging;
using SocketIo.Actors.Cluster.Broker;

namespace SocketIo.Actors.Cluster.Sharding.Internal;

/// <summary>
/// The reply half shared by regions and the socket directory: registers local senders, stamps
/// their reply address on outgoing messages, turns an incoming reply address into a
/// <see cref="RemoteReplyRef"/>, publishes replies and hands incoming replies to the registered actor.
/// </summary>
internal sealed class ReplyChannel : IDisposable
{
    private readonly ActorSystem _system;
    private readonly IShardingSerializer _serializer;
    private readonly SerialPublisher _publisher;
    private readonly ILogger _logger;
    private readonly string _component;
    private readonly IActorRefProvider _provider;

    public ReplyChannel(ActorSystem system, IShardingSerializer serializer, SerialPublisher publisher, ILogger logger, string component, string nodeId, string replyExchange, string replyKey, TimeSpan timeout, TimeProvider clock)
    {
        _system = system;
        _serializer = serializer;
        _publisher = publisher;
        _logger = logger;
        _component = component;
        NodeId = nodeId;
        ReplyExchange = replyExchange;
        ReplyKey = replyKey;
        Registry = new ReplyRegistry(clock, timeout);
        _provider = ((ExtendedActorSystem)system).Provider;
    }

    public string NodeId { get; }

    public string ReplyExchange { get; }

    public string ReplyKey { get; }

    public ReplyRegistry Registry { get; }

    /// <summary>
    /// Adds the reply address of <paramref name="sender"/> to an outgoing message: a local actor is
    /// registered here; a remote sender (forwarded) keeps its own origin; no sender adds nothing.
    /// </summary>
    public BrokerMessage Stamp(BrokerMessage message, IActorRef? sender, Dictionary<string, string> headers)
    {
        if (sender is null || sender.Equals(ActorRefs.Nobody) || sender.Equals(_system.DeadLetters))
        {
            return message with { Headers = headers };
        }

        var address = sender is RemoteReplyRef remote
            ? remote.Address
            : new ReplyAddress(NodeId, ReplyExchange, ReplyKey, Registry.Register(sender));
        headers[ShardingHeaders.Origin] = address.OriginNode;
        headers[ShardingHeaders.ReplyExchange] = address.Exchange;
        return message with { Headers = headers, ReplyTo = address.RoutingKey, CorrelationId = address.CorrelationId };
    }

    /// <summary>The sender to show for an incoming message: a reply proxy when it carries a reply address, else none.</summary>
    public IActorRef? SenderOf(BrokerMessage message)
    {
        if (message.ReplyTo is not { Length: > 0 } replyTo || message.CorrelationId is not { Length: > 0 } correlation)
        {
            return ActorRefs.NoSender;
        }

        var origin = message.Headers.GetValueOrDefault(ShardingHeaders.Origin) ?? "?";
        var exchange = message.Headers.GetValueOrDefault(ShardingHeaders.ReplyExchange) ?? ReplyExchange;
        return new RemoteReplyRef(_provider, new ReplyAddress(origin, exchange, replyTo, correlation), this);
    }

    /// <summary>Publishes <paramref name="reply"/> to its origin; a reply that cannot be serialized is logged and dropped.</summary>
    public void SendReply(ReplyAddress address, object reply)
    {
        SerializedMessage body;
        if (reply is Status.Failure failure)
        {
            var text = $"{failure.Cause.GetType().FullName}\n{failure.Cause.Message}";
            body = new SerializedMessage(ShardingHeaders.FailureManifest, Encoding.UTF8.GetBytes(text));
        }
        else
        {
            try
            {
                body = _serializer.Serialize(reply);
            }
            catch (ShardingSerializationException ex)
            {
                ShardingLog.NotSerializable(_logger, _component, reply.GetType().FullName ?? reply.GetType().Name, ex.Message);
                return;
            }
        }

        _publisher.Enqueue(new BrokerMessage(address.Exchange, address.RoutingKey, body.Payload)
        {
            CorrelationId = address.CorrelationId,
            Headers = new Dictionary<string, string>
            {
                [ShardingHeaders.Kind] = ShardingHeaders.KindReply,
                [ShardingHeaders.Manifest] = body.Manifest,
                [ShardingHeaders.Origin] = NodeId,
            },
        });
    }

    /// <summary>Hands an incoming reply to the registered actor (dropped, logged at debug, when the registration expired).</summary>
    public void Deliver(BrokerDelivery delivery)
    {
        var message = delivery.Message;
        if (message.CorrelationId is not { } correlation || message.Headers.GetValueOrDefault(ShardingHeaders.Manifest) is not { } manifest)
        {
            ShardingLog.MalformedDelivery(_logger, _component, delivery.Queue, "reply without correlation id or type");
            return;
        }

        if (!Registry.TryGet(correlation, out var target))
        {
            ShardingLog.ReplyTargetGone(_logger, _component, correlation);
            return;
        }

        object reply;
        try
        {
            reply = Decode(manifest, message.Body);
        }
        catch (ShardingSerializationException ex)
        {
            ShardingLog.UndecodableMessage(_logger, _component, "(reply)", ex.Message);
            return;
        }

        target.Tell(reply, ActorRefs.NoSender);
    }

    /// <summary>Decodes a body, including the <c>Status.Failure</c> form.</summary>
    public object Decode(string manifest, ReadOnlyMemory<byte> body)
    {
        if (manifest == ShardingHeaders.FailureManifest)
        {
            var text = Encoding.UTF8.GetString(body.Span);
            var newline = text.IndexOf('\n', StringComparison.Ordinal);
            return new Status.Failure(newline < 0
                ? new ShardingRemoteException("System.Exception", text)
                : new ShardingRemoteException(text[..newline], text[(newline + 1)..]));
        }

        return _serializer.Deserialize(manifest, body);
    }

    public void Dispose() => Registry.Dispose();
}
