using SocketIo.Actors.Kernel;

namespace SocketIo.Actors.Cluster.Sharding.Internal;

/// <summary>
/// What an entity (or a socket) sees as <c>Sender</c> of a message whose sender lives on another
/// node: telling it publishes the reply to that node, where the registered actor gets it (with no
/// sender). It is not an actor: watching it never yields <see cref="Terminated"/>.
/// </summary>
internal sealed class RemoteReplyRef : IActorRef
{
    private readonly ReplyChannel _channel;

    public RemoteReplyRef(ActorPath root, ReplyAddress address, ReplyChannel channel)
    {
        Address = address;
        _channel = channel;
        Path = root.Child("remote-sender").Child(EntityNames.Escape(address.OriginNode)).Child(EntityNames.Escape(address.CorrelationId));
    }

    public ReplyAddress Address { get; }

    public ActorPath Path { get; }

    public void Tell(object message, IActorRef? sender) => _channel.SendReply(Address, message);

    public bool Equals(IActorRef? other) => other is RemoteReplyRef r && r.Address == Address;

    public override bool Equals(object? obj) => obj is IActorRef other && Equals(other);

    public override int GetHashCode() => Address.GetHashCode();

    public int CompareTo(IActorRef? other) => string.CompareOrdinal(Path.ToString(), other?.Path.ToString());

    public override string ToString() => $"RemoteReplyRef[{Path}]";
}

/// <summary>Where a reply goes: the origin node's reply key on an exchange, and the correlation id of the sender there.</summary>
internal sealed record ReplyAddress(string OriginNode, string Exchange, string RoutingKey, string CorrelationId);
