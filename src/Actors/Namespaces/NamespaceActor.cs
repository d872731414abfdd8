using System.Collections.Immutable;
using Akka.Actor;
using SocketIo.Actors.Internal;
using SocketIo.Actors.Protocol;
using SocketIo.Actors.Rooms;
using SocketIo.Actors.Sockets;
using static SocketIo.Actors.Namespaces.NamespaceProtocol;

namespace SocketIo.Actors.Namespaces;

/// <summary>
/// One per namespace per node. Admits connections (running the connection middlewares off the actor),
/// creates socket actors (its children, or sharded entities in a cluster: <see cref="Adapters.ISocketActorHost"/>),
/// owns the socket index and room membership, and routes broadcasts: to a room actor when one room is targeted,
/// directly to sockets otherwise. It is the only writer of the
/// membership, so room events are published in the order they happen.
/// </summary>
internal sealed class NamespaceActor : ReceiveActor
{
    private readonly Namespace _nsp;
    private readonly Dictionary<string, Socket> _sockets = [];
    private readonly Dictionary<string, RoomEntry> _rooms = [];
    private long _roomSeq;
    private readonly Adapters.ISocketActorHost? _socketHost;

    /// <summary>A room's members; private rooms (a socket's own id) have no actor and are written to directly.</summary>
    private sealed class RoomEntry(IActorRef? actor)
    {
        public IActorRef? Actor { get; } = actor;
        public HashSet<Socket> Members { get; } = [];
    }

    public NamespaceActor(Namespace nsp)
    {
        _nsp = nsp;
        _socketHost = nsp.Server.Options.Adapter?.SocketActors;
        Receive<Connect>(HandleConnect);
        Receive<MiddlewaresCompleted>(HandleMiddlewaresCompleted);
        Receive<SocketActorStarted>(HandleSocketActorStarted);
        Receive<JoinRooms>(HandleJoinRooms);
        Receive<LeaveRoom>(HandleLeaveRoom);
        Receive<RemoveSocket>(HandleRemoveSocket);
        Receive<Broadcast>(HandleBroadcast);
        Receive<RemoteBroadcast>(HandleRemoteBroadcast);
        Receive<GetSockets>(HandleGetSockets);
        Receive<ApplySocketsJoin>(HandleApplySocketsJoin);
        Receive<ApplySocketsLeave>(HandleApplySocketsLeave);
        Receive<ApplyDisconnectSockets>(HandleApplyDisconnectSockets);
        Receive<Shutdown>(HandleShutdown);
    }

    private void HandleConnect(Connect connect)
    {
        var client = connect.Client;
        if (!client.IsOpen) return;
        // socket.io gives v4-protocol clients (socket.io-client 2.x) ids derived from the engine id, which
        // those clients compute themselves; v5 clients get a fresh id that does not reveal the engine id.
        var id = client.EngineProtocol == 3
            ? (_nsp.Name == "/" ? client.Id : _nsp.Name + "#" + client.Id)
            : _socketHost?.SocketIdPrefix + SocketIds.NewId();
        var socket = new Socket(_nsp, client, id, client.BuildHandshake(connect.Auth));
        var middlewares = _nsp.Middlewares;
        if (middlewares.IsEmpty)
            Admit(socket);
        else
            RunMiddlewares(socket, middlewares).PipeTo(Self);
    }

    private static async Task<MiddlewaresCompleted> RunMiddlewares(Socket socket, IEnumerable<Func<Socket, Task>> middlewares)
    {
        foreach (var middleware in middlewares)
        {
            try
            {
                await middleware(socket).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                return new MiddlewaresCompleted(socket, e);
            }
        }
        return new MiddlewaresCompleted(socket, null);
    }

    private void HandleMiddlewaresCompleted(MiddlewaresCompleted completed)
    {
        var client = completed.Socket.Client;
        if (!client.IsOpen) return;
        if (completed.Error is { } error)
        {
            client.RefuseNamespace(_nsp.Name, error);
            return;
        }
        Admit(completed.Socket);
    }

    private void Admit(Socket socket)
    {
        if (!socket.Client.IsOpen) return;
        if (_socketHost is { } host)
        {
            // A sharded entity starts asynchronously; the socket is admitted when it answers (HandleSocketActorStarted).
            host.StartSocketActor(socket.Id, ActorProps.Of(() => new SocketActor(socket)));
            return;
        }
        Admitted(socket, Context.ActorOf(ActorProps.Of(() => new SocketActor(socket))));
    }

