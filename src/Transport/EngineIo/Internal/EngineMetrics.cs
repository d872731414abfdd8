using System.Diagnostics.Metrics;

namespace SocketIo.Transport.EngineIo.Internal;

/// <summary>Instruments of the Meter <c>SocketIo.Transport</c>.</summary>
internal sealed class EngineMetrics : IDisposable
{
    public const string MeterName = "SocketIo.Transport";

    private readonly Meter _meter;
    private readonly bool _ownsMeter;

    public EngineMetrics(IMeterFactory? meterFactory)
    {
        if (meterFactory is null)
        {
            _meter = new Meter(MeterName);
            _ownsMeter = true;
        }
        else
        {
            _meter = meterFactory.Create(MeterName);
        }

        SessionsOpen = _meter.CreateUpDownCounter<long>("engineio.sessions.open", "{session}", "Open Engine.IO sessions");
        Handshakes = _meter.CreateCounter<long>("engineio.handshakes", "{handshake}", "Completed Engine.IO handshakes");
        Upgrades = _meter.CreateCounter<long>("engineio.upgrades", "{upgrade}", "Completed polling to WebSocket upgrades");
        PacketsIn = _meter.CreateCounter<long>("engineio.packets.in", "{packet}", "Packets received from clients");
        PacketsOut = _meter.CreateCounter<long>("engineio.packets.out", "{packet}", "Packets written to clients");
        BytesIn = _meter.CreateCounter<long>("engineio.bytes.in", "By", "Payload bytes received from clients");
        BytesOut = _meter.CreateCounter<long>("engineio.bytes.out", "By", "Payload bytes written to clients");
        Closes = _meter.CreateCounter<long>("engineio.closes", "{session}", "Closed sessions by reason");
        RequestErrors = _meter.CreateCounter<long>("engineio.request.errors", "{request}", "Requests refused with an Engine.IO error code");
        ReceivePauses = _meter.CreateCounter<long>("engineio.receive.pauses", "{pause}", "Times the layer above paused reading a session's input (inbound flow control)");
    }

    public UpDownCounter<long> SessionsOpen { get; }
    public Counter<long> Handshakes { get; }
    public Counter<long> Upgrades { get; }
    public Counter<long> PacketsIn { get; }
    public Counter<long> PacketsOut { get; }
    public Counter<long> BytesIn { get; }
    public Counter<long> BytesOut { get; }
    public Counter<long> Closes { get; }
    public Counter<long> RequestErrors { get; }
    public Counter<long> ReceivePauses { get; }

    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }
}
