namespace SocketIo.Actors.Kernel;

/// <summary>Something a message can be sent to: an actor, a probe, a temporary ask reference.</summary>
public interface ICanTell
{
    /// <summary>
    /// Enqueues <paramref name="message"/> for the recipient and returns at once (fire and forget).
    /// <paramref name="sender"/> is what the recipient sees as <c>Sender</c>; pass
    /// <see cref="ActorRefs.NoSender"/> when there is none. Never throws for a stopped recipient:
    /// the message becomes a dead letter.
    /// </summary>
    void Tell(object message, IActorRef? sender);
}
