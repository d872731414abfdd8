namespace SocketIo.Transport.EngineIo.Protocol;

/// <summary>Engine.IO packet types; the numeric value is the ASCII digit written on the wire.</summary>
public enum EnginePacketType : byte
{
    Open = 0,
    Close = 1,
    Ping = 2,
    Pong = 3,
    Message = 4,
    Upgrade = 5,
    Noop = 6,
}
