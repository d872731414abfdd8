using System.Collections.Concurrent;
using System.Collections.Immutable;
using Newtonsoft.Json.Linq;
using SocketIo.Actors.Internal;
using SocketIo.Actors.Protocol;

namespace SocketIo.Actors;

public sealed partial class Socket
{
    // Created on the first ack this socket waits for: most sockets never emit with an ack, and an empty
    // ConcurrentDictionary costs about half a kilobyte per connection.
    private ConcurrentDictionary<long, PendingAck>? _acks;

    private ConcurrentDictionary<long, PendingAck> Acks =>
        System.Threading.Volatile.Read(ref _acks) ?? LazyInitializer.EnsureInitialized(ref _acks, static () => new(concurrencyLevel: 1, capacity: 7));

    /// <summary>
    /// Emits <paramref name="eventName"/> to this client. Arguments may be JSON-serializable values, JTokens,
    /// or binary (<c>byte[]</c>, <c>ReadOnlyMemory&lt;byte&gt;</c>) at any depth, sent as attachments.
    /// Returns false when the packet was not queued (socket disconnected). Reserved names throw.
    /// </summary>
    public bool Emit(string eventName, params object?[] args) => EmitCore(eventName, args, isVolatile: false, ackId: null);

    /// <summary>Emits the <c>message</c> event (socket.io's <c>socket.send</c>).</summary>
    public bool Send(params object?[] args) => Emit("message", args);

    /// <summary>Emits and waits for the client's acknowledgement; the task yields the ack's arguments. No timeout: see <see cref="Timeout"/>.</summary>
    public Task<JArray> EmitWithAck(string eventName, params object?[] args) => EmitWithAckCore(eventName, args, timeout: null, isVolatile: false);

    /// <summary>Emits with a timeout on the acknowledgement (<c>socket.timeout(ms)</c>).</summary>
    public SocketEmitter Timeout(TimeSpan timeout) => new(this, false, true, timeout);

    /// <summary>The next emit may be dropped if the transport is not writable at that moment (<c>socket.volatile</c>).</summary>
    public SocketEmitter Volatile => new(this, true, true, null);

    /// <summary>Sets the compress flag of the next emit (kept for API parity; this server does not compress).</summary>
    public SocketEmitter Compress(bool compress) => new(this, false, compress, null);

    /// <summary>Broadcast to a room, excluding this socket (<c>socket.to(room)</c>).</summary>
    public BroadcastOperator To(string room) => Broadcast.To(room);

    public BroadcastOperator To(IEnumerable<string> rooms) => Broadcast.To(rooms);

    /// <summary>Alias of <see cref="To(string)"/>.</summary>
    public BroadcastOperator In(string room) => Broadcast.To(room);

    /// <summary>Broadcast to everyone but the sockets in <paramref name="room"/> and this socket.</summary>
    public BroadcastOperator Except(string room) => Broadcast.Except(room);

    /// <summary>Broadcast to every socket of the namespace but this one (<c>socket.broadcast</c>).</summary>
    public BroadcastOperator Broadcast => new(Namespace, BroadcastTarget.All with { Except = ImmutableHashSet.Create(Id) });

    /// <summary>Broadcast limited to this node (<c>socket.local</c>).</summary>
    public BroadcastOperator Local => Broadcast.Local;

    internal bool EmitCore(string eventName, object?[] args, bool isVolatile, long? ackId)
    {
        ReservedEvents.ThrowIfReserved(eventName);
        var outgoing = AnyOutgoingListeners;
        if (!outgoing.IsEmpty)
        {
            var json = PacketWriter.ToJArray(args);
            foreach (var listener in outgoing)
                InvokeOutgoing(listener, eventName, json);
        }
        return Write(PacketWriter.Event(Namespace.Name, eventName, args, ackId), isVolatile);
    }

    internal Task<JArray> EmitWithAckCore(string eventName, object?[] args, TimeSpan? timeout, bool isVolatile)
    {
        ReservedEvents.ThrowIfReserved(eventName);
        var id = Namespace.NextAckId();
        var ack = new SocketAck();
        var acks = Acks;
        acks[id] = ack;
        if (timeout is { } t)
            ack.StartTimeout(Server.Options.TimeProvider, t, () => acks.TryRemove(id, out _));
        if (!EmitCore(eventName, args, isVolatile, id) && !Connected && acks.TryRemove(id, out _))
            ack.Fail(new SocketDisconnectedException(DisconnectReasons.TransportClose));
        return ack.Task;
    }

