using System.Text;
using Newtonsoft.Json.Linq;
using SocketIo.Actors.Protocol;
using static SocketIo.Actors.Tests.Protocol.ProtocolTestSupport;

namespace SocketIo.Actors.Tests.Protocol;

/// <summary>Seeded property tests: random JSON + binary arguments survive encode → decode unchanged.</summary>
public sealed class RoundTripTests
{
    private const int Cases = 3000;

    [Theory]
    [InlineData(1, ProtocolVersion.V5)]
    [InlineData(2, ProtocolVersion.V4)]
    public void Random_events_round_trip(int seed, ProtocolVersion version)
    {
        var random = new Random(seed);
        for (var i = 0; i < Cases; i++)
        {
            var nsp = random.Next(3) == 0 ? "/" : RandomNamespace(random);
            long? id = random.Next(2) == 0 ? null : random.NextInt64(0, long.MaxValue);
            var args = new JArray(RandomString(random));
            var count = random.Next(0, 5);
            for (var j = 0; j < count; j++)
            {
                args.Add(RandomValue(random, 0));
            }

            var packet = SocketPacket.Event(nsp, args, id);
            var encoded = SocketPacketEncoder.Default.Encode(packet);
            var decoded = DecodeWithAttachments(encoded, version);

            var context = $"case {i}: {encoded.TextAsString()}";
            Assert.True(SocketPacketType.Event == decoded.Type, context);
            Assert.True(nsp == decoded.Namespace, context);
            Assert.True(id == decoded.Id, context);
            Assert.True(encoded.Attachments.Count == decoded.Attachments, context);
            Assert.True(JsEquals(args, decoded.Data), context);

            // The arguments fast path writes exactly the same bytes as the JArray path.
            var fromArgs = SocketPacketEncoder.Default.EncodeEvent(nsp, (string)args[0]!, args.Skip(1).Cast<object?>().ToArray(), id);
            Assert.True(encoded.Text.Span.SequenceEqual(fromArgs.Text.Span), context);
            Assert.Equal(encoded.Attachments.Count, fromArgs.Attachments.Count);
        }
    }

    [Fact]
    public void Random_acks_round_trip()
    {
        var random = new Random(3);
        for (var i = 0; i < Cases; i++)
        {
            var args = new JArray();
            var count = random.Next(0, 4);
            for (var j = 0; j < count; j++)
            {
                args.Add(RandomValue(random, 0));
            }

            var id = random.NextInt64(0, 1_000_000);
            var encoded = SocketPacketEncoder.Default.Encode(SocketPacket.Ack("/", id, args));
            var decoded = DecodeWithAttachments(encoded);
            var context = $"case {i}: {encoded.TextAsString()}";
            Assert.True(decoded.Type == SocketPacketType.Ack, context);
            Assert.True(decoded.Id == id, context);
            Assert.True(JsEquals(args, decoded.Data), context);
        }
    }

    [Fact]
    public void Random_text_decodes_identically_from_string_and_bytes()
    {
        var random = new Random(4);
        for (var i = 0; i < 500; i++)
        {
            var encoded = SocketPacketEncoder.Default.Encode(SocketPacket.Event("/", new JArray(RandomString(random), RandomValue(random, 2))));
            if (encoded.HasAttachments)
            {
                continue;
            }

            var fromString = SocketPacketDecoder.Default.TryDecodeText(encoded.TextAsString(), ProtocolVersion.V5, new BinaryReassembly());
            var fromBytes = SocketPacketDecoder.Default.TryDecodeText(encoded.Text.Span, ProtocolVersion.V5, new BinaryReassembly());
            Assert.True(JsEquals(fromString.Packet!.Data, fromBytes.Packet!.Data));
        }
    }

    [Fact]
    public void Random_doubles_print_and_parse_back_exactly()
    {
        var random = new Random(5);
        Span<byte> bytes = stackalloc byte[8];
        for (var i = 0; i < Cases; i++)
        {
            random.NextBytes(bytes);
            var value = BitConverter.ToDouble(bytes);
            if (!double.IsFinite(value))
            {
                continue;
            }

            var text = SocketPacketEncoder.Default.EncodeEvent("/", "n", new object?[] { value }).TextAsString();
            var back = DecodeOk(text).Data![1]!;
            Assert.True(value == back.Value<double>(), $"{value:R} printed as {text}");
        }
    }

    internal static JToken RandomValue(Random random, int depth)
    {
        var choice = random.Next(depth >= 5 ? 7 : 10);
        return choice switch
        {
            0 => JValue.CreateNull(),
            1 => new JValue(random.Next(2) == 0),
            2 => new JValue(random.NextInt64(long.MinValue, long.MaxValue) >> random.Next(64)),
            3 => new JValue(RandomDouble(random)),
            4 or 5 => new JValue(RandomString(random)),
            6 => new JValue(RandomBytes(random)),
            7 or 8 => RandomArray(random, depth + 1),
            _ => RandomObject(random, depth + 1),
        };
    }

    private static JArray RandomArray(Random random, int depth)
    {
        var array = new JArray();
        var count = random.Next(0, 4);
        for (var i = 0; i < count; i++)
        {
            array.Add(RandomValue(random, depth));
        }

        return array;
    }

    private static JObject RandomObject(Random random, int depth)
    {
        var obj = new JObject();
        var count = random.Next(0, 4);
        for (var i = 0; i < count; i++)
        {
            obj[RandomKey(random)] = RandomValue(random, depth);
        }

        return obj;
    }

    private static double RandomDouble(Random random) => random.Next(4) switch
    {
        0 => Math.Round(random.NextDouble() * 1000, random.Next(0, 4)),
        1 => (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-30, 30)),
        2 => random.Next(-1000, 1000) + 0.5,
        _ => random.NextDouble(),
    };

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[random.Next(0, 16)];
        random.NextBytes(bytes);
        return bytes;
    }

    private static string RandomNamespace(Random random) =>
        "/" + new string(RandomString(random).Where(c => c != ',' && !char.IsSurrogate(c)).ToArray());

    private static string RandomKey(Random random)
    {
        // "_placeholder" is reserved by the protocol itself: an object with that key and `true`
        // is a placeholder on the wire, so random keys stay clear of it.
        var key = RandomString(random);
        return key == "_placeholder" ? "placeholder" : key;
    }

    private static string RandomString(Random random)
    {
        var length = random.Next(0, 12);
        var text = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            text.Append(random.Next(10) switch
            {
                0 => (char)random.Next(0, 0x20),
                1 => "\"\\/"[random.Next(3)],
                2 => (char)random.Next(0x80, 0x800),
                3 => (char)random.Next(0x800, 0xD800),
                4 => "😀",
                5 => (char)random.Next(0xD800, 0xE000),
                _ => (char)random.Next(0x20, 0x7F),
            });
        }

        return text.ToString();
    }
}
