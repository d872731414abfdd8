using SocketIo.Actors.Kernel.Internal;

namespace SocketIo.Actors.Kernel;

/// <summary>Well-known references.</summary>
public static class ActorRefs
{
    /// <summary>A reference that silently drops every message; used where a reference is required but none exists.</summary>
    public static IActorRef Nobody { get; } = NobodyActorRef.Instance;

    /// <summary>The "no sender" value for <see cref="ICanTell.Tell"/>; recipients see the dead-letters reference as <c>Sender</c>.</summary>
    public static IActorRef? NoSender => null;
}
