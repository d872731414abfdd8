namespace SocketIo.Actors.Protocol;

/// <summary>
/// Socket.IO packet types; the numeric value is the first character on the wire.
/// Code 4 is <c>CONNECT_ERROR</c> in protocol v5 and <c>ERROR</c> in v4 (same meaning).
/// </summary>
public enum SocketPacketType
{
    Connect = 0,
    Disconnect = 1,
    Event = 2,
    Ack = 3,
    ConnectError = 4,
    BinaryEvent = 5,
    BinaryAck = 6,
}
