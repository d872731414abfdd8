using Microsoft.Extensions.Logging;

namespace SocketIo.Actors.Cluster.Internal;

/// <summary>Every log line of the cluster adapter and membership; event ids 3100-3199 are fixed.</summary>
internal static partial class ClusterLog
{
    [LoggerMessage(EventId = 3100, Level = LogLevel.Information, Message = "Cluster node {Node} joined cluster {Cluster}")]
    public static partial void NodeStarted(ILogger logger, string node, string cluster);

    [LoggerMessage(EventId = 3101, Level = LogLevel.Information, Message = "Cluster node {Node} left cluster {Cluster}")]
    public static partial void NodeLeft(ILogger logger, string node, string cluster);

    [LoggerMessage(EventId = 3110, Level = LogLevel.Information, Message = "Member {Member} is up (address {Address}); {Count} other members")]
    public static partial void MemberUp(ILogger logger, string member, string address, int count);

    [LoggerMessage(EventId = 3111, Level = LogLevel.Warning, Message = "Member {Member} removed ({Reason}); {Count} other members")]
    public static partial void MemberRemoved(ILogger logger, string member, string reason, int count);

    [LoggerMessage(EventId = 3112, Level = LogLevel.Information, Message = "Node {Node} announces itself again after the broker recovered")]
    public static partial void Reannouncing(ILogger logger, string node);

    [LoggerMessage(EventId = 3120, Level = LogLevel.Warning, Message = "Node {Node} could not publish {Type} to the cluster: {Reason}; local clients are still served")]
    public static partial void PublishFailed(ILogger logger, string node, string type, string reason);

    [LoggerMessage(EventId = 3121, Level = LogLevel.Warning, Message = "Node {Node} dropped {Type}: the cluster publish queue is full")]
    public static partial void PublishQueueFull(ILogger logger, string node, string type);

    [LoggerMessage(EventId = 3122, Level = LogLevel.Warning, Message = "Node {Node} lost the broker connection ({Reason}); serving local clients only until it recovers")]
    public static partial void BrokerLost(ILogger logger, string node, string? reason);

    [LoggerMessage(EventId = 3123, Level = LogLevel.Information, Message = "Node {Node} is connected to the broker again")]
    public static partial void BrokerRecovered(ILogger logger, string node);

    [LoggerMessage(EventId = 3124, Level = LogLevel.Warning, Message = "Node {Node} did not run for {Stalled} (paused or starved); every member gets a fresh heartbeat timeout instead of being declared dead")]
    public static partial void ResumedAfterStall(ILogger logger, string node, TimeSpan stalled);

    [LoggerMessage(EventId = 3130, Level = LogLevel.Warning, Message = "Node {Node} could not handle a cluster message from {Origin}")]
    public static partial void BadMessage(ILogger logger, Exception exception, string node, string origin);

    [LoggerMessage(EventId = 3131, Level = LogLevel.Warning, Message = "Cluster request {Type} {RequestId} timed out: {Answered} of {Expected} nodes answered")]
    public static partial void RequestTimedOut(ILogger logger, string type, string requestId, int answered, int expected);
}
