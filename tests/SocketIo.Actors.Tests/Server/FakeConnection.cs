using System.Collections.Concurrent;
using System.Text;
using Akka.Actor;
using SocketIo.Actors.Connections;

namespace SocketIo.Actors.Tests.Server;

/// <summary>
/// A packet the server queued on a <see cref="FakeConnection"/>: the Socket.IO packet string as the
/// port receives it (the transport adds the Engine.IO <c>4</c> message prefix on the wire, so
/// <c>2["hello","world"]</c> here is <c>42["hello","world"]</c> there), its attachments, and the
/// text memory itself so specs can check that a broadcast is encoded once.
/// </summary>
public sealed record Sent(string Packet, IReadOnlyList<byte[]> Attachments, ReadOnlyMemory<byte> Text)
{
    public override string ToString() => Attachments.Count == 0 ? Packet : $"{Packet} (+{Attachments.Count} attachments)";
}

/// <summary>The server refused a packet because the fake's outbound queue was "full".</summary>
public sealed record SendRefused(string Packet);

/// <summary>The server called <see cref="IClientConnection.Close"/> on the fake.</summary>
public sealed record ConnectionClosed(string ConnectionId);

/// <summary>The server called <see cref="IClientConnection.PauseReceiving"/> on the fake.</summary>
public sealed record ReceivingPaused(string ConnectionId);

/// <summary>The server called <see cref="IClientConnection.ResumeReceiving"/> on the fake.</summary>
public sealed record ReceivingResumed(string ConnectionId);

/// <summary>
/// An in-memory <see cref="IClientConnection"/>: every <see cref="Send"/> is recorded and told to an
/// observer (a probe's reference) as <see cref="Sent"/>, in call order; <see cref="Close"/> is told as
/// <see cref="ConnectionClosed"/>. <see cref="Writable"/> drives volatile drops and
/// <see cref="QueueFull"/> makes <see cref="Send"/> return false like a full outbound queue.
/// Flow control calls are recorded (<see cref="Paused"/>, <see cref="PauseCount"/>, <see cref="ResumeCount"/>) and
/// told as <see cref="ReceivingPaused"/> / <see cref="ReceivingResumed"/> to <see cref="FlowObserver"/> when one is
/// set (not to the wire observer, whose packet order the specs assert).
/// </summary>
public sealed class FakeConnection(string id, int engineProtocol, IActorRef observer, ConnectionHandshake? handshake = null) : IClientConnection
{
    private volatile bool _open = true;
    private int _closeCount;
    private int _pauseCount;
    private int _resumeCount;
    private int _paused;

    public string Id { get; } = id;

    public int EngineProtocol { get; } = engineProtocol;

    public string TransportName => "websocket";

    public ConnectionHandshake Handshake { get; } = handshake ?? new ConnectionHandshake(
        new Dictionary<string, string> { ["host"] = "127.0.0.1" },
        new Dictionary<string, string> { ["EIO"] = engineProtocol.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        "127.0.0.1",
        "/socket.io/?EIO=" + engineProtocol,
        Secure: false,
        new DateTimeOffset(2026, 11, 22, 0, 0, 0, TimeSpan.Zero));

    /// <summary>What <see cref="IsWritable"/> answers (default true).</summary>
    public volatile bool Writable = true;

    /// <summary>When true, <see cref="Send"/> refuses every packet and returns false.</summary>
    public volatile bool QueueFull;

    public bool IsWritable => Writable;

    public bool IsOpen => _open;

    /// <summary>
    /// Called synchronously inside <see cref="Send"/> after a packet was accepted: a client that answers
    /// at once, before the server's call returns (the tightest timing a real network can produce).
    /// </summary>
    public Action<Sent>? OnSend { get; set; }

    /// <summary>
    /// Called synchronously inside <see cref="Send"/> after a packet was refused (<see cref="QueueFull"/>), before the
    /// server's call returns: what the transport may do meanwhile on its own thread, such as reporting a drain.
    /// </summary>
    public Action<SendRefused>? OnRefused { get; set; }

    /// <summary>
    /// Called synchronously inside <see cref="Close"/>, before the server's call returns: what the transport may do
    /// meanwhile on its own thread, such as reporting the close with its own reason.
    /// </summary>
    public Action? OnClosing { get; set; }

    /// <summary>Every packet accepted so far, in order.</summary>
    public ConcurrentQueue<Sent> Packets { get; } = new();

    /// <summary>How many times the server called <see cref="Close"/>.</summary>
    public int CloseCount => Volatile.Read(ref _closeCount);

    public bool Send(ReadOnlyMemory<byte> text, IReadOnlyList<ReadOnlyMemory<byte>> attachments)
    {
        var packet = Encoding.UTF8.GetString(text.Span);
        if (!_open) return false;
        if (QueueFull)
        {
            var refused = new SendRefused(packet);
            observer.Tell(refused, null);
            OnRefused?.Invoke(refused);
            return false;
        }

        var sent = new Sent(packet, attachments.Select(a => a.ToArray()).ToList(), text);
        Packets.Enqueue(sent);
        observer.Tell(sent, null);
        OnSend?.Invoke(sent);
        return true;
    }

    /// <summary>Told <see cref="ReceivingPaused"/> and <see cref="ReceivingResumed"/> in call order, when set.</summary>
    public IActorRef? FlowObserver { get; set; }

    /// <summary>True between a <see cref="PauseReceiving"/> and the next <see cref="ResumeReceiving"/>.</summary>
    public bool Paused => Volatile.Read(ref _paused) != 0;

    /// <summary>How many times the server called <see cref="PauseReceiving"/>.</summary>
    public int PauseCount => Volatile.Read(ref _pauseCount);

    /// <summary>How many times the server called <see cref="ResumeReceiving"/>.</summary>
    public int ResumeCount => Volatile.Read(ref _resumeCount);

    public void PauseReceiving()
    {
        Interlocked.Increment(ref _pauseCount);
        Volatile.Write(ref _paused, 1);
        FlowObserver?.Tell(new ReceivingPaused(Id), null);
    }

    public void ResumeReceiving()
    {
        Interlocked.Increment(ref _resumeCount);
        Volatile.Write(ref _paused, 0);
        FlowObserver?.Tell(new ReceivingResumed(Id), null);
    }

    public void Close()
    {
        _open = false;
        Interlocked.Increment(ref _closeCount);
        observer.Tell(new ConnectionClosed(Id), null);
        OnClosing?.Invoke();
    }
}
