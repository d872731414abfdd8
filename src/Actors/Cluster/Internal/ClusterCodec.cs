using System.Collections.Immutable;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using SocketIo.Actors.Adapters.Internal;
using SocketIo.Actors.Protocol;

namespace SocketIo.Actors.Cluster.Internal;

/// <summary>The composite fields of cluster messages: broadcast targets, encoded packets, sockets, JSON.</summary>
internal static class ClusterCodec
{
    private const byte VolatileFlag = 1;
    private const byte CompressFlag = 2;

    public static void WriteTarget(this WireWriter w, BroadcastTarget target)
    {
        w.WriteStrings(target.Rooms);
        w.WriteStrings(target.Except);
        w.WriteByte((byte)((target.Volatile ? VolatileFlag : 0) | (target.Compress ? CompressFlag : 0)));
    }

    public static BroadcastTarget ReadTarget(this WireReader r)
    {
        var rooms = r.ReadStrings();
        var except = r.ReadStrings();
        var flags = r.ReadByte();
        return new BroadcastTarget(
            rooms.Count == 0 ? ImmutableHashSet<string>.Empty : rooms.ToImmutableHashSet(StringComparer.Ordinal),
            except.Count == 0 ? ImmutableHashSet<string>.Empty : except.ToImmutableHashSet(StringComparer.Ordinal),
            Volatile: (flags & VolatileFlag) != 0,
            Compress: (flags & CompressFlag) != 0);
    }

    /// <summary>The packet as encoded on this node: its wire type, text bytes and attachments, copied as they are.</summary>
    public static void WritePacket(this WireWriter w, EncodedPacket packet)
    {
        w.WriteByte((byte)packet.Type);
        w.WriteBytes(packet.Text.Span);
        w.WriteVarInt((ulong)packet.Attachments.Count);
        foreach (var attachment in packet.Attachments)
            w.WriteBytes(attachment.Span);
    }

    /// <summary>The packet, referencing the message body (no copy): the same bytes then go to every local socket.</summary>
    public static EncodedPacket ReadPacket(this WireReader r)
    {
        var type = (SocketPacketType)r.ReadByte();
        var text = r.ReadBytes();
        var count = checked((int)r.ReadVarInt());
        var attachments = new ReadOnlyMemory<byte>[count];
        for (var i = 0; i < count; i++) attachments[i] = r.ReadBytes();
        return AdapterPackets.Rebuild(type, text, attachments);
    }

    public static void WriteJson(this WireWriter w, JToken? token) =>
        w.WriteString(token is null ? "null" : token.ToString(Formatting.None));

    public static JToken? ReadJson(this WireReader r)
    {
        var token = ParseJson(r.ReadString());
        return token.Type == JTokenType.Null ? null : token;
    }

    public static JToken ParseJson(string json)
    {
        using var reader = new JsonTextReader(new StringReader(json)) { DateParseHandling = DateParseHandling.None, MaxDepth = 64 };
        return JToken.ReadFrom(reader);
    }

    /// <summary>A local socket as other nodes see it: data as JSON (socket.io's adapters serialize it so).</summary>
    public static SocketSnapshot Snapshot(Socket socket) =>
        new(socket.Id, socket.Handshake, socket.Rooms.ToHashSet(StringComparer.Ordinal), DataToJson(socket.Data));

    public static void WriteSocket(this WireWriter w, SocketSnapshot socket)
    {
        w.WriteString(socket.Id);
        var h = socket.Handshake;
        w.WriteDictionary(h.Headers);
        w.WriteDictionary(h.Query);
        w.WriteJson(h.Auth);
        w.WriteString(h.Address);
        w.WriteString(h.Url);
        w.WriteBool(h.Secure);
        w.WriteInt64(h.Time.ToUnixTimeMilliseconds());
        w.WriteBool(h.XDomain);
        w.WriteStrings(socket.Rooms.ToList());
        w.WriteJson(socket.Data);
    }

    public static SocketSnapshot ReadSocket(this WireReader r)
    {
        var id = r.ReadString();
        var headers = r.ReadDictionary();
        var query = r.ReadDictionary();
        var auth = r.ReadJson() as JObject ?? [];
        var address = r.ReadString();
        var url = r.ReadString();
        var secure = r.ReadBool();
        var time = DateTimeOffset.FromUnixTimeMilliseconds(r.ReadInt64());
        var xdomain = r.ReadBool();
        var rooms = r.ReadStrings().ToHashSet(StringComparer.Ordinal);
        var data = r.ReadJson();
        return new SocketSnapshot(id, new Handshake(headers, query, auth, address, url, secure, time, xdomain), rooms, data);
    }

    /// <summary>Socket data crosses nodes as JSON (as socket.io's adapters serialize it); data that cannot be serialized travels as null.</summary>
    private static JToken? DataToJson(object? data)
    {
        if (data is null) return null;
        try
        {
            return data as JToken ?? JToken.FromObject(data);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
