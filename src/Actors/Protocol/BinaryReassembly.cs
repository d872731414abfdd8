using Newtonsoft.Json.Linq;

namespace SocketIo.Actors.Protocol;

/// <summary>
/// Per-connection state of the decoder between a binary packet's text part and its attachments.
/// Owned by the caller (one per Engine.IO connection, used from one thread at a time) and passed
/// to every <see cref="SocketPacketDecoder"/> call; the decoder itself holds no state.
/// </summary>
/// <remarks>
/// When attachments stop arriving the caller decides (timeout / close); <see cref="PendingAttachments"/>
/// tells how many are still missing. An attachment beyond the announced count arrives when nothing is
/// pending and is rejected as <see cref="ProtocolErrorCode.UnexpectedAttachment"/>.
/// </remarks>
public sealed class BinaryReassembly
{
    internal SocketPacket? Header { get; private set; }

    internal JObject[]? Slots { get; private set; }

    internal byte[][]? Buffers { get; private set; }

    /// <summary>True between a binary packet's text part and its last attachment.</summary>
    public bool IsPending => Header is not null;

    /// <summary>Attachments announced by the pending packet (0 when none is pending).</summary>
    public int ExpectedAttachments => Slots?.Length ?? 0;

    /// <summary>Attachments received so far for the pending packet.</summary>
    public int ReceivedAttachments { get; private set; }

    /// <summary>Attachments still missing for the pending packet.</summary>
    public int PendingAttachments => ExpectedAttachments - ReceivedAttachments;

    /// <summary>Drops any partially received packet (on timeout, error or close).</summary>
    public void Reset()
    {
        Header = null;
        Slots = null;
        Buffers = null;
        ReceivedAttachments = 0;
    }

    internal void Begin(SocketPacket header, JObject[] slots)
    {
        Header = header;
        Slots = slots;
        Buffers = new byte[slots.Length][];
        ReceivedAttachments = 0;
    }

    /// <summary>Stores one attachment; true when it was the last one.</summary>
    internal bool Add(byte[] buffer)
    {
        Buffers![ReceivedAttachments++] = buffer;
        return ReceivedAttachments == Buffers.Length;
    }
}
