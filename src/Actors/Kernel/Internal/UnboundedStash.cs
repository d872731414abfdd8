namespace SocketIo.Actors.Kernel.Internal;

/// <summary><see cref="IStash"/> backed by a list; unstashing prepends to the cell's mailbox.</summary>
internal sealed class UnboundedStash(ActorCell cell) : IStash
{
    private readonly List<Envelope> _stashed = new();

    public int Count => _stashed.Count;

    public void Stash()
    {
        var message = cell.CurrentMessage ?? throw new IllegalActorStateException("There is no current message to stash.");
        if (_stashed.Count > 0 && ReferenceEquals(_stashed[^1].Message, message))
        {
            throw new IllegalActorStateException($"Cannot stash the same message twice: {message}.");
        }

        _stashed.Add(new Envelope(message, cell.SenderOrNull));
    }

    public void Unstash()
    {
        if (_stashed.Count == 0)
        {
            return;
        }

        var first = _stashed[0];
        _stashed.RemoveAt(0);
        cell.Prepend([first]);
    }

    public void UnstashAll() => cell.Prepend(TakeAll());

    public void UnstashAll(Func<object, bool> predicate)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        var selected = new List<Envelope>();
        _stashed.RemoveAll(e =>
        {
            if (!predicate(e.Message))
            {
                return false;
            }

            selected.Add(e);
            return true;
        });
        cell.Prepend(selected);
    }

    public IReadOnlyList<object> ClearStash()
    {
        var messages = _stashed.Select(e => e.Message).ToArray();
        _stashed.Clear();
        return messages;
    }

    internal List<Envelope> TakeAll()
    {
        var all = new List<Envelope>(_stashed);
        _stashed.Clear();
        return all;
    }
}
