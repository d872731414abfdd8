namespace SocketIo.Actors;

/// <summary>
/// The acknowledgement callback of an event the client emitted with an ack. Calling it sends an ACK packet
/// with the given arguments; a second call is ignored, as in socket.io.
/// </summary>
public delegate void Ack(params object?[] args);
