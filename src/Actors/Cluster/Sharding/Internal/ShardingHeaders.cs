namespace SocketIo.Actors.Cluster.Sharding.Internal;

/// <summary>Header names and message kinds of the sharding wire format (the body is the serialized message).</summary>
internal static class ShardingHeaders
{
    /// <summary>What the message is: one of the Kind* values; absent on entity messages.</summary>
    public const string Kind = "sio-kind";

    /// <summary>Entity id of an entity message; socket id of a socket message.</summary>
    public const string Target = "sio-target";

    /// <summary>Manifest (registered type name) of the body.</summary>
    public const string Manifest = "sio-type";

    /// <summary>Node the message comes from.</summary>
    public const string Origin = "sio-origin";

    /// <summary>Exchange of the reply key in ReplyTo.</summary>
    public const string ReplyExchange = "sio-reply-x";

    /// <summary>Shard id of a hand-off.</summary>
    public const string Shard = "sio-shard";

    /// <summary>Hand-off id.</summary>
    public const string HandOffId = "sio-handoff";

    public const string KindReply = "reply";
    public const string KindHello = "hello";
    public const string KindHelloBack = "hello-back";
    public const string KindBye = "bye";
    public const string KindHandOff = "handoff";
    public const string KindSocket = "socket";
    public const string KindLocated = "located";
    public const string KindNotHere = "not-here";

    /// <summary>Manifest of a <c>Status.Failure</c> reply: the body is "type\nmessage".</summary>
    public const string FailureManifest = "!failure";
}
