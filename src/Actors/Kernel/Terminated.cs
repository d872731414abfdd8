namespace SocketIo.Actors.Kernel;

/// <summary>
/// Delivered to a watcher (see <see cref="IActorContext.Watch"/>) when the watched actor has stopped.
/// An actor that does not handle it fails with <see cref="DeathPactException"/>.
/// </summary>
/// <param name="ActorRef">The actor that stopped.</param>
public sealed record Terminated(IActorRef ActorRef);
