namespace SocketIo.Actors.Kernel.Internal;

/// <summary>The system's dead-letters reference: everything told to it is counted, logged and published.</summary>
internal sealed class DeadLetterActorRef(ActorSystem system, ActorPath path) : MinimalActorRef
{
    public override ActorPath Path { get; } = path;

    internal override ActorSystem System => system;

    public override void Tell(object message, IActorRef? sender)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message is DeadLetter letter)
        {
            system.RecordDeadLetter(letter.Message, letter.Sender, letter.Recipient);
        }
        else
        {
            system.RecordDeadLetter(message, sender, this);
        }
    }

    internal override void SendSystemMessage(SystemMessage message)
    {
        if (message is Watch watch)
        {
            watch.Watcher.SendSystemMessage(new DeathWatchNotification(this));
        }
    }
}
