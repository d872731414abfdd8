using SocketIo.Actors;
using SocketIo.Transport.EngineIo;

namespace SocketIo.Node.Configuration;

public sealed partial record NodeConfig
{
    /// <summary>
    /// Copies the <c>engine.*</c> settings onto <paramref name="options"/>. Settings the configuration does
    /// not model (cookie, request filter, clock, queue size) are left as they are; a configured CORS origin
    /// replaces the list of allowed origins.
    /// </summary>
    public void ApplyTo(EngineIoOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Path = Engine.Path;
        options.PingInterval = Engine.PingInterval;
        options.PingTimeout = Engine.PingTimeout;
        options.UpgradeTimeout = Engine.UpgradeTimeout;
        options.MaxHttpBufferSize = Engine.MaxHttpBufferSize;
        options.Transports = [.. Engine.Transports];
        options.AllowUpgrades = Engine.AllowUpgrades;
        options.AllowEio3 = Engine.AllowEio3;
        if (Engine.CorsOrigin is { } origin) options.Cors.Origins = [origin];
    }

    /// <summary>Copies the <c>socketio.*</c> settings onto <paramref name="options"/>; its clock is left as it is.</summary>
    public void ApplyTo(SocketIoOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ConnectTimeout = SocketIo.ConnectTimeout;
        options.CleanupEmptyChildNamespaces = SocketIo.CleanupEmptyChildNamespaces;
        options.MaxDynamicNamespaces = SocketIo.MaxDynamicNamespaces;
        options.MaxAttachments = SocketIo.MaxAttachments;
        options.MaxJsonDepth = SocketIo.MaxJsonDepth;
        options.AttachmentTimeout = SocketIo.AttachmentTimeout;
        options.MaxInboundBacklog = SocketIo.MaxInboundBacklog;
        options.OutboundOverflow = SocketIo.OutboundOverflow;
    }
}
