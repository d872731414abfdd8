namespace SocketIo.Actors;

/// <summary>Event names the server may not emit, as in socket.io.</summary>
public static class ReservedEvents
{
    public static readonly IReadOnlySet<string> Names = new HashSet<string>(StringComparer.Ordinal)
    {
        "connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener",
    };

    public static bool IsReserved(string eventName) => Names.Contains(eventName);

    /// <summary>Throws <see cref="ArgumentException"/> for a reserved or null name.</summary>
    public static void ThrowIfReserved(string eventName)
    {
        ArgumentNullException.ThrowIfNull(eventName);
        if (Names.Contains(eventName))
            throw new ArgumentException($"\"{eventName}\" is a reserved event name", nameof(eventName));
    }
}
