namespace SocketIo.Actors.Protocol;

/// <summary>Why an incoming Socket.IO packet was rejected.</summary>
public enum ProtocolErrorCode
{
    EmptyPacket,
    PacketTooLarge,
    InvalidUtf8,
    UnknownPacketType,
    IllegalAttachments,
    AttachmentsExceedLimit,
    InvalidNamespace,
    InvalidAckId,
    InvalidJson,
    NestingTooDeep,
    InvalidPayload,
    InvalidPlaceholder,
    UnexpectedText,
    UnexpectedAttachment,
}

/// <summary>
/// A malformed or out-of-order packet. The connection that sent it must be closed; the decoder
/// never throws for bad input, it returns one of these instead.
/// </summary>
public sealed record ProtocolError(ProtocolErrorCode Code, string Message)
{
    public static readonly ProtocolError EmptyPacket = new(ProtocolErrorCode.EmptyPacket, "empty packet");
    public static readonly ProtocolError PacketTooLarge = new(ProtocolErrorCode.PacketTooLarge, "packet too large");
    public static readonly ProtocolError InvalidUtf8 = new(ProtocolErrorCode.InvalidUtf8, "invalid utf-8");
    public static readonly ProtocolError UnknownPacketType = new(ProtocolErrorCode.UnknownPacketType, "unknown packet type");
    public static readonly ProtocolError IllegalAttachments = new(ProtocolErrorCode.IllegalAttachments, "illegal attachments");
    public static readonly ProtocolError AttachmentsExceedLimit = new(ProtocolErrorCode.AttachmentsExceedLimit, "attachments count exceeds limit");
    public static readonly ProtocolError InvalidNamespace = new(ProtocolErrorCode.InvalidNamespace, "invalid namespace");
    public static readonly ProtocolError InvalidAckId = new(ProtocolErrorCode.InvalidAckId, "invalid ack id");
    public static readonly ProtocolError InvalidJson = new(ProtocolErrorCode.InvalidJson, "invalid json");
    public static readonly ProtocolError NestingTooDeep = new(ProtocolErrorCode.NestingTooDeep, "payload nesting exceeds limit");
    public static readonly ProtocolError InvalidPayload = new(ProtocolErrorCode.InvalidPayload, "invalid payload");
    public static readonly ProtocolError InvalidPlaceholder = new(ProtocolErrorCode.InvalidPlaceholder, "invalid attachment placeholder");
    public static readonly ProtocolError UnexpectedText = new(ProtocolErrorCode.UnexpectedText, "got plaintext data when reconstructing a packet");
    public static readonly ProtocolError UnexpectedAttachment = new(ProtocolErrorCode.UnexpectedAttachment, "got binary data when not reconstructing a packet");

    public override string ToString() => Message;
}
