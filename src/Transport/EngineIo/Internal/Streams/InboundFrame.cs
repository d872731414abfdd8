using System.Net.WebSockets;
using SocketIo.Transport.EngineIo.Protocol;

namespace SocketIo.Transport.EngineIo.Internal.Streams;

/// <summary>
/// One element of a session graph's inbound path: a decoded packet, a frame the codec refused
/// (<see cref="Error"/> set), or the end of the transport (<see cref="End"/> set, the last element).
/// </summary>
internal readonly record struct InboundFrame(EnginePacket Packet, EngineParseError Error, TransportEnd? End)
{
    public static InboundFrame Decoded(in EnginePacket packet) => new(packet, EngineParseError.None, null);

    public static InboundFrame Refused(EngineParseError error) => new(default, error, null);

    public static InboundFrame Ended(TransportEnd end) => new(default, EngineParseError.None, end);
}

/// <summary>Why a transport stopped delivering: the session's close reason, its description and the WebSocket close status to answer with.</summary>
internal sealed record TransportEnd(string Reason, string? Description, WebSocketCloseStatus Status);
