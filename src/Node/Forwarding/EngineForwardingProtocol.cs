namespace SocketIo.Node.Forwarding;

/// <summary>
/// The messages between the nodes' <see cref="EngineForwarderActor"/>s (Akka.Remote, written by
/// <see cref="EngineForwardingSerializer"/>): a polling request for a session another node owns goes there and
/// its answer comes back; a WebSocket upgrade for such a session opens a relay whose messages travel one by one.
/// Requests and relays are named by ids the entry node draws (random GUIDs, so ids of different entry nodes never
/// meet on an owner). Header lists keep their order and repeated names; bodies and frames cross as they are.
/// </summary>
public static class EngineForwardingProtocol
{
    /// <summary>Every forwarding message; the serializer is bound to this type.</summary>
    public interface IForwardingMessage;

    /// <summary>Entry → owner: serve this polling request (GET or POST, its body at most maxHttpBufferSize) with the engine of <paramref name="Path"/>.</summary>
    public sealed record ForwardHttpRequest(
        Guid RequestId,
        string Method,
        string Path,
        string QueryString,
        IReadOnlyList<KeyValuePair<string, string>> Headers,
        byte[] Body) : IForwardingMessage;

    /// <summary>Owner → entry: the answer of a <see cref="ForwardHttpRequest"/>, or the refusal of an <see cref="OpenRelay"/> (same id).</summary>
    public sealed record ForwardedHttpResponse(
        Guid RequestId,
        int Status,
        IReadOnlyList<KeyValuePair<string, string>> Headers,
        byte[] Body) : IForwardingMessage;

    /// <summary>Entry → owner: the client dropped the request (a held GET); the owner's request is aborted.</summary>
    public sealed record CancelHttpRequest(Guid RequestId) : IForwardingMessage;

    /// <summary>Entry → owner: a WebSocket upgrade for a session of the owner; the entry has not answered the client yet.</summary>
    public sealed record OpenRelay(
        Guid RelayId,
        string Path,
        string QueryString,
        IReadOnlyList<KeyValuePair<string, string>> Headers) : IForwardingMessage;

    /// <summary>Owner → entry: the owner's engine accepted the upgrade; the entry accepts the client's WebSocket.</summary>
    public sealed record RelayOpened(Guid RelayId) : IForwardingMessage;

    /// <summary>Either way: one whole WebSocket message, text (UTF-8) or binary.</summary>
    public sealed record RelayFrame(Guid RelayId, byte[] Data, bool IsBinary) : IForwardingMessage;

    /// <summary>Either way: this side has written <paramref name="Bytes"/> more bytes of the other side's frames to its socket (flow control).</summary>
    public sealed record RelayAck(Guid RelayId, long Bytes) : IForwardingMessage;

    /// <summary>Either way: this side's WebSocket is closed (or lost); the other side closes its own.</summary>
    public sealed record RelayClosed(Guid RelayId) : IForwardingMessage;

    /// <summary>
    /// One part of a message too large for one Akka.Remote frame (<c>maximum-frame-size</c>, 128,000 bytes by default):
    /// the serialized message (<paramref name="Manifest"/>, <paramref name="TotalLength"/> bytes) is sent in parts of at
    /// most <see cref="MaxFragmentBytes"/>, one after the other, and read once the last has arrived. Parts of one
    /// message are never interleaved with later messages of the same sender, so the order of messages is kept.
    /// </summary>
    public sealed record Fragment(Guid MessageId, string Manifest, int TotalLength, byte[] Part) : IForwardingMessage;

    /// <summary>The largest part of a <see cref="Fragment"/>; messages whose payload may exceed it are fragmented.</summary>
    public const int MaxFragmentBytes = 64 * 1024;
}
