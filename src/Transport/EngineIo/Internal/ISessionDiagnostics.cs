namespace SocketIo.Transport.EngineIo.Internal;

/// <summary>What diagnostics and tests read of a session's flow control, whichever transport implementation runs it.</summary>
internal interface ISessionDiagnostics : IEngineSession
{
    /// <summary>Message packets waiting in the outbound queue.</summary>
    int QueuedMessages { get; }

    /// <summary>Bytes of message data waiting in the outbound queue.</summary>
    long QueuedBytes { get; }

    /// <summary>True while receiving is paused (<see cref="IEngineSession.PauseReceiving"/>).</summary>
    bool IsReceivingPaused { get; }
}
