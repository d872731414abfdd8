using SocketIo.Actors.Rooms;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Runtime.Serialization;
using System.Text;
using Akka.Actor;
using Akka.Serialization;
using Akka.TestKit.Xunit2;
using Newtonsoft.Json.Linq;
using SocketIo.Actors;
using SocketIo.Actors.Adapters.Internal;
using SocketIo.Actors.Cluster;
using SocketIo.Actors.Cluster.Adapter;
using SocketIo.Actors.Cluster.Serialization;
using SocketIo.Actors.Protocol;
using SocketIo.Cluster.Tests.Adapter;
using static SocketIo.Actors.Cluster.ClusterProtocol;

namespace SocketIo.Cluster.Tests.Serialization;

/// <summary>
/// The cross-node messages through <see cref="ClusterMessageSerializer"/>: every manifest reads back what was
/// written, a broadcast's bytes are written once for all nodes, and what cannot be read fails with the manifest named.
/// </summary>
public sealed class ClusterMessageSerializerSpec : TestKit
{
    private static readonly BroadcastTarget Target = new(
        ImmutableHashSet.Create(StringComparer.Ordinal, "lobby", "news"), ImmutableHashSet.Create(StringComparer.Ordinal, "sid-1"), Volatile: true, Compress: false);

    private readonly ClusterMessageSerializer _serializer;

    public ClusterMessageSerializerSpec() => _serializer = new ClusterMessageSerializer((ExtendedActorSystem)Sys);

    private T RoundTrip<T>(T message)
        where T : notnull
    {
        var bytes = _serializer.ToBinary(message);
        return Assert.IsType<T>(_serializer.FromBinary(bytes, _serializer.Manifest(message)));
    }

    private static EncodedPacket Packet(string text, params byte[][] attachments) =>
        AdapterPackets.Rebuild(attachments.Length > 0 ? SocketPacketType.BinaryEvent : SocketPacketType.Event, Encoding.UTF8.GetBytes(text), [.. attachments.Select(a => (ReadOnlyMemory<byte>)a)]);

    private static void AssertTarget(BroadcastTarget actual)
    {
        Assert.True(actual.Rooms.SetEquals(Target.Rooms));
        Assert.True(actual.Except.SetEquals(Target.Except));
        Assert.Equal((true, false), (actual.Volatile, actual.Compress));
    }

    [Fact]
    public void A_broadcast_keeps_its_packet_bytes_and_attachments_as_they_are()
    {
        var read = RoundTrip(new Broadcast("/chat", Target, Packet("51-[\"file\",{\"_placeholder\":true,\"num\":0}]", [0, 1, 255])));

        Assert.Equal("/chat", read.Namespace);
        AssertTarget(read.Target);
        Assert.Equal(SocketPacketType.BinaryEvent, read.Packet.Type);
        Assert.Equal("51-[\"file\",{\"_placeholder\":true,\"num\":0}]", read.Packet.TextAsString());
        Assert.Equal([0, 1, 255], Assert.Single(read.Packet.Attachments).ToArray());
    }

    [Fact]
    public void A_broadcast_is_written_once_however_many_nodes_it_goes_to()
    {
        var message = new Broadcast("/", BroadcastTarget.All, Packet("2[\"hi\"]"));

        Assert.Same(_serializer.ToBinary(message), _serializer.ToBinary(message));
    }

    [Fact]
    public void Every_request_and_answer_reads_back_what_was_written()
    {
        var withAck = RoundTrip(new BroadcastWithAck("n1:7", "/", Target, Packet("2[\"vote\"]")));
        Assert.Equal(("n1:7", "/", "2[\"vote\"]"), (withAck.RequestId, withAck.Namespace, withAck.Packet.TextAsString()));
        AssertTarget(withAck.Target);
        Assert.Equal(new BroadcastReported("n1:7", 1234), RoundTrip(new BroadcastReported("n1:7", 1234)));
        Assert.Equal("{\"yes\":[1,2]}", RoundTrip(new ClientAnswered("n1:7", JObject.Parse("{\"yes\":[1,2]}"))).Response!.ToString(Newtonsoft.Json.Formatting.None));
        Assert.Null(RoundTrip(new ClientAnswered("n1:7", null)).Response);
        var fetch = RoundTrip(new FetchSockets("n1:8", "/admin", Target));
        Assert.Equal(("n1:8", "/admin"), (fetch.RequestId, fetch.Namespace));
        var join = RoundTrip(new SocketsJoin("n1:9", "/", Target, ["a", "b"]));
        Assert.Equal(["a", "b"], join.Rooms);
        Assert.Equal(["c"], RoundTrip(new SocketsLeave("n1:10", "/", Target, ["c"])).Rooms);
        Assert.True(RoundTrip(new DisconnectSockets("n1:11", "/", Target, Close: true)).Close);
        Assert.Equal(new CommandApplied("n1:11"), RoundTrip(new CommandApplied("n1:11")));
        Assert.Equal(new SocketCommand("AbCd1234xyz", true), RoundTrip(new SocketCommand("AbCd1234xyz", true)));
        Assert.Equal(new SocketCommand("/admin#AbCd1234xyz", false), RoundTrip(new SocketCommand("/admin#AbCd1234xyz", false)));
        var emit = RoundTrip(new ServerSideEmit(null, "/", "hello", new JArray(1, "two")));
        Assert.Equal((null, "hello", "[1,\"two\"]"), (emit.RequestId, emit.EventName, emit.Args.ToString(Newtonsoft.Json.Formatting.None)));
        Assert.Equal("n1:12", RoundTrip(new ServerSideEmit("n1:12", "/", "who", [])).RequestId);
        Assert.Equal("b", (string?)RoundTrip(new ServerSideEmitAnswered("n1:12", "b")).Answer);
        Assert.Equal(new RoomEventHappened(new RoomEvents.SocketJoinedRoom("/", "lobby", "sid-1")), RoundTrip(new RoomEventHappened(new RoomEvents.SocketJoinedRoom("/", "lobby", "sid-1"))));
        Assert.Equal(new RoomEventHappened(new RoomEvents.RoomDeleted("/", "lobby")), RoundTrip(new RoomEventHappened(new RoomEvents.RoomDeleted("/", "lobby"))));
    }

