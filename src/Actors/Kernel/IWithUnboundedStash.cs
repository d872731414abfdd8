namespace SocketIo.Actors.Kernel;

/// <summary>Implement on an actor to get an unbounded <see cref="Stash"/>; the kernel sets it before the constructor body runs.</summary>
public interface IWithUnboundedStash
{
    /// <summary>The actor's stash.</summary>
    IStash Stash { get; set; }
}