    private void HandleSocketActorStarted(SocketActorStarted started)
    {
        var socket = started.Socket;
        if (!socket.Client.IsOpen || _sockets.ContainsKey(socket.Id))
        {
            // The client left while the entity was starting (or a socket of that id is already admitted): nothing
            // else would stop this entity.
            started.Actor.Tell(PoisonPill.Instance);
            return;
        }
        Admitted(socket, started.Actor);
    }

    private void Admitted(Socket socket, IActorRef actor)
    {
        socket.Actor = actor;
        socket.MarkConnected();
        _sockets[socket.Id] = socket;
        _nsp.LocalSockets[socket.Id] = socket;
        socket.AddRooms([socket.Id]);
        AddToRoom(socket, socket.Id);
        // Attached before Start is queued: packets the client sends once it sees CONNECT land behind Start.
        socket.Client.Attach(socket);
        socket.Actor.Tell(SocketProtocol.Start.Instance);
    }

    private void HandleJoinRooms(JoinRooms join)
    {
        if (!_sockets.ContainsKey(join.Socket.Id)) return;
        foreach (var room in join.Rooms)
            AddToRoom(join.Socket, room);
    }

    // Not checked against the index: a Leave told from another thread may arrive after RemoveSocket, whose
    // room list no longer had the room; ignoring it would leave the socket in the room for ever.
    private void HandleLeaveRoom(LeaveRoom leave) => RemoveFromRoom(leave.Socket, leave.Room);

    private void HandleRemoveSocket(RemoveSocket remove)
    {
        var socket = remove.Socket;
        if (!_sockets.Remove(socket.Id)) return;
        _nsp.LocalSockets.TryRemove(socket.Id, out _);
        foreach (var room in remove.Rooms)
            RemoveFromRoom(socket, room);
        if (_sockets.Count == 0 && _nsp.Parent is not null && _nsp.Server.Options.CleanupEmptyChildNamespaces)
            _nsp.Server.RemoveChildNamespace(_nsp);
    }

    private void HandleBroadcast(Broadcast broadcast)
    {
        // The namespace actor writes every broadcast itself, in the order it receives them. Handing some to
        // room actors (which run concurrently with this actor and with each other) let a later broadcast
        // overtake an earlier one at a socket that both reach: io.To("a").Emit(x); io.Emit(y) could
        // arrive as y, x. socket.io delivers a node's broadcasts in emit order, and clients rely on it.
        var target = broadcast.Target;
        var adapter = target.Local ? null : _nsp.Adapter;
        // The remote nodes are counted before the local report, so the ack cannot complete with local answers only.
        if (adapter is not null && broadcast.Ack is { } remoteAcks)
            adapter.BroadcastWithAck(broadcast.Packet, target, remoteAcks);
        var count = 0;
        if (target.Rooms.Count == 1)
        {
            // One room (socket.to(room), io.to(room)): its member set already holds each socket once, so it is
            // walked in place instead of being copied into a new set per broadcast (a 1,000-member room cost
            // ~70 KB of garbage per broadcast). Same sockets, same order as Select.
            var except = ExceptSockets(target);
            if (_rooms.TryGetValue(SingleRoom(target.Rooms), out var entry))
                foreach (var member in entry.Members)
                {
                    if (except is not null && except.Contains(member)) continue;
                    DeliverTo(member, broadcast.Packet, target.Volatile, broadcast.Ack, broadcast.AckId);
                    count++;
                }
        }
        else
        {
            foreach (var socket in Select(target))
            {
                DeliverTo(socket, broadcast.Packet, target.Volatile, broadcast.Ack, broadcast.AckId);
                count++;
            }
        }
        broadcast.Ack?.ServerReported(count);
        // Published after local delivery, from this actor, so other nodes see this node's broadcasts in emit order.
        if (adapter is not null && broadcast.Ack is null)
            adapter.Broadcast(broadcast.Packet, target);
    }

    private void HandleRemoteBroadcast(RemoteBroadcast broadcast)
    {
        var packet = broadcast.Packet;
        long? ackId = null;
        if (broadcast.Acks is not null)
        {
            // Every node acknowledges under its own id, as socket.io's cluster adapter does: ids are per node.
            ackId = _nsp.NextAckId();
            packet = Adapters.Internal.AdapterPackets.WithAckId(packet, ackId);
        }
        var count = 0;
        foreach (var socket in Select(broadcast.Target))
        {
            if (broadcast.Acks is { } acks)
                socket.RegisterAck(ackId!.Value, new Adapters.Internal.ReporterAck(acks));
            socket.Write(packet, broadcast.Target.Volatile);
            count++;
        }
        broadcast.Acks?.ServerReported(count);
    }

    private void HandleGetSockets(GetSockets query) => Sender.Tell(new SocketsFound(Select(query.Target).ToList()));

