using System.Text;
using Newtonsoft.Json.Linq;
using SocketIo.Actors.Protocol;

namespace SocketIo.Actors.Tests.Protocol;

/// <summary>Helpers shared by the codec specs.</summary>
internal static class ProtocolTestSupport
{
    public static DecodeResult Decode(string text, ProtocolVersion version = ProtocolVersion.V5, SocketPacketDecoder? decoder = null) =>
        (decoder ?? SocketPacketDecoder.Default).TryDecodeText(Encoding.UTF8.GetBytes(text), version, new BinaryReassembly());

    public static SocketPacket DecodeOk(string text, ProtocolVersion version = ProtocolVersion.V5)
    {
        var result = Decode(text, version);
        Assert.True(result.IsCompleted, $"'{text}' did not decode: {result}");
        return result.Packet!;
    }

    public static ProtocolError DecodeError(string text, ProtocolVersion version = ProtocolVersion.V5, SocketPacketDecoder? decoder = null)
    {
        var result = Decode(text, version, decoder);
        Assert.True(result.IsError, $"'{text}' should have been rejected but gave {result}");
        return result.Error!;
    }

    public static string Text(EncodedPacket packet) => packet.TextAsString();

    public static string Json(JToken? token) => token?.ToString(Newtonsoft.Json.Formatting.None) ?? "<null>";

    /// <summary>Decodes a text part followed by its attachments, all at once.</summary>
    public static SocketPacket DecodeWithAttachments(EncodedPacket encoded, ProtocolVersion version = ProtocolVersion.V5)
    {
        var state = new BinaryReassembly();
        var result = SocketPacketDecoder.Default.TryDecodeText(encoded.Text.Span, version, state);
        foreach (var attachment in encoded.Attachments)
        {
            Assert.True(result.NeedsMoreAttachments, result.ToString());
            result = SocketPacketDecoder.Default.TryAddAttachment(attachment.Span, state);
        }

        Assert.True(result.IsCompleted, result.ToString());
        Assert.False(state.IsPending);
        return result.Packet!;
    }

    /// <summary>
    /// JSON value equality as JavaScript sees it: numbers compare by value (1 and 1.0 are the same),
    /// binary values by content.
    /// </summary>
    public static bool JsEquals(JToken? a, JToken? b)
    {
        if (a is null || b is null)
        {
            return a is null && b is null;
        }

        if (IsNumber(a) && IsNumber(b))
        {
            return a.Value<double>().Equals(b.Value<double>());
        }

        if (a.Type != b.Type)
        {
            return false;
        }

        switch (a)
        {
            case JArray arrayA:
                var arrayB = (JArray)b;
                return arrayA.Count == arrayB.Count && arrayA.Zip(arrayB).All(p => JsEquals(p.First, p.Second));
            case JObject objectA:
                var objectB = (JObject)b;
                return objectA.Count == objectB.Count
                    && objectA.Properties().Select(p => p.Name).SequenceEqual(objectB.Properties().Select(p => p.Name))
                    && objectA.Properties().All(p => JsEquals(p.Value, objectB[p.Name]));
            case JValue { Type: JTokenType.Bytes } bytes:
                return ((byte[])bytes.Value!).AsSpan().SequenceEqual((byte[])((JValue)b).Value!);
            default:
                return JToken.DeepEquals(a, b);
        }
    }

    private static bool IsNumber(JToken t) => t.Type is JTokenType.Integer or JTokenType.Float;
}
