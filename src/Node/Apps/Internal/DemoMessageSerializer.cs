using System.Runtime.Serialization;
using System.Text;
using Akka.Actor;
using Akka.Serialization;

namespace SocketIo.Node.Apps.Internal;

/// <summary>
/// The serializer of the demo entities' messages (<see cref="UsernameRegistryProtocol"/>, <see cref="CounterProtocol"/>)
/// between nodes: one manifest per message, its string fields as length-prefixed UTF-8 (a <see cref="BinaryWriter"/>).
/// <see cref="Register"/> binds it on a node before the demo's regions start, so every node can read them.
/// </summary>
/// <remarks>An unknown manifest or a truncated payload fails with <see cref="SerializationException"/> naming the manifest; Akka.Remote logs and drops that message.</remarks>
public sealed class DemoMessageSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    /// <summary>The serializer id (the cluster adapter's is 7310).</summary>
    public const int Id = 7311;

    private static readonly Type[] Types =
    [
        typeof(UsernameRegistryProtocol.Claim), typeof(UsernameRegistryProtocol.Claimed), typeof(UsernameRegistryProtocol.Taken),
        typeof(UsernameRegistryProtocol.Release), typeof(CounterProtocol.Increment), typeof(CounterProtocol.SendCountTo),
        typeof(CounterProtocol.GetCount), typeof(CounterProtocol.Count),
    ];

    public override int Identifier => Id;

    /// <summary>The serializer and its bindings as HOCON, for a node's actor system configuration.</summary>
    public static Akka.Configuration.Config SerializationConfig { get; } = Akka.Configuration.ConfigurationFactory.ParseString(
        $"akka.actor.serializers.socketio-demo = \"{typeof(DemoMessageSerializer).AssemblyQualifiedName}\"\n"
        + $"akka.actor.serialization-identifiers {{ \"{typeof(DemoMessageSerializer).AssemblyQualifiedName}\" = {Id} }}\n"
        + string.Concat(Types.Select(t => $"akka.actor.serialization-bindings {{ \"{t.AssemblyQualifiedName}\" = socketio-demo }}\n")));

    /// <summary>Binds the serializer to the demo's message types in <paramref name="system"/> (idempotent).</summary>
    public static void Register(ActorSystem system)
    {
        var extended = (ExtendedActorSystem)system;
        if (extended.Serialization.FindSerializerForType(Types[0]) is DemoMessageSerializer) return;
        var serializer = new DemoMessageSerializer(extended);
        extended.Serialization.AddSerializer("socketio-demo", serializer);
        foreach (var type in Types) extended.Serialization.AddSerializationMap(type, serializer);
    }

    public override string Manifest(object o) => o switch
    {
        UsernameRegistryProtocol.Claim => "chat.claim",
        UsernameRegistryProtocol.Claimed => "chat.claimed",
        UsernameRegistryProtocol.Taken => "chat.taken",
        UsernameRegistryProtocol.Release => "chat.release",
        CounterProtocol.Increment => "counter.increment",
        CounterProtocol.SendCountTo => "counter.send-count-to",
        CounterProtocol.GetCount => "counter.get-count",
        CounterProtocol.Count => "counter.count",
        _ => throw new ArgumentException($"{o.GetType()} is not a demo message", nameof(o)),
    };

    public override byte[] ToBinary(object obj)
    {
        using var stream = new MemoryStream(64);
        using (var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            switch (obj)
            {
                case UsernameRegistryProtocol.Claim m: w.Write(m.Name); w.Write(m.SocketId); w.Write(m.NodeId); break;
                case UsernameRegistryProtocol.Claimed m: w.Write(m.Name); break;
                case UsernameRegistryProtocol.Taken m: w.Write(m.Name); break;
                case UsernameRegistryProtocol.Release m: w.Write(m.Name); w.Write(m.SocketId); break;
                case CounterProtocol.Increment m: w.Write(m.CounterId); break;
                case CounterProtocol.SendCountTo m: w.Write(m.CounterId); w.Write(m.SocketId); break;
                case CounterProtocol.GetCount m: w.Write(m.CounterId); break;
                case CounterProtocol.Count m: w.Write(m.Value); break;
                default: throw new ArgumentException($"{obj.GetType()} is not a demo message", nameof(obj));
            }
        }
        return stream.ToArray();
    }

    public override object FromBinary(byte[] bytes, string manifest)
    {
        try
        {
            using var r = new BinaryReader(new MemoryStream(bytes), Encoding.UTF8);
            return manifest switch
            {
                "chat.claim" => new UsernameRegistryProtocol.Claim(r.ReadString(), r.ReadString(), r.ReadString()),
                "chat.claimed" => new UsernameRegistryProtocol.Claimed(r.ReadString()),
                "chat.taken" => new UsernameRegistryProtocol.Taken(r.ReadString()),
                "chat.release" => new UsernameRegistryProtocol.Release(r.ReadString(), r.ReadString()),
                "counter.increment" => new CounterProtocol.Increment(r.ReadString()),
                "counter.send-count-to" => new CounterProtocol.SendCountTo(r.ReadString(), r.ReadString()),
                "counter.get-count" => new CounterProtocol.GetCount(r.ReadString()),
                "counter.count" => new CounterProtocol.Count(r.ReadInt64()),
                _ => throw new SerializationException($"unknown demo message manifest '{manifest}'"),
            };
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or FormatException)
        {
            throw new SerializationException($"demo message with manifest '{manifest}' ({bytes.Length} bytes) cannot be read: {e.Message}", e);
        }
    }
}
