namespace SocketIo.Actors.Kernel;

/// <summary>
/// A user message that makes the actor fail with <see cref="ActorKilledException"/> when processed;
/// the supervisor decides (the default strategy stops it).
/// </summary>
public sealed class Kill : IAutoReceivedMessage
{
    private Kill()
    {
    }

    /// <summary>The singleton.</summary>
    public static Kill Instance { get; } = new();

    /// <inheritdoc />
    public override string ToString() => "<Kill>";
}