    private void HandleApplySocketsJoin(ApplySocketsJoin command)
    {
        foreach (var socket in Select(command.Target).ToList())
            foreach (var room in socket.AddRooms(command.Rooms))
                AddToRoom(socket, room);
        Sender.Tell(Done.Instance);
    }

    private void HandleApplySocketsLeave(ApplySocketsLeave command)
    {
        foreach (var socket in Select(command.Target).ToList())
            foreach (var room in command.Rooms)
                if (socket.RemoveRoom(room))
                    RemoveFromRoom(socket, room);
        Sender.Tell(Done.Instance);
    }

    private void HandleApplyDisconnectSockets(ApplyDisconnectSockets command)
    {
        foreach (var socket in Select(command.Target).ToList())
        {
            if (command.Close)
                socket.Client.DisconnectAllAndClose();
            else
                socket.Actor.Tell(new SocketProtocol.Disconnect(DisconnectReasons.ServerNamespaceDisconnect, NotifyClient: true));
        }
        Sender.Tell(Done.Instance);
    }

    private void HandleShutdown(Shutdown shutdown)
    {
        foreach (var socket in _sockets.Values)
            socket.Actor.Tell(new SocketProtocol.Disconnect(DisconnectReasons.ServerShuttingDown, NotifyClient: false));
        Sender.Tell(Done.Instance);
    }

    /// <summary>The sockets a target selects: members of any target room (or all sockets), minus members of excluded rooms, each once.</summary>
    private IEnumerable<Socket> Select(BroadcastTarget target)
    {
        var except = ExceptSockets(target);
        if (target.Rooms.IsEmpty)
            return except is null ? _sockets.Values : _sockets.Values.Where(s => !except.Contains(s));
        var selected = new HashSet<Socket>();
        foreach (var room in target.Rooms)
            if (_rooms.TryGetValue(room, out var entry))
                foreach (var member in entry.Members)
                    if (except is null || !except.Contains(member))
                        selected.Add(member);
        return selected;
    }

    private static string SingleRoom(ImmutableHashSet<string> rooms)
    {
        foreach (var room in rooms) return room;
        throw new InvalidOperationException("no room");
    }

    /// <summary>The sockets in any excluded room; the room's own member set when there is one (read only, never kept).</summary>
    private HashSet<Socket>? ExceptSockets(BroadcastTarget target)
    {
        if (target.Except.IsEmpty) return null;
        if (target.Except.Count == 1)
            return _rooms.TryGetValue(SingleRoom(target.Except), out var only) ? only.Members : null;
        var except = new HashSet<Socket>();
        foreach (var room in target.Except)
            if (_rooms.TryGetValue(room, out var entry))
                except.UnionWith(entry.Members);
        return except;
    }

    private void AddToRoom(Socket socket, string room)
    {
        if (!_rooms.TryGetValue(room, out var entry))
        {
            // A socket's own room only ever holds that socket: it is written to directly, without an actor.
            var isPrivate = room == socket.Id;
            entry = new RoomEntry(isPrivate ? null : Context.ActorOf(ActorProps.Of(() => new RoomActor()), "room-" + ++_roomSeq));
            _rooms[room] = entry;
            Publish(new RoomEvents.RoomCreated(_nsp.Name, room));
        }
        if (!entry.Members.Add(socket)) return;
        entry.Actor?.Tell(new RoomProtocol.AddMember(socket));
        Publish(new RoomEvents.SocketJoinedRoom(_nsp.Name, room, socket.Id));
    }

    private void RemoveFromRoom(Socket socket, string room)
    {
        if (!_rooms.TryGetValue(room, out var entry) || !entry.Members.Remove(socket)) return;
        entry.Actor?.Tell(new RoomProtocol.RemoveMember(socket));
        Publish(new RoomEvents.SocketLeftRoom(_nsp.Name, room, socket.Id));
        if (entry.Members.Count > 0) return;
        _rooms.Remove(room);
        if (entry.Actor is { } actor) Context.Stop(actor);
        Publish(new RoomEvents.RoomDeleted(_nsp.Name, room));
    }

    private void Publish(RoomEvents.IRoomEvent e) => Context.System.EventStream.Publish(e);

    /// <summary>Writes a broadcast packet to one socket, registering the broadcast's ack on it first.</summary>
    private static void DeliverTo(Socket socket, EncodedPacket packet, bool isVolatile, BroadcastAckCollector? ack, long? ackId)
    {
        if (ack is not null && ackId is { } id)
            socket.RegisterAck(id, ack.CreateSocketAck());
        socket.Write(packet, isVolatile);
    }
}
