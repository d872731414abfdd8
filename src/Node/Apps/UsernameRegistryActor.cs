using SocketIo.Actors.Kernel;

namespace SocketIo.Node.Apps;

/// <summary>
/// The chat demo's usernames. One actor owns them, so two sockets racing for one name are served one after
/// the other and only the first gets it. Names compare case-insensitively (<c>Alice</c> takes <c>alice</c>).
/// A socket holds at most one name: claiming another frees the old one; <see cref="UsernameRegistryProtocol.Release"/>
/// (sent when the socket disconnects) frees it.
/// </summary>
public sealed class UsernameRegistryActor : ReceiveActor
{
    private readonly Dictionary<string, string> _ownerByName = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string> _nameByOwner = new(StringComparer.Ordinal);

    public UsernameRegistryActor()
    {
        Receive<UsernameRegistryProtocol.Claim>(HandleClaim);
        Receive<UsernameRegistryProtocol.Release>(HandleRelease);
        Receive<UsernameRegistryProtocol.GetUsernames>(_ =>
            Sender.Tell(new UsernameRegistryProtocol.Usernames([.. _ownerByName.Keys.Order(StringComparer.OrdinalIgnoreCase)])));
    }

    /// <summary>Replies <see cref="UsernameRegistryProtocol.Claimed"/> or <see cref="UsernameRegistryProtocol.Taken"/>.</summary>
    private void HandleClaim(UsernameRegistryProtocol.Claim claim)
    {
        if (_ownerByName.TryGetValue(claim.Name, out var owner) && owner != claim.OwnerId)
        {
            Sender.Tell(new UsernameRegistryProtocol.Taken(claim.Name));
            return;
        }
        // The owner re-claiming its own name (any case) keeps it; a different name replaces the old one.
        if (_nameByOwner.TryGetValue(claim.OwnerId, out var previous))
            _ownerByName.Remove(previous);
        _ownerByName[claim.Name] = claim.OwnerId;
        _nameByOwner[claim.OwnerId] = claim.Name;
        Sender.Tell(new UsernameRegistryProtocol.Claimed(claim.Name));
    }

    private void HandleRelease(UsernameRegistryProtocol.Release release)
    {
        if (_nameByOwner.Remove(release.OwnerId, out var name))
            _ownerByName.Remove(name);
    }
}

/// <summary>Messages of the <see cref="UsernameRegistryActor"/>.</summary>
public static class UsernameRegistryProtocol
{
    /// <summary>Asks for <paramref name="Name"/> on behalf of <paramref name="OwnerId"/> (a socket id); replied with <see cref="Claimed"/> or <see cref="Taken"/>.</summary>
    public sealed record Claim(string Name, string OwnerId);

    /// <summary>The name is now the claimant's.</summary>
    public sealed record Claimed(string Name);

    /// <summary>Another owner holds the name (compared case-insensitively).</summary>
    public sealed record Taken(string Name);

    /// <summary>Frees the name held by <paramref name="OwnerId"/>, if any; no reply.</summary>
    public sealed record Release(string OwnerId);

    /// <summary>Query; replied with <see cref="Usernames"/>.</summary>
    public sealed record GetUsernames
    {
        public static readonly GetUsernames Instance = new();
        private GetUsernames() { }
    }

    /// <summary>The names in use, sorted.</summary>
    public sealed record Usernames(IReadOnlyList<string> Names);
}
