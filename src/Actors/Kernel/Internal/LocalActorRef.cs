namespace SocketIo.Actors.Kernel.Internal;

/// <summary>The reference of a live (or stopped) local actor; telling it enqueues into the cell's mailbox.</summary>
internal sealed class LocalActorRef(ActorCell cell, ActorPath path) : InternalActorRef
{
    public ActorCell Cell { get; } = cell;

    public override ActorPath Path { get; } = path;

    internal override ActorSystem System => Cell.SystemImpl;

    public override void Tell(object message, IActorRef? sender)
    {
        ArgumentNullException.ThrowIfNull(message);
        Cell.Post(message, sender);
    }

    internal override void SendSystemMessage(SystemMessage message) => Cell.SendSystemMessage(message);
}
