using System.Net.WebSockets;
using SocketIo.Transport.EngineIo.Protocol;

namespace SocketIo.Transport.EngineIo.Internal.Streams;

/// <summary>
/// One element of a session graph's inbound path: a decoded packet (a WebSocket message), the packets of a polling
/// POST (<see cref="Payload"/>, delivered together, then <see cref="Error"/> if the payload broke off), a frame the
/// codec refused (<see cref="Error"/> set), or the end of the transport (<see cref="End"/> set, the last element).
/// </summary>
internal readonly record struct InboundFrame(EnginePacket Packet, EngineParseError Error, TransportEnd? End, EnginePacket[]? Payload = null)
{
    public static InboundFrame Decoded(in EnginePacket packet) => new(packet, EngineParseError.None, null);

    public static InboundFrame Refused(EngineParseError error) => new(default, error, null);

    public static InboundFrame Ended(TransportEnd end) => new(default, EngineParseError.None, end);

    public static InboundFrame Posted(EnginePacket[] packets, EngineParseError error) => new(default, error, null, packets);
}

/// <summary>How a session closes, which decides what its transport still writes.</summary>
internal enum CloseFlavor
{
    /// <summary>The client closed: nothing more is written (a held GET gets a noop, the WebSocket its close frame).</summary>
    Client,

    /// <summary>
    /// The server closed at once (ping timeout, parse error, transport error): a held GET gets what is queued plus a
    /// close packet, a WebSocket what is queued and then its close frame; the session is gone at once.
    /// </summary>
    Immediate,

    /// <summary>
    /// The server closed gracefully (<see cref="IEngineSession.Close"/>): what is queued goes out, then the close
    /// packet in a payload of its own; a polling session stays until a GET fetched it, or CloseTimeout.
    /// </summary>
    Graceful,
}

/// <summary>Why a transport stopped delivering: the session's close reason, its description and the WebSocket close status to answer with.</summary>
internal sealed record TransportEnd(string Reason, string? Description, WebSocketCloseStatus Status);
