using Akka.Actor;

namespace SocketIo.Actors.Internal;

/// <summary>
/// Builds an actor with a plain factory, called for each incarnation (first start and every restart).
/// Cheaper per actor than <c>Props.Create(() =&gt; new T(...))</c>, whose expression tree is taken apart
/// for every <see cref="Props"/>: the server makes one <see cref="Props"/> per socket.
/// </summary>
internal sealed class FactoryProducer<TActor>(Func<TActor> factory) : IIndirectActorProducer
    where TActor : ActorBase
{
    public Type ActorType => typeof(TActor);

    public ActorBase Produce() => factory();

    public void Release(ActorBase actor)
    {
    }
}
