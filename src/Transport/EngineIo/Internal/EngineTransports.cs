namespace SocketIo.Transport.EngineIo.Internal;

/// <summary>The transports a server accepts, parsed from <see cref="EngineIoOptions.Transports"/>.</summary>
[Flags]
internal enum EngineTransports
{
    None = 0,
    Polling = 1,
    WebSocket = 2,
}
