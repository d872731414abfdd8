namespace SocketIo.Actors;

/// <summary>
/// What a socket's emit does when its connection's outbound queue cannot take the packet now
/// (<see cref="SocketIoOptions.OutboundOverflow"/>). Under both policies a non-volatile packet the connection refuses
/// (its outbound queue is full: the client stopped reading) closes the connection, and its sockets disconnect with
/// <see cref="DisconnectReasons.OutboundQueueFull"/>; a refused volatile packet is dropped and the connection stays up.
/// The policies differ in when a volatile packet (<see cref="Socket.Volatile"/>, a volatile broadcast) is offered to
/// the connection at all.
/// </summary>
public enum OutboundOverflowPolicy
{
    /// <summary>
    /// socket.io's behaviour (the default): a volatile packet is dropped whenever the transport is not writable at that
    /// moment (<see cref="Connections.IClientConnection.IsWritable"/> false: something is still queued or being
    /// written, or a polling client has no GET waiting), even though the queue has room.
    /// </summary>
    Disconnect,

    /// <summary>
    /// A volatile packet is queued like any other while the outbound queue has room, and dropped only when the
    /// connection refuses it because the queue is full. Suits a client that is busy but keeping up (a polling client
    /// between two GETs, a WebSocket mid-write), which would otherwise lose most volatile packets.
    /// </summary>
    DropVolatile,
}
