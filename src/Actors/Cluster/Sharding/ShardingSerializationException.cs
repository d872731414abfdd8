namespace SocketIo.Actors.Cluster.Sharding;

/// <summary>A message could not be serialized (its type is not registered) or deserialized (unknown type name, bad payload).</summary>
public sealed class ShardingSerializationException(string message, Exception? innerException = null) : Exception(message, innerException);

/// <summary>
/// The cause of a <c>Status.Failure</c> that an entity on another node replied: exceptions do
/// not cross nodes, only their type name and message do.
/// </summary>
public sealed class ShardingRemoteException(string remoteType, string message) : Exception($"{remoteType}: {message}")
{
    /// <summary>Full type name of the exception thrown on the other node.</summary>
    public string RemoteType { get; } = remoteType;
}
