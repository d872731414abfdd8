using Akka.Actor;

namespace SocketIo.Actors.Internal;

/// <summary>Shorthands for <see cref="Props"/> built by a factory.</summary>
internal static class ActorProps
{
    /// <summary>Props whose actor is <paramref name="factory"/>'s result, called per incarnation.</summary>
    public static Props Of<TActor>(Func<TActor> factory)
        where TActor : ActorBase => Props.CreateBy(new FactoryProducer<TActor>(factory));
}
