namespace SocketIo.Actors.Kernel;

/// <summary>
/// Puts messages aside to process later. Unstashed messages go to the front of the mailbox in the
/// order they were stashed. On restart the stash is prepended to the mailbox; on stop it becomes
/// dead letters. Use only from the actor.
/// </summary>
public interface IStash
{
    /// <summary>Stashes the message being processed; stashing the same message twice throws <see cref="IllegalActorStateException"/>.</summary>
    void Stash();

    /// <summary>Returns the oldest stashed message to the front of the mailbox.</summary>
    void Unstash();

    /// <summary>Returns every stashed message to the front of the mailbox, oldest first.</summary>
    void UnstashAll();

    /// <summary>Returns the stashed messages that match, oldest first; the others stay stashed.</summary>
    void UnstashAll(Func<object, bool> predicate);

    /// <summary>Drops every stashed message and returns them.</summary>
    IReadOnlyList<object> ClearStash();

    /// <summary>Number of stashed messages.</summary>
    int Count { get; }
}
