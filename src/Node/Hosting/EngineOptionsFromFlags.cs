using SocketIo.Transport.EngineIo;

namespace SocketIo.Node.Hosting;

/// <summary>Copies the engine flags given on the command line onto <see cref="EngineIoOptions"/>; absent flags keep the defaults.</summary>
public static class EngineOptionsFromFlags
{
    public static void Apply(EngineIoOptions o, NodeOptions flags)
    {
        if (flags.PingInterval is { } pi) o.PingInterval = pi;
        if (flags.PingTimeout is { } pt) o.PingTimeout = pt;
        if (flags.MaxHttpBufferSize is { } max) o.MaxHttpBufferSize = max;
        if (flags.AllowEio3 is { } eio3) o.AllowEio3 = eio3;
        ApplyTransportFlags(o, flags);
    }

    /// <summary>The flags that still apply when an app fixes its own heartbeat and size settings.</summary>
    public static void ApplyTransportFlags(EngineIoOptions o, NodeOptions flags)
    {
        if (flags.StreamTransportHosts is { } hosts) o.StreamHosts = hosts;

        if (flags.UpgradeTimeout is { } ut) o.UpgradeTimeout = ut;
        if (flags.Transports is { } transports) o.Transports = transports;
        if (flags.AllowUpgrades is { } upgrades) o.AllowUpgrades = upgrades;
        if (flags.CorsOrigin is { } origin) o.Cors.Origins = [origin];
    }
}
