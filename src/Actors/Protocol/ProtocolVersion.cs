namespace SocketIo.Actors.Protocol;

/// <summary>
/// Socket.IO protocol revision spoken on a connection. V5 runs over Engine.IO v4 (<c>EIO=4</c>,
/// socket.io 3.x/4.x clients); V4 runs over Engine.IO v3 (<c>EIO=3</c>, socket.io-client 1.x/2.x).
/// </summary>
public enum ProtocolVersion
{
    V4 = 4,
    V5 = 5,
}
