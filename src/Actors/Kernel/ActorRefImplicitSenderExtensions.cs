using SocketIo.Actors.Kernel.Internal;

namespace SocketIo.Actors.Kernel;

/// <summary>Tell and Forward with the implicit sender.</summary>
public static class ActorRefImplicitSenderExtensions
{
    /// <summary>Tells with the current actor as sender when called inside an actor, else with no sender.</summary>
    public static void Tell(this ICanTell receiver, object message)
    {
        ArgumentNullException.ThrowIfNull(receiver);
        receiver.Tell(message, ActorCell.Current?.Self);
    }

    /// <summary>Tells keeping the original sender of the message being processed (no sender outside an actor).</summary>
    public static void Forward(this ICanTell receiver, object message)
    {
        ArgumentNullException.ThrowIfNull(receiver);
        receiver.Tell(message, ActorCell.Current?.SenderOrNull);
    }
}
