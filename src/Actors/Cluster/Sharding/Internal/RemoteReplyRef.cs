using Akka.Actor;

namespace SocketIo.Actors.Cluster.Sharding.Internal;

/// <summary>
/// What an entity (or a socket) sees as <c>Sender</c> of a message whose sender lives on another
/// node: telling it publishes the reply to that node, where the registered actor gets it (with no
/// sender). It is not an actor: watching it never yields <see cref="Terminated"/>.
/// </summary>
internal sealed class RemoteReplyRef : MinimalActorRef
{
    private readonly ReplyChannel _channel;

    public RemoteReplyRef(IActorRefProvider provider, ReplyAddress address, ReplyChannel channel)
    {
        Address = address;
        _channel = channel;
        Provider = provider;
        Path = provider.RootPath / "remote-sender" / EntityNames.Escape(address.OriginNode) / EntityNames.Escape(address.CorrelationId);
    }

    public ReplyAddress Address { get; }

    public override ActorPath Path { get; }

    public override IActorRefProvider Provider { get; }

    protected override void TellInternal(object message, IActorRef sender) => _channel.SendReply(Address, message);

    public override bool Equals(object? obj) => obj is RemoteReplyRef r && r.Address == Address;

    public override int GetHashCode() => Address.GetHashCode();

    public override string ToString() => $"RemoteReplyRef[{Path}]";
}

/// <summary>Where a reply goes: the origin node's reply key on an exchange, and the correlation id of the sender there.</summary>
internal sealed record ReplyAddress(string OriginNode, string Exchange, string RoutingKey, string CorrelationId);
