using SocketIo.Actors.Connections;

namespace SocketIo.Benchmarks.Broadcast;

/// <summary>
/// An <see cref="IClientConnection"/> with no transport behind it: every packet the server writes is counted
/// (and signals <see cref="Deliveries"/>), nothing is kept, so the benchmarks measure the Socket.IO layer alone.
/// </summary>
internal sealed class FakeConnection(string id, Deliveries deliveries) : IClientConnection
{
    private static readonly ConnectionHandshake FakeHandshake = new(
        new Dictionary<string, string>(), new Dictionary<string, string>(), "127.0.0.1", "/socket.io/?EIO=4&transport=websocket", false, DateTimeOffset.UnixEpoch);

    public string Id => id;
    public int EngineProtocol => 4;
    public string TransportName => "websocket";
    public ConnectionHandshake Handshake => FakeHandshake;
    public bool IsWritable => true;
    public bool IsOpen { get; private set; } = true;

    /// <summary>The last text packet written, for the setup's checks.</summary>
    public ReadOnlyMemory<byte> LastText { get; private set; }

    public bool Send(ReadOnlyMemory<byte> text, IReadOnlyList<ReadOnlyMemory<byte>> attachments)
    {
        LastText = text;
        deliveries.Signal();
        return true;
    }

    /// <summary>
    /// How many times the server asked to stop reading: the benchmarks drive the handler directly, so there is
    /// nothing to pause, and a setup may check that its load stays under <c>MaxInboundBacklog</c>.
    /// </summary>
    public int Pauses { get; private set; }

    public void PauseReceiving() => Pauses++;

    public void ResumeReceiving()
    {
    }

    public void Close() => IsOpen = false;
}

/// <summary>Counts packets written to fake connections; <see cref="Wait"/> blocks until the expected number arrived.</summary>
internal sealed class Deliveries
{
    private readonly ManualResetEventSlim _done = new(false);
    private long _remaining;

    public void Expect(long count)
    {
        _done.Reset();
        Volatile.Write(ref _remaining, count);
    }

    public void Signal()
    {
        if (Interlocked.Decrement(ref _remaining) == 0)
            _done.Set();
    }

    public bool Wait(TimeSpan timeout) => _done.Wait(timeout);
}
