namespace SocketIo.Actors.Kernel;

/// <summary>
/// A user message that stops the actor when it is processed: messages queued before it are
/// handled first, messages queued after it become dead letters.
/// </summary>
public sealed class PoisonPill : IAutoReceivedMessage
{
    private PoisonPill()
    {
    }

    /// <summary>The singleton.</summary>
    public static PoisonPill Instance { get; } = new();

    /// <inheritdoc />
    public override string ToString() => "<PoisonPill>";
}
