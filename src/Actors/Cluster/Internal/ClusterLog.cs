using Microsoft.Extensions.Logging;

namespace SocketIo.Actors.Cluster.Internal;

/// <summary>Every log line of the cluster adapter and membership; event ids 3100-3199 are fixed.</summary>
internal static partial class ClusterLog
{
    [LoggerMessage(EventId = 3100, Level = LogLevel.Information, Message = "Cluster node {Node} started in cluster {Cluster}")]
    public static partial void NodeStarted(ILogger logger, string node, string cluster);

    [LoggerMessage(EventId = 3101, Level = LogLevel.Information, Message = "Cluster node {Node} left cluster {Cluster}")]
    public static partial void NodeLeft(ILogger logger, string node, string cluster);

    [LoggerMessage(EventId = 3110, Level = LogLevel.Information, Message = "Member {Member} is up; {Count} other members")]
    public static partial void MemberUp(ILogger logger, string member, int count);

    [LoggerMessage(EventId = 3111, Level = LogLevel.Warning, Message = "Member {Member} removed ({Reason}); {Count} other members")]
    public static partial void MemberRemoved(ILogger logger, string member, string reason, int count);

    [LoggerMessage(EventId = 3112, Level = LogLevel.Warning, Message = "Member {Member} is unreachable: requests stop waiting for it")]
    public static partial void MemberUnreachable(ILogger logger, string member);

    [LoggerMessage(EventId = 3113, Level = LogLevel.Information, Message = "Member {Member} is reachable again")]
    public static partial void MemberReachable(ILogger logger, string member);

    [LoggerMessage(EventId = 3130, Level = LogLevel.Warning, Message = "Node {Node} could not handle cluster message {Type} from {Origin}")]
    public static partial void BadMessage(ILogger logger, Exception exception, string node, string type, string origin);

    [LoggerMessage(EventId = 3131, Level = LogLevel.Warning, Message = "Cluster request {Type} {RequestId} timed out: {Answered} of {Expected} nodes answered")]
    public static partial void RequestTimedOut(ILogger logger, string type, string requestId, int answered, int expected);
}