    [Fact]
    public void Fetched_sockets_cross_with_their_handshake_rooms_and_data()
    {
        var handshake = new Handshake(
            new Dictionary<string, string> { ["host"] = "127.0.0.1:3000" }, new Dictionary<string, string> { ["EIO"] = "4" },
            JObject.Parse("{\"token\":\"t\"}"), "127.0.0.1", "/socket.io/?EIO=4", Secure: false,
            DateTimeOffset.FromUnixTimeMilliseconds(1_764_806_400_000), XDomain: false);
        var sent = new SocketSnapshot("sid-1", handshake, new HashSet<string> { "sid-1", "lobby" }, JObject.Parse("{\"name\":\"ana\"}"));

        var read = Assert.Single(RoundTrip(new SocketsFound("n1:13", "/", [sent])).Sockets);

        Assert.Equal("sid-1", read.Id);
        Assert.Equal("127.0.0.1:3000", read.Handshake.Headers["host"]);
        Assert.Equal("t", (string?)read.Handshake.Auth["token"]);
        Assert.Equal(handshake.Time, read.Handshake.Time);
        Assert.True(read.Rooms.SetEquals(["sid-1", "lobby"]));
        Assert.Equal("ana", (string?)read.Data!["name"]);
    }

    [Fact]
    public void An_unknown_manifest_fails_naming_it()
    {
        var error = Assert.Throws<SerializationException>(() => _serializer.FromBinary([1, 2, 3], "ZZ"));

        Assert.Contains("'ZZ'", error.Message);
    }

    [Fact]
    public void A_truncated_or_padded_payload_fails_naming_its_manifest()
    {
        var bytes = _serializer.ToBinary(new Broadcast("/", Target, Packet("2[\"hi\"]")));

        Assert.Contains("'B'", Assert.Throws<SerializationException>(() => _serializer.FromBinary(bytes[..^3], "B")).Message);
        Assert.Contains("'B'", Assert.Throws<SerializationException>(() => _serializer.FromBinary([.. bytes, 0], "B")).Message);
    }
}

/// <summary>What a node does with a cross-node message it cannot read: logs it with its manifest, drops it, and keeps serving.</summary>
public sealed class UnreadableClusterMessageSpec : IAsyncLifetime
{
    private readonly TestCluster _cluster = new();
    private readonly ConcurrentQueue<LogEntry> _log = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Every_cross_node_message_goes_through_our_serializer_never_json()
    {
        var a = await _cluster.AddNode("a");
        var serialization = ((ExtendedActorSystem)a.System).Serialization;
        var types = typeof(ClusterProtocol).GetNestedTypes().Where(t => !t.IsAbstract && typeof(ICrossNodeMessage).IsAssignableFrom(t)).ToList();

        Assert.Equal(14, types.Count);
        foreach (var type in types) Assert.IsType<ClusterMessageSerializer>(serialization.FindSerializerForType(type));
    }

    [Fact]
    public async Task A_message_with_an_unknown_manifest_is_logged_and_dropped_and_the_node_keeps_serving()
    {
        await _cluster.AddNode("a");
        var b = await _cluster.AddNode("b", loggerFactory: new CapturingLoggerFactory("b", _log));
        var client = await b.Connect();
        // A node of another version: our serializer id, a manifest b does not know, and a truncated broadcast.
        var forger = await _cluster.AddNode("forger", waitForConvergence: false, nodeConfig: "akka.cluster.roles = [forger]");
        var forged = new ForgedSerializer((ExtendedActorSystem)forger.System);
        ((ExtendedActorSystem)forger.System).Serialization.AddSerializationMap(typeof(Forged), forged);
        var target = await forger.System.ActorSelection(new RootActorPath(b.Address) / "user" / ClusterNode.ActorName).ResolveOne(TimeSpan.FromSeconds(10));

        target.Tell(new Forged("ZZ", [1, 2, 3]));
        target.Tell(new Forged("B", [1]));
        _cluster[0].Server.Emit("still", "served");

        await client.Expect("2[\"still\",\"served\"]");
        await Eventually.Holds(() => _log.Any(e => e.Text.Contains("manifest [ZZ]")) && _log.Any(e => e.Text.Contains("manifest [B]")), "b logs both messages with their manifests");
        Assert.Contains(_log, e => e.Level == Microsoft.Extensions.Logging.LogLevel.Warning && e.Text.Contains("unknown cluster message manifest 'ZZ'"));
    }

    /// <summary>A message as a node of another version would send it.</summary>
    private sealed record Forged(string Manifest, byte[] Bytes);

    /// <summary>Writes <see cref="Forged"/> under <see cref="ClusterMessageSerializer.Id"/>, so the receiver reads it with ours.</summary>
    private sealed class ForgedSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
    {
        public override int Identifier => ClusterMessageSerializer.Id;

        public override string Manifest(object o) => ((Forged)o).Manifest;

        public override byte[] ToBinary(object obj) => ((Forged)obj).Bytes;

        public override object FromBinary(byte[] bytes, string manifest) => new Forged(manifest, bytes);
    }
}
