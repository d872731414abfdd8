using System.Text;

namespace SocketIo.Actors.Kernel.Internal;

/// <summary>Creating, finding and stopping children. The children map is locked because top-level
/// actors are created from any thread through the guardian.</summary>
internal sealed partial class ActorCell
{
    private const string AutoNameChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+~";

    public IActorRef ActorOf(Props props, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(props);
        ActorCell child;
        lock (this)
        {
            if (_childrenClosed)
            {
                throw new InvalidOperationException($"{_self.Path} is stopping and cannot create children.");
            }

            if (name is null)
            {
                name = AutoName(_nameCounter++);
            }
            else
            {
                ValidateName(name);
            }

            _children ??= new Dictionary<string, LocalActorRef>(StringComparer.Ordinal);
            if (_children.ContainsKey(name))
            {
                throw new InvalidActorNameException($"Actor name [{name}] is not unique under {_self.Path}.");
            }

            child = new ActorCell(_system, props, this, _self.Path.Child(name, NewUid()));
            _children.Add(name, child._self);
        }

        child.SendSystemMessage(new Create());
        return child._self;
    }

    public IActorRef Child(string name)
    {
        lock (this)
        {
            return _children is not null && _children.TryGetValue(name, out var child) ? child : ActorRefs.Nobody;
        }
    }

    public IEnumerable<IActorRef> GetChildren()
    {
        lock (this)
        {
            return _children is null || _children.Count == 0 ? [] : _children.Values.ToArray<IActorRef>();
        }
    }

    public void Stop(IActorRef actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (actor is not InternalActorRef target)
        {
            return;
        }

        if (IsChild(target))
        {
            (X.StoppingChildren ??= new HashSet<IActorRef>()).Add(target);
        }

        target.SendSystemMessage(new Terminate());
    }

    private bool IsChild(IActorRef actor)
    {
        lock (this)
        {
            return _children is not null && _children.TryGetValue(actor.Path.Name, out var child) && child.Equals(actor);
        }
    }

    private bool RemoveChild(IActorRef actor)
    {
        lock (this)
        {
            return _children is not null
                && _children.TryGetValue(actor.Path.Name, out var child)
                && child.Equals(actor)
                && _children.Remove(actor.Path.Name);
        }
    }

    private int ChildCount
    {
        get
        {
            lock (this)
            {
                return _children?.Count ?? 0;
            }
        }
    }

    private static string AutoName(long n)
    {
        var sb = new StringBuilder("$");
        do
        {
            sb.Append(AutoNameChars[(int)(n & 63)]);
            n >>= 6;
        }
        while (n != 0);

        return sb.ToString();
    }

    private static void ValidateName(string name)
    {
        if (name.Length == 0)
        {
            throw new InvalidActorNameException("Actor name must not be empty.");
        }

        if (name[0] == '$')
        {
            throw new InvalidActorNameException($"Actor name [{name}] must not start with '$' (reserved for generated names).");
        }

        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || "-_.*+:@&=,!~';()".Contains(c)))
            {
                throw new InvalidActorNameException($"Actor name [{name}] contains the illegal character '{c}'.");
            }
        }
    }
}
