namespace SocketIo.Actors.Kernel.Internal;

/// <summary><see cref="ActorRefs.Nobody"/>: drops messages; watching it yields Terminated at once.</summary>
internal sealed class NobodyActorRef : MinimalActorRef
{
    private NobodyActorRef()
    {
    }

    public static NobodyActorRef Instance { get; } = new();

    public override ActorPath Path { get; } = ActorPath.Root("all-systems").Child("Nobody");

    public override void Tell(object message, IActorRef? sender)
    {
    }

    internal override void SendSystemMessage(SystemMessage message)
    {
        if (message is Watch watch)
        {
            watch.Watcher.SendSystemMessage(new DeathWatchNotification(this));
        }
    }
}
