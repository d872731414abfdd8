namespace SocketIo.Actors.Kernel;

/// <summary>
/// An immutable, thread-safe handle to an actor. Two references are equal when they point at the
/// same path and the same incarnation (uid), so a restarted-by-name actor is a different reference.
/// </summary>
public interface IActorRef : ICanTell, IEquatable<IActorRef>, IComparable<IActorRef>
{
    /// <summary>The actor's path, e.g. <c>akka://system/user/parent/child</c>.</summary>
    ActorPath Path { get; }
}
