using Newtonsoft.Json.Linq;
using SocketIo.Actors.Internal;
using SocketIo.Actors.Protocol;

namespace SocketIo.Actors.Namespaces;

/// <summary>Messages of the <see cref="NamespaceActor"/>.</summary>
public static class NamespaceProtocol
{
    /// <summary>A client asks to connect to this namespace with its auth payload.</summary>
    internal sealed record Connect(Client Client, JObject Auth);

    /// <summary>The connection middlewares of <paramref name="Socket"/> finished; <paramref name="Error"/> refuses it.</summary>
    internal sealed record MiddlewaresCompleted(Socket Socket, Exception? Error);

    /// <summary>A socket joined rooms (its local room set is already updated).</summary>
    /// <summary>A socket actor started as a sharded entity answered <c>SocketProtocol.Announce</c>: admit its socket.</summary>
    internal sealed record SocketActorStarted(Socket Socket, Akka.Actor.IActorRef Actor);

    internal sealed record JoinRooms(Socket Socket, IReadOnlyList<string> Rooms);

    /// <summary>A socket left a room.</summary>
    internal sealed record LeaveRoom(Socket Socket, string Room);

    /// <summary>A socket is disconnecting: it leaves <paramref name="Rooms"/> (its local room set, already cleared) and the index.</summary>
    internal sealed record RemoveSocket(Socket Socket, IReadOnlyList<string> Rooms);

    /// <summary>Deliver an encoded packet to the sockets <paramref name="Target"/> selects; with an ack collector, register the ack on each.</summary>
    internal sealed record Broadcast(EncodedPacket Packet, BroadcastTarget Target, BroadcastAckCollector? Ack, long? AckId);

    /// <summary>
    /// A broadcast from another node (through the cluster adapter): deliver it to the local sockets the target
    /// selects and publish nothing. With <paramref name="Acks"/>, the namespace actor gives the packet this
    /// node's own ack id, registers it on each socket and reports the client count and the answers there.
    /// </summary>
    internal sealed record RemoteBroadcast(EncodedPacket Packet, BroadcastTarget Target, Adapters.IBroadcastAckReporter? Acks);

    /// <summary>Query: the local sockets the target selects. Replied with <see cref="SocketsFound"/>.</summary>
    public sealed record GetSockets(BroadcastTarget Target);

    /// <summary>Reply to <see cref="GetSockets"/>.</summary>
    public sealed record SocketsFound(IReadOnlyList<Socket> Sockets);

    /// <summary>Make the target sockets join rooms. Replied with <see cref="Done"/>.</summary>
    public sealed record ApplySocketsJoin(BroadcastTarget Target, IReadOnlyList<string> Rooms);

    /// <summary>Make the target sockets leave rooms. Replied with <see cref="Done"/>.</summary>
    public sealed record ApplySocketsLeave(BroadcastTarget Target, IReadOnlyList<string> Rooms);

    /// <summary>Disconnect the target sockets. Replied with <see cref="Done"/>.</summary>
    public sealed record ApplyDisconnectSockets(BroadcastTarget Target, bool Close);

    /// <summary>Acknowledges a command.</summary>
    public sealed record Done
    {
        public static readonly Done Instance = new();
        private Done() { }
    }

    /// <summary>Disconnect every socket with <c>server shutting down</c>, then reply <see cref="Done"/>.</summary>
    internal sealed record Shutdown
    {
        public static readonly Shutdown Instance = new();
        private Shutdown() { }
    }
}
