using System.Runtime.Serialization;
using System.Text;
using Akka.Actor;
using Akka.Serialization;
using static SocketIo.Node.Forwarding.EngineForwardingProtocol;

namespace SocketIo.Node.Forwarding;

/// <summary>
/// The serializer of <see cref="EngineForwardingProtocol"/> between nodes: one manifest per message, ids as 16 bytes,
/// strings as length-prefixed UTF-8, header lists as a count then name/value pairs, bodies and frames as a length then
/// their bytes, unchanged. Bound to <see cref="IForwardingMessage"/> by <see cref="SerializationConfig"/>.
/// </summary>
/// <remarks>An unknown manifest or a truncated payload fails with <see cref="SerializationException"/> naming the manifest; Akka.Remote logs and drops that message.</remarks>
public sealed class EngineForwardingSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    /// <summary>The serializer id (the cluster adapter's is 7310, the demo's 7311).</summary>
    public const int Id = 7312;

    /// <summary>The serializer and its binding as HOCON, for a node's actor system configuration.</summary>
    public static Akka.Configuration.Config SerializationConfig { get; } = Akka.Configuration.ConfigurationFactory.ParseString($$"""
        akka.actor {
          serializers.socketio-forwarding = "{{typeof(EngineForwardingSerializer).AssemblyQualifiedName}}"
          serialization-bindings { "{{typeof(IForwardingMessage).AssemblyQualifiedName}}" = socketio-forwarding }
          serialization-identifiers { "{{typeof(EngineForwardingSerializer).AssemblyQualifiedName}}" = {{Id}} }
        }
        """);

    public override int Identifier => Id;

    public override string Manifest(object o) => o switch
    {
        ForwardHttpRequest => "FQ",
        ForwardedHttpResponse => "FR",
        CancelHttpRequest => "FC",
        OpenRelay => "RO",
        RelayOpened => "RA",
        RelayFrame => "RF",
        RelayClosed => "RC",
        RelayAck => "RK",
        Fragment => "FG",
        _ => throw new ArgumentException($"{o.GetType()} is not a forwarding message", nameof(o)),
    };

    public override byte[] ToBinary(object obj)
    {
        using var stream = new MemoryStream(obj switch
        {
            RelayFrame f => f.Data.Length + 24,
            Fragment f => f.Part.Length + 32,
            ForwardHttpRequest q => q.Body.Length + 512,
            ForwardedHttpResponse a => a.Body.Length + 256,
            _ => 128,
        });
        using (var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            switch (obj)
            {
                case ForwardHttpRequest m:
                    WriteId(w, m.RequestId); w.Write(m.Method); w.Write(m.Path); w.Write(m.QueryString); WriteHeaders(w, m.Headers); WriteBytes(w, m.Body);
                    break;
                case ForwardedHttpResponse m:
                    WriteId(w, m.RequestId); w.Write(m.Status); WriteHeaders(w, m.Headers); WriteBytes(w, m.Body);
                    break;
                case CancelHttpRequest m:
                    WriteId(w, m.RequestId);
                    break;
                case OpenRelay m:
                    WriteId(w, m.RelayId); w.Write(m.Path); w.Write(m.QueryString); WriteHeaders(w, m.Headers);
                    break;
                case RelayOpened m:
                    WriteId(w, m.RelayId);
                    break;
                case RelayFrame m:
                    WriteId(w, m.RelayId); w.Write(m.IsBinary); WriteBytes(w, m.Data);
                    break;
                case RelayClosed m:
                    WriteId(w, m.RelayId);
                    break;
                case RelayAck m:
                    WriteId(w, m.RelayId); w.Write(m.Bytes);
                    break;
                case Fragment m:
                    WriteId(w, m.MessageId); w.Write(m.Manifest); w.Write(m.TotalLength); WriteBytes(w, m.Part);
                    break;
                default:
                    throw new ArgumentException($"{obj.GetType()} is not a forwarding message", nameof(obj));
            }
        }

        return stream.ToArray();
    }

    public override object FromBinary(byte[] bytes, string manifest)
    {
        try
        {
            using var r = new BinaryReader(new MemoryStream(bytes), Encoding.UTF8);
            object message = manifest switch
            {
                "FQ" => new ForwardHttpRequest(ReadId(r), r.ReadString(), r.ReadString(), r.ReadString(), ReadHeaders(r), ReadBytes(r)),
                "FR" => new ForwardedHttpResponse(ReadId(r), r.ReadInt32(), ReadHeaders(r), ReadBytes(r)),
                "FC" => new CancelHttpRequest(ReadId(r)),
                "RO" => new OpenRelay(ReadId(r), r.ReadString(), r.ReadString(), ReadHeaders(r)),
                "RA" => new RelayOpened(ReadId(r)),
                "RF" => ReadFrame(r),
                "RC" => new RelayClosed(ReadId(r)),
                "RK" => new RelayAck(ReadId(r), r.ReadInt64()),
                "FG" => new Fragment(ReadId(r), r.ReadString(), r.ReadInt32(), ReadBytes(r)),
                _ => throw new SerializationException($"unknown forwarding message manifest '{manifest}'"),
            };
            if (r.BaseStream.Position != bytes.Length)
                throw new FormatException($"{bytes.Length - r.BaseStream.Position} bytes left over");
            return message;
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or FormatException or ArgumentException)
        {
            throw new SerializationException($"forwarding message with manifest '{manifest}' ({bytes.Length} bytes) cannot be read: {e.Message}", e);
        }
    }

    private static RelayFrame ReadFrame(BinaryReader r)
    {
        var id = ReadId(r);
        var isBinary = r.ReadBoolean();
        return new RelayFrame(id, ReadBytes(r), isBinary);
    }

    private static void WriteId(BinaryWriter w, Guid id)
    {
        Span<byte> bytes = stackalloc byte[16];
        id.TryWriteBytes(bytes);
        w.Write(bytes);
    }

    private static Guid ReadId(BinaryReader r)
    {
        Span<byte> bytes = stackalloc byte[16];
        if (r.Read(bytes) != 16) throw new EndOfStreamException();
        return new Guid(bytes);
    }

    private static void WriteHeaders(BinaryWriter w, IReadOnlyList<KeyValuePair<string, string>> headers)
    {
        w.Write7BitEncodedInt(headers.Count);
        foreach (var (name, value) in headers)
        {
            w.Write(name);
            w.Write(value);
        }
    }

    private static KeyValuePair<string, string>[] ReadHeaders(BinaryReader r)
    {
        var count = r.Read7BitEncodedInt();
        if (count < 0 || count > r.BaseStream.Length - r.BaseStream.Position) throw new FormatException($"bad header count {count}");
        var headers = new KeyValuePair<string, string>[count];
        for (var i = 0; i < count; i++) headers[i] = new(r.ReadString(), r.ReadString());
        return headers;
    }

    private static void WriteBytes(BinaryWriter w, byte[] bytes)
    {
        w.Write7BitEncodedInt(bytes.Length);
        w.Write(bytes);
    }

    private static byte[] ReadBytes(BinaryReader r)
    {
        var length = r.Read7BitEncodedInt();
        if (length < 0 || length > r.BaseStream.Length - r.BaseStream.Position) throw new FormatException($"bad length {length}");
        return r.ReadBytes(length);
    }
}
