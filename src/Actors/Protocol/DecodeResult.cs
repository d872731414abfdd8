using System.Diagnostics.CodeAnalysis;

namespace SocketIo.Actors.Protocol;

/// <summary>Outcome of feeding one Engine.IO message to the <see cref="SocketPacketDecoder"/>.</summary>
public enum DecodeStatus
{
    /// <summary>A whole packet is available in <see cref="DecodeResult.Packet"/>.</summary>
    Completed,

    /// <summary>A binary packet header was read; <see cref="DecodeResult.PendingAttachments"/> binary messages must follow.</summary>
    NeedMoreAttachments,

    /// <summary>The input is malformed; <see cref="DecodeResult.Error"/> says why. Close the connection.</summary>
    Error,
}

/// <summary>Result of <see cref="SocketPacketDecoder.TryDecodeText(ReadOnlySpan{byte}, ProtocolVersion, BinaryReassembly)"/>
/// and <see cref="SocketPacketDecoder.TryAddAttachment"/>.</summary>
public readonly struct DecodeResult
{
    private DecodeResult(DecodeStatus status, SocketPacket? packet, ProtocolError? error, int pending)
    {
        Status = status;
        Packet = packet;
        Error = error;
        PendingAttachments = pending;
    }

    public DecodeStatus Status { get; }

    /// <summary>The decoded packet when <see cref="Status"/> is <see cref="DecodeStatus.Completed"/>.</summary>
    public SocketPacket? Packet { get; }

    /// <summary>The reason when <see cref="Status"/> is <see cref="DecodeStatus.Error"/>.</summary>
    public ProtocolError? Error { get; }

    /// <summary>Binary attachments still expected when <see cref="Status"/> is <see cref="DecodeStatus.NeedMoreAttachments"/>.</summary>
    public int PendingAttachments { get; }

    [MemberNotNullWhen(true, nameof(Packet))]
    public bool IsCompleted => Status == DecodeStatus.Completed;

    [MemberNotNullWhen(true, nameof(Error))]
    public bool IsError => Status == DecodeStatus.Error;

    public bool NeedsMoreAttachments => Status == DecodeStatus.NeedMoreAttachments;

    public static DecodeResult Completed(SocketPacket packet) => new(DecodeStatus.Completed, packet, null, 0);

    public static DecodeResult NeedMore(int pending) => new(DecodeStatus.NeedMoreAttachments, null, null, pending);

    public static DecodeResult Failed(ProtocolError error) => new(DecodeStatus.Error, null, error, 0);

    public override string ToString() => Status switch
    {
        DecodeStatus.Completed => $"Completed({Packet})",
        DecodeStatus.NeedMoreAttachments => $"NeedMoreAttachments({PendingAttachments})",
        _ => $"Error({Error?.Message})",
    };
}
