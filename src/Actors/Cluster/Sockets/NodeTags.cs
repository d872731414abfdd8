using System.Security.Cryptography;
using System.Text;
using Akka.Actor;

namespace SocketIo.Actors.Cluster.Sockets;

/// <summary>
/// A node's tag: eight URL-safe characters derived from its Akka address, put in front of the socket ids the node
/// generates and of the entity ids of its sockets (<see cref="SocketRegion.EntityId"/>), so it is their shard. Every node computes every other node's tag from membership
/// alone, so a socket's id names the node that holds its connection. A node restarted at the same address gets the
/// same tag, which is what its shard needs: the new incarnation hosts the shard of its address again.
/// </summary>
public static class NodeTags
{
    /// <summary>The length of a tag.</summary>
    public const int Length = 8;

    /// <summary>The tag of the node at <paramref name="address"/> (its protocol, system name, host and port).</summary>
    public static string Of(Address address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return OfNode(address.ToString());
    }

    /// <summary>
    /// The tag of the node whose address reads <paramref name="nodeId"/> (a <c>ClusterNode.NodeId</c>; the host's
    /// session forwarding hashes the address with the member's uid the same way).
    /// </summary>
    public static string OfNode(string nodeId)
    {
        ArgumentNullException.ThrowIfNull(nodeId);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(nodeId), hash);
        // 6 bytes are 8 base64 characters, without padding.
        return Convert.ToBase64String(hash[..6]).Replace('+', '-').Replace('/', '_');
    }

    /// <summary>
    /// The shard of a socket entity: the tag its entity id starts with (<see cref="SocketRegion.EntityId"/> puts its
    /// node's tag first). An id shorter than a tag is its own shard.
    /// </summary>
    public static string OfEntityId(string entityId)
    {
        ArgumentNullException.ThrowIfNull(entityId);
        return entityId.Length <= Length ? entityId : entityId[..Length];
    }
}
