namespace SocketIo.Actors.Kernel.Internal;

/// <summary>A node of the intrusive multi-producer single-consumer mailbox queue (Vyukov).</summary>
internal sealed class MessageNode(object? message, IActorRef? sender)
{
    public object? Message = message;
    public IActorRef? Sender = sender;
    public MessageNode? Next;
}

/// <summary>A message with its sender, as kept by the stash.</summary>
internal readonly record struct Envelope(object Message, IActorRef? Sender);
