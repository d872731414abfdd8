using System.Collections.Concurrent;
using System.Text;
using SocketIo.Actors.Connections;
using SocketIo.Actors.Kernel;

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

/// <summary>
/// An in-memory <see cref="IClientConnection"/>: every <see cref="Send"/> is recorded and told to an
/// observer (a probe's reference) as <see cref="Sent"/>, in call order; <see cref="Close"/> is told as
/// <see cref="ConnectionClosed"/>. <see cref="Writable"/> drives volatile drops and
/// <see cref="QueueFull"/> makes <see cref="Send"/> return false like a full outbound queue.
/// </summary>
public sealed class FakeConnection(string id, int engineProtocol, IActorRef observer, ConnectionHandshake? handshake = null) : IClientConnection
{
    private volatile bool _open = true;
    private int _closeCount;

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
            observer.Tell(new SendRefused(packet), null);
            return false;
        }

        var sent = new Sent(packet, attachments.Select(a => a.ToArray()).ToList(), text);
        Packets.Enqueue(sent);
        observer.Tell(sent, null);
        OnSend?.Invoke(sent);
        return true;
    }

    public void Close()
    {
        _open = false;
        Interlocked.Increment(ref _closeCount);
        observer.Tell(new ConnectionClosed(Id), null);
    }
}
