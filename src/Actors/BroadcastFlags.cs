using System.Collections.Immutable;

namespace SocketIo.Actors;

/// <summary>Where a broadcast goes and how: the target rooms (none means every socket), the excluded rooms and the flags.</summary>
public sealed record BroadcastTarget(
    ImmutableHashSet<string> Rooms,
    ImmutableHashSet<string> Except,
    bool Volatile = false,
    bool Local = false,
    bool Compress = true,
    TimeSpan? Timeout = null)
{
    public static readonly BroadcastTarget All = new(ImmutableHashSet<string>.Empty, ImmutableHashSet<string>.Empty);
}
