using SocketIo.Actors.Rooms;
using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Serialization;
using Newtonsoft.Json.Linq;
using SocketIo.Actors.Cluster.Internal;
using static SocketIo.Actors.Cluster.ClusterProtocol;

namespace SocketIo.Actors.Cluster.Serialization;

/// <summary>
/// The serializer of every <see cref="ClusterProtocol"/> message (bound to <see cref="ICrossNodeMessage"/> by
/// <see cref="Adapter.ClusterNode.Config"/>): a compact binary form per manifest, the packet's text and
/// attachments copied as they are (never re-encoded as JSON). A broadcast is written once for all the nodes it
/// goes to (<see cref="EncodedOnce"/>).
/// </summary>
/// <remarks>
/// Reading fails with <see cref="SerializationException"/> naming the manifest: for a manifest this version
/// does not know (a newer node after a version skew) and for a truncated or malformed payload. Akka.Remote
/// logs it and drops that one message; the association and the node keep working.
/// </remarks>
public sealed class ClusterMessageSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    /// <summary>The serializer id; unique among the actor system's serializers (Akka's own use 1 to 100).</summary>
    public const int Id = 7310;

    private const string BroadcastManifest = "B";
    private const string BroadcastWithAckManifest = "BA";
    private const string BroadcastReportedManifest = "BR";
    private const string ClientAnsweredManifest = "CA";
    private const string FetchSocketsManifest = "FS";
    private const string SocketsFoundManifest = "SF";
    private const string SocketsJoinManifest = "SJ";
    private const string SocketsLeaveManifest = "SL";
    private const string DisconnectSocketsManifest = "DS";
    private const string CommandAppliedManifest = "CD";
    private const string SocketCommandManifest = "SC";
    private const string ServerSideEmitManifest = "SE";
    private const string ServerSideEmitAnsweredManifest = "SEA";
    private const string RoomEventManifest = "RE";

    /// <inheritdoc />
    public override int Identifier => Id;

    /// <inheritdoc />
    public override string Manifest(object o) => o switch
    {
        Broadcast => BroadcastManifest,
        BroadcastWithAck => BroadcastWithAckManifest,
        BroadcastReported => BroadcastReportedManifest,
        ClientAnswered => ClientAnsweredManifest,
        FetchSockets => FetchSocketsManifest,
        SocketsFound => SocketsFoundManifest,
        SocketsJoin => SocketsJoinManifest,
        SocketsLeave => SocketsLeaveManifest,
        DisconnectSockets => DisconnectSocketsManifest,
        CommandApplied => CommandAppliedManifest,
        SocketCommand => SocketCommandManifest,
        ServerSideEmit => ServerSideEmitManifest,
        ServerSideEmitAnswered => ServerSideEmitAnsweredManifest,
        RoomEventHappened => RoomEventManifest,
        _ => throw new ArgumentException($"{o.GetType()} is not a cluster message of SocketIo.Actors", nameof(o)),
    };

    /// <inheritdoc />
    public override byte[] ToBinary(object obj)
    {
        if (obj is EncodedOnce once)
            // Racing writers (one per destination node) produce the same bytes; either result may stay.
            return once.Encoded ??= Write(obj);
        return Write(obj);
    }

    private static byte[] Write(object obj)
    {
        switch (obj)
        {
            case Broadcast m:
            {
                var w = new WireWriter(64 + m.Packet.Text.Length);
                w.WriteString(m.Namespace);
                w.WriteTarget(m.Target);
                w.WritePacket(m.Packet);
                return w.ToArray();
            }
            case BroadcastWithAck m:
            {
                var w = new WireWriter(96 + m.Packet.Text.Length);
                w.WriteString(m.RequestId);
                w.WriteString(m.Namespace);
                w.WriteTarget(m.Target);
                w.WritePacket(m.Packet);
                return w.ToArray();
            }
            case BroadcastReported m:
            {
                var w = new WireWriter(32);
                w.WriteString(m.RequestId);
                w.WriteVarInt((ulong)m.Clients);
                return w.ToArray();
            }
            case ClientAnswered m:
            {
                var w = new WireWriter();
                w.WriteString(m.RequestId);
                w.WriteJson(m.Response);
                return w.ToArray();
            }
            case FetchSockets m:
            {
                var w = new WireWriter();
                w.WriteString(m.RequestId);
                w.WriteString(m.Namespace);
                w.WriteTarget(m.Target);
                return w.ToArray();
            }
            case SocketsFound m:
            {
                var w = new WireWriter(64 + 512 * m.Sockets.Count);
                w.WriteString(m.RequestId);
                w.WriteString(m.Namespace);
                w.WriteVarInt((ulong)m.Sockets.Count);
                foreach (var socket in m.Sockets) w.WriteSocket(socket);
                return w.ToArray();
            }
            case SocketsJoin m:
                return WriteRoomsCommand(m.RequestId, m.Namespace, m.Target, m.Rooms);
            case SocketsLeave m:
                return WriteRoomsCommand(m.RequestId, m.Namespace, m.Target, m.Rooms);
            case DisconnectSockets m:
            {
                var w = new WireWriter();
                w.WriteString(m.RequestId);
                w.WriteString(m.Namespace);
                w.WriteTarget(m.Target);
                w.WriteBool(m.Close);
                return w.ToArray();
            }
            case SocketCommand m:
            {
                var w = new WireWriter(32);
                w.WriteString(m.EntityId);
                w.WriteBool(m.Close);
                return w.ToArray();
            }
            case CommandApplied m:
            {
                var w = new WireWriter(32);
                w.WriteString(m.RequestId);
                return w.ToArray();
            }
            case ServerSideEmit m:
            {
                var w = new WireWriter();
                w.WriteNullableString(m.RequestId);
                w.WriteString(m.Namespace);
                w.WriteString(m.EventName);
                w.WriteJson(m.Args);
                return w.ToArray();
            }
            case ServerSideEmitAnswered m:
            {
                var w = new WireWriter();
                w.WriteString(m.RequestId);
                w.WriteJson(m.Answer);
                return w.ToArray();
            }
            case RoomEventHappened m:
            {
                var w = new WireWriter(64);
                var (kind, socketId) = m.Event switch
                {
                    RoomEvents.RoomCreated => ((byte)1, (string?)null),
                    RoomEvents.SocketJoinedRoom joined => ((byte)2, joined.SocketId),
                    RoomEvents.SocketLeftRoom left => ((byte)3, left.SocketId),
                    RoomEvents.RoomDeleted => ((byte)4, null),
                    _ => throw new ArgumentException($"{m.Event.GetType()} is not a room event this serializer knows", nameof(obj)),
                };
                w.WriteByte(kind);
                w.WriteString(m.Event.Namespace);
                w.WriteString(m.Event.Room);
                w.WriteNullableString(socketId);
                return w.ToArray();
            }
            default:
                throw new ArgumentException($"{obj.GetType()} is not a cluster message of SocketIo.Actors", nameof(obj));
        }
    }

    private static byte[] WriteRoomsCommand(string requestId, string nsp, BroadcastTarget target, IReadOnlyList<string> rooms)
    {
        var w = new WireWriter();
        w.WriteString(requestId);
        w.WriteString(nsp);
        w.WriteTarget(target);
        w.WriteStrings(rooms);
        return w.ToArray();
    }

    /// <inheritdoc />
    public override object FromBinary(byte[] bytes, string manifest)
    {
        try
        {
            var r = new WireReader(bytes);
            var message = Read(r, manifest);
            if (!r.AtEnd) throw new FormatException("bytes left over after the message");
            return message;
        }
        catch (Exception e) when (e is FormatException or OverflowException or Newtonsoft.Json.JsonException or InvalidCastException or ArgumentException)
        {
            throw new SerializationException($"cluster message with manifest '{manifest}' ({bytes.Length} bytes) cannot be read: {e.Message}", e);
        }
    }

    private static object Read(WireReader r, string manifest) => manifest switch
    {
        BroadcastManifest => new Broadcast(r.ReadString(), r.ReadTarget(), r.ReadPacket()),
        BroadcastWithAckManifest => new BroadcastWithAck(r.ReadString(), r.ReadString(), r.ReadTarget(), r.ReadPacket()),
        BroadcastReportedManifest => new BroadcastReported(r.ReadString(), checked((int)r.ReadVarInt())),
        ClientAnsweredManifest => new ClientAnswered(r.ReadString(), r.ReadJson()),
        FetchSocketsManifest => new FetchSockets(r.ReadString(), r.ReadString(), r.ReadTarget()),
        SocketsFoundManifest => ReadSocketsFound(r),
        SocketsJoinManifest => new SocketsJoin(r.ReadString(), r.ReadString(), r.ReadTarget(), r.ReadStrings()),
        SocketsLeaveManifest => new SocketsLeave(r.ReadString(), r.ReadString(), r.ReadTarget(), r.ReadStrings()),
        DisconnectSocketsManifest => new DisconnectSockets(r.ReadString(), r.ReadString(), r.ReadTarget(), r.ReadBool()),
        CommandAppliedManifest => new CommandApplied(r.ReadString()),
        SocketCommandManifest => new SocketCommand(r.ReadString(), r.ReadBool()),
        ServerSideEmitManifest => new ServerSideEmit(r.ReadNullableString(), r.ReadString(), r.ReadString(), (JArray?)r.ReadJson() ?? []),
        ServerSideEmitAnsweredManifest => new ServerSideEmitAnswered(r.ReadString(), r.ReadJson()),
        RoomEventManifest => ReadRoomEvent(r),
        _ => throw new SerializationException($"unknown cluster message manifest '{manifest}' (a node of another version?)"),
    };

    private static SocketsFound ReadSocketsFound(WireReader r)
    {
        var id = r.ReadString();
        var nsp = r.ReadString();
        var count = checked((int)r.ReadVarInt());
        var sockets = new List<SocketSnapshot>(Math.Min(count, 4096));
        for (var i = 0; i < count; i++) sockets.Add(r.ReadSocket());
        return new SocketsFound(id, nsp, sockets);
    }

    private static RoomEventHappened ReadRoomEvent(WireReader r)
    {
        var kind = r.ReadByte();
        var nsp = r.ReadString();
        var room = r.ReadString();
        var socketId = r.ReadNullableString() ?? "";
        RoomEvents.IRoomEvent e = kind switch
        {
            1 => new RoomEvents.RoomCreated(nsp, room),
            2 => new RoomEvents.SocketJoinedRoom(nsp, room, socketId),
            3 => new RoomEvents.SocketLeftRoom(nsp, room, socketId),
            4 => new RoomEvents.RoomDeleted(nsp, room),
            _ => throw new FormatException($"unknown room event kind {kind}"),
        };
        return new RoomEventHappened(e);
    }
}
