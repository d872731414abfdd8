using System.Text;

namespace SocketIo.Actors.Kernel;

/// <summary>
/// The hierarchical, unique-at-a-time name of an actor: <c>akka://system/user/parent/child</c>.
/// Equality compares the elements only (not the <see cref="Uid"/>), as in Akka.NET.
/// </summary>
public sealed class ActorPath : IEquatable<ActorPath>
{
    private readonly string _systemName;

    private ActorPath(string systemName)
    {
        _systemName = systemName;
        Name = string.Empty;
    }

    private ActorPath(ActorPath parent, string name, long uid)
    {
        _systemName = parent._systemName;
        Parent = parent;
        Name = name;
        Uid = uid;
    }

    /// <summary>The last element; empty for the root path.</summary>
    public string Name { get; }

    /// <summary>The enclosing path; null for the root path.</summary>
    public ActorPath? Parent { get; }

    /// <summary>The incarnation id of the actor at this path (0 for paths that name no actor).</summary>
    public long Uid { get; }

    /// <summary>The address part, <c>akka://system</c>.</summary>
    public string Address => "akka://" + _systemName;

    /// <summary>The number of elements below the root.</summary>
    public int Depth => Parent is null ? 0 : Parent.Depth + 1;

    /// <summary>The elements below the root, outermost first (<c>["user", "parent", "child"]</c>).</summary>
    public IReadOnlyList<string> Elements
    {
        get
        {
            var list = new string[Depth];
            var p = this;
            for (var i = list.Length - 1; i >= 0; i--)
            {
                list[i] = p!.Name;
                p = p.Parent;
            }

            return list;
        }
    }

    /// <summary>Creates the root path of a system.</summary>
    public static ActorPath Root(string systemName)
    {
        ArgumentException.ThrowIfNullOrEmpty(systemName);
        return new ActorPath(systemName);
    }

    /// <summary>Returns the path of a child element; <paramref name="uid"/> identifies the incarnation.</summary>
    public ActorPath Child(string name, long uid = 0)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return new ActorPath(this, name, uid);
    }

    /// <summary>The path without the address, e.g. <c>/user/a/b</c>.</summary>
    public string ToStringWithoutAddress()
    {
        if (Parent is null)
        {
            return "/";
        }

        var sb = new StringBuilder();
        Append(sb, this);
        return sb.ToString();
    }

    /// <inheritdoc />
    public override string ToString() => Address + ToStringWithoutAddress();

    /// <inheritdoc />
    public bool Equals(ActorPath? other)
    {
        var a = this;
        var b = other;
        while (true)
        {
            if (ReferenceEquals(a, b))
            {
                return true;
            }

            if (a is null || b is null || !string.Equals(a.Name, b.Name, StringComparison.Ordinal))
            {
                return false;
            }

            if (a.Parent is null || b.Parent is null)
            {
                return a.Parent is null && b.Parent is null && a._systemName == b._systemName;
            }

            a = a.Parent;
            b = b.Parent;
        }
    }

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is ActorPath p && Equals(p);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        for (var p = this; p is not null; p = p.Parent)
        {
            hash.Add(p.Name, StringComparer.Ordinal);
        }

        return hash.ToHashCode();
    }

    private static void Append(StringBuilder sb, ActorPath path)
    {
        if (path.Parent is null)
        {
            return;
        }

        Append(sb, path.Parent);
        sb.Append('/').Append(path.Name);
    }
}
