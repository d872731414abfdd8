namespace SocketIo.Actors.Protocol;

/// <summary>Limits that protect the server from hostile input; each breach is a <see cref="ProtocolError"/>.</summary>
public sealed record SocketPacketDecoderOptions
{
    public static readonly SocketPacketDecoderOptions Default = new();

    /// <summary>Most binary attachments one packet may announce (<c>5&lt;n&gt;-</c>).</summary>
    public int MaxAttachments { get; init; } = 10;

    /// <summary>
    /// Most nested JSON containers in a payload, the payload's own array or object included
    /// (so <c>["a",{"b":[1]}]</c> has depth 3). Enforced while reading, without recursion.
    /// </summary>
    public int MaxDepth { get; init; } = 32;

    /// <summary>Largest text part accepted, in UTF-8 bytes.</summary>
    public int MaxTextLength { get; init; } = 1_000_000;
}
