using Akka.Actor;
using Akka.Cluster.Sharding;

namespace SocketIo.Node.Apps.Internal;

/// <summary>
/// The single-node stand-in for a sharding region: routes each message to the child entity its
/// <see cref="IMessageExtractor"/> names (created on first use) and honours the entity's
/// <see cref="Passivate"/> as a region would, so entity actors run unchanged alone and in a cluster. Messages with
/// no entity id go to dead letters, as a region drops them.
/// </summary>
internal sealed class LocalEntityRegion : ReceiveActor
{
    private readonly Props _entityProps;
    private readonly IMessageExtractor _extractor;
    private readonly Dictionary<string, IActorRef> _entities = new(StringComparer.Ordinal);
    private readonly Dictionary<IActorRef, string> _ids = [];

    public LocalEntityRegion(Props entityProps, IMessageExtractor extractor)
    {
        _entityProps = entityProps;
        _extractor = extractor;
        Receive<Passivate>(HandlePassivate);
        Receive<Terminated>(HandleTerminated);
        ReceiveAny(HandleMessage);
    }

    private void HandleMessage(object message)
    {
        if (_extractor.EntityId(message) is not { } id)
        {
            Context.System.DeadLetters.Tell(message, Sender);
            return;
        }
        if (!_entities.TryGetValue(id, out var entity))
        {
            // Unnamed: a passivated entity may still be stopping when its successor starts.
            entity = Context.Watch(Context.ActorOf(_entityProps));
            _entities[id] = entity;
            _ids[entity] = id;
        }
        entity.Forward(_extractor.EntityMessage(message));
    }

    /// <summary>The entity asked to stop: later messages for its id start a fresh one.</summary>
    private void HandlePassivate(Passivate passivate)
    {
        if (!_ids.Remove(Sender, out var id)) return;
        _entities.Remove(id);
        Sender.Tell(passivate.StopMessage);
    }

    private void HandleTerminated(Terminated terminated)
    {
        if (_ids.Remove(terminated.ActorRef, out var id)) _entities.Remove(id);
    }
}
