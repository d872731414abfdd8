namespace SocketIo.Node.Configuration;

/// <summary>
/// Where a value or an error comes from: the source name given to <see cref="HoconConfig.Parse"/>
/// (usually a file name) and a 1-based line and column. <see cref="Origin"/> says when the value was
/// not written there but taken from elsewhere, such as an environment variable named by a
/// <c>${?NAME}</c> substitution at that spot.
/// </summary>
public readonly record struct HoconLocation(string SourceName, int Line, int Column, string? Origin = null)
{
    /// <summary><c>source:line:column</c>, followed by the origin in parentheses when there is one.</summary>
    public override string ToString() =>
        Origin is null ? $"{SourceName}:{Line}:{Column}" : $"{SourceName}:{Line}:{Column} ({Origin})";
}
