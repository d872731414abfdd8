using System.Collections.Immutable;
using Akka.Actor;
using Newtonsoft.Json.Linq;
using SocketIo.Actors.Internal;
using SocketIo.Actors.Namespaces;

namespace SocketIo.Actors;

/// <summary>
/// An immutable description of a broadcast, as socket.io's <c>BroadcastOperator</c>: the target rooms,
/// the excluded rooms and the flags. <see cref="Emit"/> encodes the packet once and hands it to the
/// namespace actor, which fans it out to room actors and sockets.
/// </summary>
public sealed class BroadcastOperator
{
    private readonly Namespace _nsp;

    internal BroadcastOperator(Namespace nsp, BroadcastTarget target)
    {
        _nsp = nsp;
        Target = target;
    }

    /// <summary>Rooms, excluded rooms and flags of this operator.</summary>
    public BroadcastTarget Target { get; }

    public BroadcastOperator To(string room) => new(_nsp, Target with { Rooms = Target.Rooms.Add(room) });
    public BroadcastOperator To(IEnumerable<string> rooms) => new(_nsp, Target with { Rooms = Target.Rooms.Union(rooms) });
    public BroadcastOperator In(string room) => To(room);
    public BroadcastOperator In(IEnumerable<string> rooms) => To(rooms);
    public BroadcastOperator Except(string room) => new(_nsp, Target with { Except = Target.Except.Add(room) });
    public BroadcastOperator Except(IEnumerable<string> rooms) => new(_nsp, Target with { Except = Target.Except.Union(rooms) });

    /// <summary>Only sockets on this node.</summary>
    public BroadcastOperator Local => new(_nsp, Target with { Local = true });

    /// <summary>Sockets whose transport is not writable at that moment miss the packet.</summary>
    public BroadcastOperator Volatile => new(_nsp, Target with { Volatile = true });

    public BroadcastOperator Compress(bool compress) => new(_nsp, Target with { Compress = compress });

    /// <summary>Timeout of <see cref="EmitWithAck"/>.</summary>
    public BroadcastOperator Timeout(TimeSpan timeout) => new(_nsp, Target with { Timeout = timeout });

    /// <summary>Emits to the target sockets. The packet is encoded once. Reserved names throw.</summary>
    public bool Emit(string eventName, params object?[] args)
    {
        ReservedEvents.ThrowIfReserved(eventName);
        var packet = PacketWriter.Event(_nsp.Name, eventName, args, ackId: null);
        _nsp.Actor.Tell(new NamespaceProtocol.Broadcast(packet, Target, Ack: null, AckId: null));
        return true;
    }

    /// <summary>
    /// Emits to the target sockets and gathers the first argument of each acknowledgement. Completes when
    /// every reached socket answered; fails with <see cref="AckTimeoutException"/> (holding the answers that
    /// came) when <see cref="Timeout"/> elapses first.
    /// </summary>
    public Task<JToken?[]> EmitWithAck(string eventName, params object?[] args)
    {
        ReservedEvents.ThrowIfReserved(eventName);
        var id = _nsp.NextAckId();
        var packet = PacketWriter.Event(_nsp.Name, eventName, args, id);
        var collector = new BroadcastAckCollector(expectedServers: 1);
        if (Target.Timeout is { } timeout)
            collector.StartTimeout(_nsp.Server.Options.TimeProvider, timeout);
        _nsp.Actor.Tell(new NamespaceProtocol.Broadcast(packet, Target, collector, id));
        return collector.Task;
    }

    /// <summary>
    /// The target sockets, with their id, handshake, rooms and data: this node's, then (unless <see cref="Local"/>)
    /// those of the other live nodes of the cluster. Fails with <see cref="TimeoutException"/> when a live node
    /// does not answer within the cluster's request timeout.
    /// </summary>
    public async Task<IReadOnlyList<RemoteSocket>> FetchSockets()
    {
        var remote = Adapter?.FetchSockets(Target);
        var reply = await _nsp.Actor.Ask<NamespaceProtocol.SocketsFound>(new NamespaceProtocol.GetSockets(Target), AskTimeout).ConfigureAwait(false);
        var sockets = reply.Sockets.Select(s => (RemoteSocket)new LocalRemoteSocket(s)).ToList();
        if (remote is not null)
            sockets.AddRange(await remote.ConfigureAwait(false));
        return sockets;
    }

    /// <summary>Makes the target sockets join <paramref name="rooms"/>; completes once the rooms are updated (on every live node).</summary>
    public Task SocketsJoin(params string[] rooms) => WithRemote(
        _nsp.Actor.Ask<NamespaceProtocol.Done>(new NamespaceProtocol.ApplySocketsJoin(Target, rooms), AskTimeout),
        Adapter?.SocketsJoin(Target, rooms));

    /// <summary>Makes the target sockets leave <paramref name="rooms"/> (on every live node).</summary>
    public Task SocketsLeave(params string[] rooms) => WithRemote(
        _nsp.Actor.Ask<NamespaceProtocol.Done>(new NamespaceProtocol.ApplySocketsLeave(Target, rooms), AskTimeout),
        Adapter?.SocketsLeave(Target, rooms));

    /// <summary>Disconnects the target sockets (reason <c>server namespace disconnect</c>); with <paramref name="close"/> their connections too.</summary>
    public Task DisconnectSockets(bool close = false) => WithRemote(
        _nsp.Actor.Ask<NamespaceProtocol.Done>(new NamespaceProtocol.ApplyDisconnectSockets(Target, close), AskTimeout),
        Adapter?.DisconnectSockets(Target, close));

    /// <summary>The cluster adapter, unless this operator is <see cref="Local"/> or the node runs alone.</summary>
    private Adapters.INamespaceAdapter? Adapter => Target.Local ? null : _nsp.Adapter;

    private static Task WithRemote(Task local, Task? remote) => remote is null ? local : Task.WhenAll(local, remote);

    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(30);
}
