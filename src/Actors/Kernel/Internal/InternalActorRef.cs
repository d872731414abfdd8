namespace SocketIo.Actors.Kernel.Internal;

/// <summary>Base of every kernel reference: equality by path and uid, and a system-message channel.</summary>
internal abstract class InternalActorRef : IActorRef
{
    public abstract ActorPath Path { get; }

    /// <summary>The system the reference belongs to, when it belongs to one.</summary>
    internal virtual ActorSystem? System => null;

    public abstract void Tell(object message, IActorRef? sender);

    /// <summary>Delivers a kernel message; references that are not actors answer Watch as they see fit.</summary>
    internal abstract void SendSystemMessage(SystemMessage message);

    public bool Equals(IActorRef? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (other is null)
        {
            return false;
        }

        var mine = Path;
        var theirs = other.Path;
        return mine.Uid == theirs.Uid && mine.Equals(theirs);
    }

    public override bool Equals(object? obj) => obj is IActorRef other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Path.Uid, Path.Name);

    public int CompareTo(IActorRef? other)
    {
        if (other is null)
        {
            return 1;
        }

        var byPath = string.CompareOrdinal(Path.ToString(), other.Path.ToString());
        return byPath != 0 ? byPath : Path.Uid.CompareTo(other.Path.Uid);
    }

    public override string ToString() => $"[{Path}#{Path.Uid}]";
}
