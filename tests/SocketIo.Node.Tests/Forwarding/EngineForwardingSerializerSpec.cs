using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Cluster;
using Akka.Configuration;
using SocketIo.Node.Forwarding;
using static SocketIo.Node.Forwarding.EngineForwardingProtocol;

namespace SocketIo.Node.Tests.Forwarding;

/// <summary>
/// The forwarding messages through <see cref="EngineForwardingSerializer"/>: every manifest reads back exactly what was
/// written (bodies and frames byte for byte, headers in order with repeated names), the configuration binds it to every
/// message, and what cannot be read fails naming the manifest. Also the member tags that prefix sids.
/// </summary>
public sealed class EngineForwardingSerializerSpec : IDisposable
{
    private readonly ActorSystem _system = ActorSystem.Create("forwarding-spec",
        EngineForwardingSerializer.SerializationConfig.WithFallback(ConfigurationFactory.ParseString("akka.loglevel = WARNING")));

    private readonly EngineForwardingSerializer _serializer;

    public EngineForwardingSerializerSpec() => _serializer = new EngineForwardingSerializer((ExtendedActorSystem)_system);

    public void Dispose() => _system.Terminate().Wait(TimeSpan.FromSeconds(10));

    private static readonly Guid Id = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");

    private static readonly KeyValuePair<string, string>[] Headers =
    [
        new("Host", "127.0.0.1:3000"), new("Content-Type", "text/plain; charset=UTF-8"), new("Cookie", "a=1"), new("Cookie", "b=2"),
        new("X-Unicode", "héllo ☃"), new("Empty", ""),
    ];

    private T RoundTrip<T>(T message)
        where T : notnull
    {
        var bytes = _serializer.ToBinary(message);
        return Assert.IsType<T>(_serializer.FromBinary(bytes, _serializer.Manifest(message)));
    }

    [Fact]
    public void A_forwarded_request_reads_back_with_its_head_and_body_unchanged()
    {
        var body = new byte[] { 0x34, 0x68, 0x69, 0x1e, 0x62, 0x00, 0xff };
        var back = RoundTrip(new ForwardHttpRequest(Id, "POST", "/socket.io/", "?EIO=4&transport=polling&sid=abc", Headers, body));
        Assert.Equal((Id, "POST", "/socket.io/", "?EIO=4&transport=polling&sid=abc"), (back.RequestId, back.Method, back.Path, back.QueryString));
        Assert.Equal(Headers, back.Headers);
        Assert.Equal(body, back.Body);
    }

    [Fact]
    public void A_forwarded_response_reads_back_with_status_headers_and_body()
    {
        var body = "0{\"sid\":\"x\"}\u001e4hello"u8.ToArray();
        var back = RoundTrip(new ForwardedHttpResponse(Id, 200, Headers, body));
        Assert.Equal((Id, 200), (back.RequestId, back.Status));
        Assert.Equal(Headers, back.Headers);
        Assert.Equal(body, back.Body);
        var empty = RoundTrip(new ForwardedHttpResponse(Id, 413, [], []));
        Assert.Equal((413, 0, 0), (empty.Status, empty.Headers.Count, empty.Body.Length));
    }

    [Fact]
    public void The_relay_messages_read_back()
    {
        Assert.Equal(Id, RoundTrip(new CancelHttpRequest(Id)).RequestId);
        var open = RoundTrip(new OpenRelay(Id, "/fast/", "?EIO=4&transport=websocket&sid=abc", Headers));
        Assert.Equal((Id, "/fast/", "?EIO=4&transport=websocket&sid=abc"), (open.RelayId, open.Path, open.QueryString));
        Assert.Equal(Headers, open.Headers);
        Assert.Equal(Id, RoundTrip(new RelayOpened(Id)).RelayId);
        Assert.Equal(Id, RoundTrip(new RelayClosed(Id)).RelayId);
        Assert.Equal((Id, 5_000_000_000L), (RoundTrip(new RelayAck(Id, 5_000_000_000L)).RelayId, RoundTrip(new RelayAck(Id, 5_000_000_000L)).Bytes));
        var text = RoundTrip(new RelayFrame(Id, "42[\"chat\",\"hi\"]"u8.ToArray(), IsBinary: false));
        Assert.Equal((Id, false, "42[\"chat\",\"hi\"]"), (text.RelayId, text.IsBinary, System.Text.Encoding.UTF8.GetString(text.Data)));
        var binary = RoundTrip(new RelayFrame(Id, [0, 1, 2, 255], IsBinary: true));
        Assert.True(binary.IsBinary);
        Assert.Equal([0, 1, 2, 255], binary.Data);
        var fragment = RoundTrip(new Fragment(Id, "RF", 200_000, [9, 8, 7]));
        Assert.Equal((Id, "RF", 200_000), (fragment.MessageId, fragment.Manifest, fragment.TotalLength));
        Assert.Equal([9, 8, 7], fragment.Part);
        var large = new byte[1_000_000];
        new Random(14).NextBytes(large);
        Assert.Equal(large, RoundTrip(new RelayFrame(Id, large, IsBinary: true)).Data);
    }

    [Fact]
    public void Every_message_has_a_manifest_of_its_own_and_the_configuration_binds_them_all_to_this_serializer()
    {
        IForwardingMessage[] all =
        [
            new ForwardHttpRequest(Id, "GET", "/", "", [], []), new ForwardedHttpResponse(Id, 200, [], []), new CancelHttpRequest(Id),
            new OpenRelay(Id, "/", "", []), new RelayOpened(Id), new RelayFrame(Id, [], false), new RelayClosed(Id),
            new RelayAck(Id, 1), new Fragment(Id, "RF", 1, [0]),
        ];
        Assert.Equal(all.Length, all.Select(_serializer.Manifest).Distinct().Count());
        foreach (var message in all)
            Assert.IsType<EngineForwardingSerializer>(((ExtendedActorSystem)_system).Serialization.FindSerializerFor(message));
    }

    [Theory]
    [InlineData("XX")]
    [InlineData("FQ")]
    [InlineData("RF")]
    public void What_cannot_be_read_fails_naming_the_manifest(string manifest)
    {
        var error = Assert.Throws<SerializationException>(() => _serializer.FromBinary([1, 2, 3], manifest));
        Assert.Contains($"'{manifest}'", error.Message);
    }

    [Fact]
    public void Trailing_bytes_are_refused()
    {
        var bytes = _serializer.ToBinary(new RelayClosed(Id)).Append((byte)0).ToArray();
        Assert.Throws<SerializationException>(() => _serializer.FromBinary(bytes, "RC"));
    }

    [Fact]
    public void A_member_tag_is_eight_url_safe_characters_that_change_with_the_uid()
    {
        var address = new Address("akka.tcp", "socketio", "127.0.0.1", 4001);
        var tag = EngineSessionForwarder.TagOf(new UniqueAddress(address, 17));
        Assert.Matches("^[A-Za-z0-9_-]{8}$", tag);
        Assert.Equal(tag, EngineSessionForwarder.TagOf(new UniqueAddress(address, 17)));
        // A node restarted at the same address is another incarnation: its tag differs, so old sids are not sent to it.
        Assert.NotEqual(tag, EngineSessionForwarder.TagOf(new UniqueAddress(address, 18)));
        Assert.NotEqual(tag, EngineSessionForwarder.TagOf(new UniqueAddress(new Address("akka.tcp", "socketio", "127.0.0.1", 4002), 17)));
    }
}
