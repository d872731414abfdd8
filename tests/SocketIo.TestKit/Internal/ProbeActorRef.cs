using System.Collections.Concurrent;
using SocketIo.Actors.Kernel;
using SocketIo.Actors.Kernel.Internal;

namespace SocketIo.TestKit.Internal;

/// <summary>The reference of a <see cref="TestProbe"/>: messages (and Terminated of watched actors) go into a blocking queue.</summary>
internal sealed class ProbeActorRef(ActorSystem system, ActorPath path) : MinimalActorRef
{
    public BlockingCollection<ProbeEnvelope> Queue { get; } = new(new ConcurrentQueue<ProbeEnvelope>());

    public override ActorPath Path { get; } = path;

    internal override ActorSystem System => system;

    public override void Tell(object message, IActorRef? sender)
    {
        ArgumentNullException.ThrowIfNull(message);
        Queue.Add(new ProbeEnvelope(message, sender));
    }

    internal override void SendSystemMessage(SystemMessage message)
    {
        if (message is DeathWatchNotification notification)
        {
            Queue.Add(new ProbeEnvelope(new Terminated(notification.Actor), notification.Actor));
        }
    }

    public void Watch(IActorRef subject)
    {
        if (subject is InternalActorRef target)
        {
            target.SendSystemMessage(new Watch(this));
        }
    }

    public void Unwatch(IActorRef subject)
    {
        if (subject is InternalActorRef target)
        {
            target.SendSystemMessage(new Unwatch(this));
        }
    }
}

/// <summary>A message received by a probe with its sender.</summary>
internal readonly record struct ProbeEnvelope(object Message, IActorRef? Sender);
