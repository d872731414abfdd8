using System.Buffers;
using System.Net.WebSockets;
using SocketIo.Transport.EngineIo.Internal.Streams;
using SocketIo.Transport.EngineIo.Protocol;

namespace SocketIo.Transport.EngineIo.Internal;

/// <summary>
/// The polling → WebSocket upgrade of a session graph: the probe <c>2probe</c> is answered <c>3probe</c> on the new
/// socket, the held GET is released with a noop (as are GETs until the upgrade ends), and <c>5</c> hands the socket to
/// the transport stage, which switches its source and sink in place. A probe that sends anything else, or does not
/// finish within UpgradeTimeout, is closed; the session stays on polling.
/// </summary>
internal sealed partial class EngineSession
{
    // Probe and upgrade packets are a few bytes; a probe message larger than this is not one.
    private const int MaxProbeMessage = 64;

    private bool _probing;

    /// <summary>Serves a WebSocket upgrade request for this session on the accepted <paramref name="probe"/>; completes when that socket is done with.</summary>
    public async Task UpgradeAsync(WebSocket probe)
    {
        bool refused;
        lock (this)
        {
            refused = !_open || IsWebSocket || _probing || !_server.UpgradesAllowed;
            _probing |= !refused;
        }

        if (refused)
        {
            // As the reference: a second probe, an upgraded or closed session gets the socket closed at once.
            await CloseProbeAsync(probe, Settings.WebSocketCloseGrace);
            return;
        }

        string? abandoned;
        // A probe that does not finish in time gets the close handshake (reads carry no token: cancelling one would
        // abort the socket instead); its pending read then ends with the client's close frame.
        using var timeout = new CancellationTokenSource(Settings.UpgradeTimeout);
        using var onTimeout = timeout.Token.Register(static state => _ = CloseProbeAsync((WebSocket)state!, TimeSpan.FromSeconds(5)), probe);
        try
        {
            var first = await ReceiveProbeAsync(probe);
            if (first is { Type: EnginePacketType.Ping } ping && ping.Data.Span.SequenceEqual("probe"u8))
            {
                await probe.SendAsync("3probe"u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None);
                Metrics.PacketsOut.Add(1);
                Metrics.BytesOut.Add(6);
                PostTransport(EngineTransportStage.PollingCommand.Probed.Instance);
                var second = await ReceiveProbeAsync(probe);
                abandoned = second is { Type: EnginePacketType.Upgrade } && !timeout.IsCancellationRequested
                    ? SwitchTo(probe)
                    : "unexpected packet during upgrade";
            }
            else
            {
                abandoned = "unexpected packet during upgrade";
            }
        }
        catch (Exception exception) when (IsTransportException(exception))
        {
            abandoned = "probe connection lost";
        }

        if (abandoned is not null && timeout.IsCancellationRequested)
        {
            abandoned = "upgrade timeout";
        }

        if (abandoned is not null)
        {
            lock (this)
            {
                _probing = false;
            }

            PostTransport(EngineTransportStage.PollingCommand.ProbeEnded.Instance);
            EngineLog.UpgradeAbandoned(Logger, Id, abandoned);
            await CloseProbeAsync(probe, Settings.WebSocketCloseGrace);
            return;
        }

        await WebSocketEndedAsync();
    }

    /// <summary>Makes <paramref name="probe"/> the session's transport; the reason it could not, or null.</summary>
    private string? SwitchTo(WebSocket probe)
    {
        lock (this)
        {
            _probing = false;
            if (!_open)
            {
                return "session closed";
            }

            _socket = probe;
            Volatile.Write(ref _transport, WebSocketName);
        }

        PostTransport(new EngineTransportStage.PollingCommand.Upgraded(probe));
        Metrics.Upgrades.Add(1);
        EngineLog.UpgradeCompleted(Logger, Id);
        return null;
    }

    /// <summary>Reads one whole probe message and decodes it; null for a close frame, a message too large to be a probe, or one the codec refuses.</summary>
    private async Task<EnginePacket?> ReceiveProbeAsync(WebSocket probe)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(MaxProbeMessage + 1);
        try
        {
            var count = 0;
            while (true)
            {
                var result = await probe.ReceiveAsync(buffer.AsMemory(count, MaxProbeMessage + 1 - count), CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return null;
                }

                count += result.Count;
                if (count > MaxProbeMessage)
                {
                    return null;
                }

                if (result.EndOfMessage)
                {
                    var frame = new ReadOnlySequence<byte>(buffer, 0, count);
                    Metrics.BytesIn.Add(count);
                    return EnginePacketCodec.TryParse(ref frame, result.MessageType == WebSocketMessageType.Binary, Protocol, out var packet, out _) ? packet : null;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Sends the close frame (once), aborting the socket if that does not finish within <paramref name="grace"/>.</summary>
    private static async Task CloseProbeAsync(WebSocket probe, TimeSpan grace)
    {
        try
        {
            using var timeout = new CancellationTokenSource(grace);
            if (probe.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await probe.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
            }
        }
        catch (Exception exception) when (IsTransportException(exception) || exception is InvalidOperationException)
        {
            // Gone already, or the other close of the two (timeout and abandon) won the race.
            probe.Abort();
        }
    }
}
