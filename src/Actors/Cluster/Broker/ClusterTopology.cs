using System.Security.Cryptography;
using System.Text;

namespace SocketIo.Actors.Cluster.Broker;

/// <summary>
/// The one place that builds exchange, queue and routing-key names for a cluster. Every name
/// starts with <c>socketio.{cluster}.</c> so clusters sharing a broker (or tests sharing one) never
/// see each other. Names coming from users (namespaces, type names, node ids) are escaped so that
/// they form exactly one routing-key word: no '.', '*', '#' survive, and over-long words are
/// shortened with a hash, keeping keys under AMQP's 255-byte limit.
/// </summary>
public sealed class ClusterTopology
{
    /// <summary>Prefix of every name.</summary>
    public const string Prefix = "socketio";

    private const int MaxWordBytes = 64;

    /// <summary>Creates the names of cluster <paramref name="clusterName"/>.</summary>
    /// <exception cref="ArgumentException">The name is empty or not made of letters, digits, '-' and '_'.</exception>
    public ClusterTopology(string clusterName)
    {
        if (string.IsNullOrEmpty(clusterName) || clusterName.Length > MaxWordBytes || !clusterName.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            throw new ArgumentException($"Cluster name '{clusterName}' must be 1-{MaxWordBytes} characters of letters, digits, '-' and '_'", nameof(clusterName));
        }

        ClusterName = clusterName;
        var root = $"{Prefix}.{clusterName}";
        BroadcastExchange = new ExchangeSpec($"{root}.broadcast", ExchangeKind.Topic);
        RequestExchange = new ExchangeSpec($"{root}.request", ExchangeKind.Topic);
        MembershipExchange = new ExchangeSpec($"{root}.membership", ExchangeKind.Topic);
        ShardExchange = new ExchangeSpec($"{root}.shard", ExchangeKind.Direct);
        _root = root;
    }

    private readonly string _root;

    /// <summary>The cluster's name.</summary>
    public string ClusterName { get; }

    /// <summary>Topic exchange for room and namespace broadcasts; every node binds its node queue with <see cref="AllBroadcastsPattern"/> or narrower patterns.</summary>
    public ExchangeSpec BroadcastExchange { get; }

    /// <summary>Topic exchange for node-addressed requests and replies.</summary>
    public ExchangeSpec RequestExchange { get; }

    /// <summary>Topic exchange for membership announcements and heartbeats.</summary>
    public ExchangeSpec MembershipExchange { get; }

    /// <summary>Direct exchange routing entity messages to shard queues.</summary>
    public ExchangeSpec ShardExchange { get; }

    /// <summary>Every exchange of the cluster, to declare at start.</summary>
    public IReadOnlyList<ExchangeSpec> Exchanges => [BroadcastExchange, RequestExchange, MembershipExchange, ShardExchange];

    /// <summary>The node's private queue (exclusive) for broadcasts, requests and membership.</summary>
    public string NodeQueue(string nodeId) => $"{_root}.node.{Word(nodeId)}";

    /// <summary>The queue owning shard <paramref name="shardId"/> of entity type <paramref name="typeName"/> (single active consumer).</summary>
    public string ShardQueue(string typeName, int shardId)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(shardId);
        return $"{_root}.shard.{Word(typeName)}.{shardId}";
    }

    /// <summary>Key (on <see cref="ShardExchange"/>) of shard <paramref name="shardId"/> of <paramref name="typeName"/>; shard queues are bound with it.</summary>
    public string ShardKey(string typeName, int shardId)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(shardId);
        return $"{Word(typeName)}.{shardId}";
    }

    /// <summary>Key of a broadcast to namespace <paramref name="nsp"/> (rooms and exceptions travel in the body).</summary>
    public string NamespaceBroadcastKey(string nsp) => $"nsp.{Word(nsp)}";

    /// <summary>Binding pattern matching broadcasts of one namespace.</summary>
    public string NamespaceBroadcastPattern(string nsp) => NamespaceBroadcastKey(nsp);

    /// <summary>Binding pattern matching every broadcast.</summary>
    public string AllBroadcastsPattern => "nsp.*";

    /// <summary>Key (on <see cref="RequestExchange"/>) of requests and replies addressed to node <paramref name="nodeId"/>.</summary>
    public string NodeRequestKey(string nodeId) => $"node.{Word(nodeId)}";

    /// <summary>Key (on <see cref="RequestExchange"/>) of requests addressed to every node (e.g. fetchSockets).</summary>
    public string AllNodesRequestKey => "all";

    /// <summary>Key (on <see cref="MembershipExchange"/>) of node <paramref name="nodeId"/>'s join/heartbeat/leave announcements.</summary>
    public string MembershipKey(string nodeId) => $"member.{Word(nodeId)}";

    /// <summary>Binding pattern matching every member's announcements.</summary>
    public string AllMembersPattern => "member.*";

    /// <summary>
    /// Node <paramref name="nodeId"/>'s private queue (exclusive) for the shard region of
    /// <paramref name="typeName"/>: replies to its entity messages and the region's hand-off
    /// announcements. Bound on <see cref="ShardExchange"/> with <see cref="ShardRegionNodeKey"/> and <see cref="ShardRegionAllKey"/>.
    /// </summary>
    public string ShardRegionQueue(string typeName, string nodeId) => $"{_root}.shard.{Word(typeName)}.node.{Word(nodeId)}";

    /// <summary>Key (on <see cref="ShardExchange"/>) of messages for node <paramref name="nodeId"/>'s region of <paramref name="typeName"/> (three words, so never a <see cref="ShardKey"/>).</summary>
    public string ShardRegionNodeKey(string typeName, string nodeId) => $"{Word(typeName)}.node.{Word(nodeId)}";

    /// <summary>Key (on <see cref="ShardExchange"/>) of announcements to every node's region of <paramref name="typeName"/>.</summary>
    public string ShardRegionAllKey(string typeName) => $"{Word(typeName)}.all";

    /// <summary>Node <paramref name="nodeId"/>'s private queue (exclusive) for messages addressed to socket ids; bound on <see cref="RequestExchange"/>.</summary>
    public string SocketDirectoryQueue(string nodeId) => $"{_root}.sockets.{Word(nodeId)}";

    /// <summary>Key (on <see cref="RequestExchange"/>) of socket-addressed messages for node <paramref name="nodeId"/>.</summary>
    public string SocketDirectoryNodeKey(string nodeId) => $"socket.node.{Word(nodeId)}";

    /// <summary>Key (on <see cref="RequestExchange"/>) of socket-addressed messages whose owner is not known: every node looks the socket up.</summary>
    public string SocketDirectoryAllKey => "socket.all";

    /// <summary>
    /// Turns a user-given name into one routing-key word: '%', '.', '*', '#' and non-ASCII are
    /// percent-encoded (so distinct names stay distinct), and a word longer than 64 bytes keeps
    /// its first 40 bytes plus a hash of the whole.
    /// </summary>
    internal static string Word(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0)
        {
            return "%";
        }

        var sb = new StringBuilder(name.Length);
        foreach (var b in Encoding.UTF8.GetBytes(name))
        {
            if (b is (byte)'%' or (byte)'.' or (byte)'*' or (byte)'#' or < 0x21 or > 0x7E)
            {
                sb.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                sb.Append((char)b);
            }
        }

        if (sb.Length <= MaxWordBytes)
        {
            return sb.ToString();
        }

        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(name)), 0, 8);
        return $"{sb.ToString(0, 40)}~{hash}";
    }
}
