namespace SocketIo.Actors.Kernel.Internal;

/// <summary>A reference without a mailbox; watching it never yields Terminated unless overridden.</summary>
internal abstract class MinimalActorRef : InternalActorRef
{
    internal override void SendSystemMessage(SystemMessage message)
    {
    }
}
