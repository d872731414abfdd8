namespace SocketIo.Actors.Kernel;

/// <summary>Published on the <see cref="EventStream"/> for every message that could not be delivered.</summary>
/// <param name="Message">The undelivered message.</param>
/// <param name="Sender">Its sender, or null.</param>
/// <param name="Recipient">The reference it was sent to.</param>
public sealed record DeadLetter(object Message, IActorRef? Sender, IActorRef Recipient);
