using Newtonsoft.Json.Linq;

namespace SocketIo.Actors;

/// <summary>What a socket knows of the request that opened it, as socket.io's <c>socket.handshake</c>.</summary>
public sealed record Handshake(
    IReadOnlyDictionary<string, string> Headers,
    IReadOnlyDictionary<string, string> Query,
    JObject Auth,
    string Address,
    string Url,
    bool Secure,
    DateTimeOffset Time,
    bool XDomain)
{
    /// <summary>Milliseconds since the Unix epoch, as socket.io's <c>handshake.issued</c>.</summary>
    public long Issued => Time.ToUnixTimeMilliseconds();
}