    /// <summary>Registers the ack of a broadcast this socket is about to receive.</summary>
    internal void RegisterAck(long id, PendingAck ack) => Acks[id] = ack;

    /// <summary>An ACK packet arrived: completes the matching registration; unknown ids are ignored (socket.io's "bad ack").</summary>
    internal bool CompleteAck(long id, JArray args)
    {
        if (System.Threading.Volatile.Read(ref _acks) is not { } acks || !acks.TryRemove(id, out var pending)) return false;
        pending.Complete(args);
        return true;
    }

    internal void FailPendingAcks(string reason)
    {
        if (System.Threading.Volatile.Read(ref _acks) is not { } acks) return;
        foreach (var id in acks.Keys)
            if (acks.TryRemove(id, out var pending))
                pending.Fail(new SocketDisconnectedException(reason));
    }

    /// <summary>
    /// True from the moment the connection refused a packet because its outbound queue was full (a write of any socket
    /// of the connection, a volatile one included), until the connection next reports a drain (<see cref="OnDrain"/>):
    /// the first drain reported after that write began. A writer that backs off checks it before sending and resumes
    /// in its drain listener: the drain is counted before the listeners run, so they read false unless a packet was
    /// refused again since. Writes that found the queue merely half full are not reported to this layer, so they do not
    /// set it (they do raise a drain). A refused non-volatile packet closes the connection, so it is set mostly by
    /// refused volatile packets. Once the connection has closed no drain follows, and it keeps its last value.
    /// </summary>
    public bool IsBackpressured => Client.IsBackpressured;

    /// <summary>
    /// Writes an encoded packet to this socket's connection, as <see cref="SocketIoOptions.OutboundOverflow"/> says:
    /// with <see cref="OutboundOverflowPolicy.Disconnect"/> a volatile packet is dropped when the transport is not
    /// writable; with <see cref="OutboundOverflowPolicy.DropVolatile"/> it is offered like any other. A packet the open
    /// connection refuses (outbound queue full) marks it backpressured until the next drain; a refused volatile packet
    /// is dropped, a refused non-volatile one closes the connection (<c>outbound queue full</c>). Returns whether the
    /// packet was queued.
    /// </summary>
    internal bool Write(EncodedPacket packet, bool isVolatile)
    {
        if (!Connected) return false;
        var client = Client;
        if (isVolatile && !client.QueuesVolatileWhileRoom && !client.Connection.IsWritable) return false;
        if (client.Send(packet, out var refused)) return true;
        if (refused && !isVolatile)
            client.CloseBecauseOutboundQueueFull();
        return false;
    }

    private void InvokeOutgoing(AnyListener listener, string eventName, JArray args)
    {
        try
        {
            listener.Invoke(eventName, args);
        }
        catch (Exception e)
        {
            Server.Log.ListenerFailed(e, "(onAnyOutgoing)", Id);
        }
    }
}

/// <summary>An emit with flags (volatile, compress, timeout) for one socket; obtained from <see cref="Socket.Volatile"/>, <see cref="Socket.Timeout"/> or <see cref="Socket.Compress"/>.</summary>
public readonly struct SocketEmitter
{
    private readonly Socket _socket;
    private readonly bool _volatile;
    private readonly bool _compress;
    private readonly TimeSpan? _timeout;

    internal SocketEmitter(Socket socket, bool isVolatile, bool compress, TimeSpan? timeout)
    {
        _socket = socket;
        _volatile = isVolatile;
        _compress = compress;
        _timeout = timeout;
    }

    public SocketEmitter Volatile => new(_socket, true, _compress, _timeout);

    public SocketEmitter Compress(bool compress) => new(_socket, _volatile, compress, _timeout);

    public SocketEmitter Timeout(TimeSpan timeout) => new(_socket, _volatile, _compress, timeout);

    public bool Emit(string eventName, params object?[] args) => _socket.EmitCore(eventName, args, _volatile, ackId: null);

    /// <summary>Emits and waits for the acknowledgement; fails with <see cref="AckTimeoutException"/> after the timeout.</summary>
    public Task<JArray> EmitWithAck(string eventName, params object?[] args) => _socket.EmitWithAckCore(eventName, args, _timeout, _volatile);
}
