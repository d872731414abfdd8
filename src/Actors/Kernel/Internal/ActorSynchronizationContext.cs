namespace SocketIo.Actors.Kernel.Internal;

/// <summary>Posts continuations of a ReceiveAsync handler to the actor's mailbox.</summary>
internal sealed class ActorSynchronizationContext(ActorCell cell) : SynchronizationContext
{
    public override void Post(SendOrPostCallback d, object? state) => cell.SendSystemMessage(new RunContinuation(d, state));

    public override void Send(SendOrPostCallback d, object? state) =>
        throw new NotSupportedException("Synchronous Send to an actor's context would deadlock; use Post.");

    public override SynchronizationContext CreateCopy() => this;
}
