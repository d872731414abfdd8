using System.Collections.Concurrent;
using Akka.Actor;
using Newtonsoft.Json.Linq;
using SocketIo.Actors.Connections;
using SocketIo.Actors.Protocol;
using SocketIo.Actors.Sockets;

namespace SocketIo.Actors.Internal;

/// <summary>
/// One client connection: decodes its packets (binary attachments reassembled), routes each to the socket
/// actor of its namespace or to the namespace for CONNECT, closes the connection on protocol violations,
/// and tears its sockets down when the connection closes. Inbound calls never overlap (the transport
/// guarantees it); the socket map is shared with the namespace and socket actors.
/// Inbound flow control: the packets handed to socket actors and not yet handled are counted per connection
/// (each socket keeps its own share, handed back when its actor stops); at <see cref="SocketIoOptions.MaxInboundBacklog"/>
/// the connection stops reading, at half of it reading resumes.
/// Outbound: a packet the connection refuses (outbound queue full) marks it backpressured until the transport reports
/// the next drain, which is passed on to every socket of the connection that has drain listeners.
/// </summary>
internal sealed class Client : IClientConnectionHandler
{
    private readonly SocketIoServer _server;
    private readonly PacketReader _reader;
    // One lock stripe and a small table: a connection is in one or a few namespaces, and the defaults
    // (a stripe per core, 31 buckets) cost about 350 bytes per dictionary per connection.
    private readonly ConcurrentDictionary<string, Socket> _sockets = new(concurrencyLevel: 1, capacity: 2, StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _connecting = new(concurrencyLevel: 1, capacity: 2, StringComparer.Ordinal);
    private readonly int _maxInboundBacklog;
    private ITimer? _connectTimer;
    private ITimer? _attachmentTimer;
    private int _closed;
    private int _inboundBacklog;
    private int _receivingPaused;
    private int _flowRequests;
    private long _drains; // drains the transport reported so far
    private long _backpressuredUntil; // backpressured while fewer drains than this were reported

    public Client(SocketIoServer server, IClientConnection connection)
    {
        _server = server;
        Connection = connection;
        _maxInboundBacklog = server.Options.MaxInboundBacklog;
        QueuesVolatileWhileRoom = server.Options.OutboundOverflow == OutboundOverflowPolicy.DropVolatile;
        _reader = new PacketReader(connection.EngineProtocol == 3 ? 4 : 5, server.Options.MaxAttachments, server.Options.MaxJsonDepth);
    }

    public IClientConnection Connection { get; }

    public string Id => Connection.Id;

    public int EngineProtocol => Connection.EngineProtocol;

    public bool IsOpen => Volatile.Read(ref _closed) == 0 && Connection.IsOpen;

    /// <summary>
    /// <see cref="OutboundOverflowPolicy.DropVolatile"/>: a volatile packet is offered to the connection whatever
    /// <see cref="IClientConnection.IsWritable"/> says, and dropped only if refused.
    /// </summary>
    public bool QueuesVolatileWhileRoom { get; }

    /// <summary>True from a refused packet until the first drain reported after the refused write began (<see cref="Socket.IsBackpressured"/>).</summary>
    public bool IsBackpressured => Volatile.Read(ref _drains) < Volatile.Read(ref _backpressuredUntil);

    /// <summary>Packets handed to this connection's socket actors and not yet handled (diagnostics and tests).</summary>
    internal int InboundBacklog => Volatile.Read(ref _inboundBacklog);

    /// <summary>Arms the connect timeout; a v3 engine client (protocol v4) is connected to <c>/</c> at once, as socket.io does.</summary>
    public void Start()
    {
        _connectTimer = _server.Options.TimeProvider.CreateTimer(_ =>
        {
            if (_sockets.IsEmpty)
                CloseWith(DisconnectReasons.ForcedServerClose);
        }, null, _server.Options.ConnectTimeout, Timeout.InfiniteTimeSpan);
        if (EngineProtocol == 3)
            RequestConnect("/", new JObject());
    }

    public void OnText(ReadOnlyMemory<byte> utf8)
    {
        if (Volatile.Read(ref _closed) != 0) return;
        Handle(_reader.ReadText(utf8));
    }

    public void OnBinary(ReadOnlyMemory<byte> data)
    {
        if (Volatile.Read(ref _closed) != 0) return;
        Handle(_reader.ReadBinary(data));
    }

    public void OnClose(string reason) => Teardown(reason);

    /// <summary>
    /// The outbound queue drained: the connection is no longer backpressured (counted first, so the listeners see it),
    /// and each socket with drain listeners is told <see cref="SocketProtocol.Drained"/>; a socket without any costs
    /// no message.
    /// </summary>
    public void OnDrain()
    {
        if (Volatile.Read(ref _closed) != 0) return;
        Interlocked.Increment(ref _drains);
        foreach (var (_, socket) in _sockets)
            if (!socket.DrainListeners.IsEmpty)
                socket.Actor.Tell(SocketProtocol.Drained.Instance);
    }

    /// <summary>
    /// The open connection refused a packet (outbound queue full) in a write that began when <paramref name="drainsBefore"/>
    /// drains had been reported: it is backpressured until the next drain after that one. The transport may report that
    /// drain before this is called, which is why the count is taken before the send and not now.
    /// </summary>
    private void OutboundRefused(long drainsBefore)
    {
        var until = drainsBefore + 1;
        var current = Volatile.Read(ref _backpressuredUntil);
        while (current < until)
        {
            var seen = Interlocked.CompareExchange(ref _backpressuredUntil, until, current);
            if (seen == current) return;
            current = seen;
        }
    }

    private void Handle(PacketReader.Result result)
    {
        switch (result.Status)
        {
            case PacketReader.Status.Error:
                _server.Log.ProtocolViolation(Id, result.Error!);
                CloseWith(DisconnectReasons.ParseError);
                return;
            case PacketReader.Status.NeedAttachments:
                _attachmentTimer ??= _server.Options.TimeProvider.CreateTimer(_ =>
                {
                    _server.Log.ProtocolViolation(Id, "announced binary attachments never arrived");
                    CloseWith(DisconnectReasons.ParseError);
                }, null, _server.Options.AttachmentTimeout, Timeout.InfiniteTimeSpan);
                return;
            default:
                _attachmentTimer?.Dispose();
                _attachmentTimer = null;
                Route(result.Packet!);
                return;
        }
    }

    private void Route(InboundPacket packet)
    {
        var socket = _sockets.GetValueOrDefault(packet.Namespace);
        if (packet.Kind == InboundKind.Connect && socket is null)
        {
            if (_connecting.TryAdd(packet.Namespace, 0))
            {
                RequestConnect(packet.Namespace, packet.Auth ?? new JObject());
                return;
            }
        }
        else if (socket is not null && packet.Kind is not (InboundKind.Connect or InboundKind.ConnectError))
        {
            // The client left the namespace: forget the socket now, as socket.io does, so a CONNECT that
            // follows at once (socket.disconnect(); socket.connect()) opens a new socket instead of being
            // taken for a second CONNECT, which would close the connection.
            if (packet.Kind == InboundKind.Disconnect)
                _sockets.TryRemove(new KeyValuePair<string, Socket>(packet.Namespace, socket));
            // Counted before it is told, so the actor's decrement can never come first. A socket whose actor has
            // stopped refuses the count: the message goes to dead letters and nobody would give it back.
            if (_maxInboundBacklog > 0 && socket.TryCountInbound())
                InboundQueued();
            socket.Actor.Tell(new SocketProtocol.Inbound(packet));
            return;
        }
        // A packet for a namespace this client is not in, or a second CONNECT: socket.io closes the connection.
        _server.Log.InvalidPacketState(Id, packet.Kind.ToString(), packet.Namespace);
        CloseWith(DisconnectReasons.ForcedServerClose);
    }

    /// <summary>One more packet in the socket actors' hands; at the limit the connection stops reading.</summary>
    private void InboundQueued()
    {
        if (Interlocked.Increment(ref _inboundBacklog) >= _maxInboundBacklog && Volatile.Read(ref _receivingPaused) == 0)
            ReconcileReceiving();
    }

    /// <summary>
    /// Called by a socket (from its actor) for <paramref name="count"/> packets it finished handling, or gave back
    /// when its actor stopped; at half the limit the connection reads again.
    /// </summary>
    internal void InboundHandled(int count)
    {
        if (Interlocked.Add(ref _inboundBacklog, -count) <= _maxInboundBacklog / 2 && Volatile.Read(ref _receivingPaused) != 0)
            ReconcileReceiving();
    }

    /// <summary>
    /// Brings the transport's pause in line with the backlog. The transport thread (counting up) and the socket
    /// actors (counting down) cross the thresholds concurrently, so one caller at a time applies the change and a
    /// concurrent caller only leaves a request that the running one picks up: pause and resume calls on the
    /// connection can never overtake each other and leave it paused with nothing in hand. The backlog is read again
    /// after every change, since the other side may have crossed back while the change was being made (the flag is
    /// written with a full fence and the counters are interlocked, so one of the two sides always sees the other).
    /// </summary>
    private void ReconcileReceiving()
    {
        if (Interlocked.Increment(ref _flowRequests) != 1) return;
        do
        {
            while (true)
            {
                var backlog = Volatile.Read(ref _inboundBacklog);
                if (_receivingPaused == 0 && backlog >= _maxInboundBacklog && IsOpen)
                {
                    Interlocked.Exchange(ref _receivingPaused, 1);
                    Connection.PauseReceiving();
                    _server.Log.ReceivingPaused(Id, backlog, _maxInboundBacklog);
                }
                else if (_receivingPaused != 0 && backlog <= _maxInboundBacklog / 2)
                {
                    Interlocked.Exchange(ref _receivingPaused, 0);
                    Connection.ResumeReceiving();
                    _server.Log.ReceivingResumed(Id, backlog);
                }
                else
                {
                    break;
                }
            }
        }
        while (Interlocked.Decrement(ref _flowRequests) != 0);
    }

    private void RequestConnect(string nsp, JObject auth)
    {
        _connecting.TryAdd(nsp, 0);
        _server.ConnectToNamespace(this, nsp, auth);
    }

    /// <summary>Called by the namespace actor once the socket exists, before its CONNECT answer is written.</summary>
    public void Attach(Socket socket)
    {
        _sockets[socket.Namespace.Name] = socket;
        _connecting.TryRemove(socket.Namespace.Name, out _);
        // Dropped, not only disposed: a disposed timer still holds its queue entry and callback.
        Interlocked.Exchange(ref _connectTimer, null)?.Dispose();
        // The connection may have closed while the socket was being admitted.
        if (Volatile.Read(ref _closed) != 0 && _sockets.TryRemove(socket.Namespace.Name, out _))
            socket.Actor.Tell(new SocketProtocol.Disconnect(DisconnectReasons.TransportClose, NotifyClient: false));
    }

    /// <summary>Called by the socket actor when the socket has disconnected.</summary>
    public void Detach(Socket socket) =>
        _sockets.TryRemove(new KeyValuePair<string, Socket>(socket.Namespace.Name, socket));

    /// <summary>Refuses a namespace connection: <c>connect_error</c> with the error's message (and data for v5 clients).</summary>
    public void RefuseNamespace(string nsp, Exception error)
    {
        _connecting.TryRemove(nsp, out _);
        var data = error is ConnectionRefusedException refused ? refused.Data : null;
        Write(PacketWriter.ConnectError(nsp, error.Message, data, EngineProtocol == 3 ? 4 : 5));
    }

    /// <summary>Writes a packet addressed to this connection (not to a particular socket); a refused one is dropped, the connection marked backpressured.</summary>
    public void Write(EncodedPacket packet)
    {
        if (IsOpen)
            Send(packet, out _);
    }

    /// <summary>
    /// Hands a packet to the connection; true when it was queued. <paramref name="refused"/> is true when the open
    /// connection refused it (outbound queue full), which marks the connection backpressured; false when it was queued
    /// or the connection had closed.
    /// </summary>
    public bool Send(EncodedPacket packet, out bool refused)
    {
        // Read before the send: the drain this refusal leads to is numbered after it, even when the transport reports
        // it before this thread records the refusal.
        var drains = Volatile.Read(ref _drains);
        var sent = Connection.Send(packet.Text, packet.Attachments);
        refused = !sent && Connection.IsOpen;
        if (refused)
            OutboundRefused(drains);
        return sent;
    }

    /// <summary>
    /// socket.io's <c>socket.disconnect(true)</c>: every socket of the connection is disconnected from its
    /// namespace (DISCONNECT packet, reason <c>server namespace disconnect</c>), then the connection closes.
    /// </summary>
    public void DisconnectAllAndClose()
    {
        foreach (var (nsp, socket) in _sockets)
        {
            if (!_sockets.TryRemove(nsp, out _)) continue;
            Write(PacketWriter.Disconnect(nsp));
            socket.Actor.Tell(new SocketProtocol.Disconnect(DisconnectReasons.ServerNamespaceDisconnect, NotifyClient: false));
        }
        CloseWith(DisconnectReasons.ForcedServerClose);
    }

    /// <summary>The client stopped reading and a non-volatile packet could not be queued.</summary>
    public void CloseBecauseOutboundQueueFull()
    {
        _server.Log.OutboundQueueFull(Id);
        CloseWith(DisconnectReasons.OutboundQueueFull);
    }

    /// <summary>Closes the connection from the server side; its sockets disconnect with <paramref name="reason"/>.</summary>
    public void CloseWith(string reason)
    {
        // Claimed before the connection is told: the transport reports the close from its own thread
        // (OnClose, "forced close") and may do so before Close returns; the sockets must see this reason.
        if (Interlocked.Exchange(ref _closed, 1) != 0) return;
        Connection.Close();
        TeardownClaimed(reason);
    }

    private void Teardown(string reason)
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0) return;
        TeardownClaimed(reason);
    }

    private void TeardownClaimed(string reason)
    {
        _connectTimer?.Dispose();
        _attachmentTimer?.Dispose();
        foreach (var nsp in _sockets.Keys)
            if (_sockets.TryRemove(nsp, out var socket))
                socket.Actor.Tell(new SocketProtocol.Disconnect(reason, NotifyClient: false));
        _server.ClientClosed(this);
    }

    /// <summary>The socket's handshake: the connection's request plus the CONNECT packet's auth.</summary>
    public Handshake BuildHandshake(JObject auth)
    {
        var h = Connection.Handshake;
        var xdomain = h.Headers.ContainsKey("origin");
        return new Handshake(h.Headers, h.Query, auth, h.Address, h.Url, h.Secure, h.Time, xdomain);
    }
}
