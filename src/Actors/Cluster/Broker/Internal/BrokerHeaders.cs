namespace SocketIo.Actors.Cluster.Broker.Internal;

/// <summary>Headers the broker layer itself uses; application headers must not start with "x-socketio-".</summary>
internal static class BrokerHeaders
{
    /// <summary>Marks a probe (see <see cref="IBrokerSubscription.ProbeAsync"/>): consumed by the broker layer, never handed to handlers.</summary>
    public const string Probe = "x-socketio-probe";
}
