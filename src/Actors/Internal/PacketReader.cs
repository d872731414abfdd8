using System.Net;
using Newtonsoft.Json.Linq;
using SocketIo.Actors.Protocol;

namespace SocketIo.Actors.Internal;

/// <summary>
/// Decodes one connection's packets: text packets, then the binary attachments they announced, into
/// <see cref="InboundPacket"/>s. Holds that connection's reassembly state.
/// </summary>
internal sealed class PacketReader
{
    public enum Status
    {
        Packet,
        NeedAttachments,
        Error,
    }

    public readonly record struct Result(Status Status, InboundPacket? Packet, string? Error);

    private readonly SocketPacketDecoder _decoder;
    private readonly BinaryReassembly _reassembly = new();
    private readonly ProtocolVersion _version;

    public PacketReader(int protocol, int maxAttachments, int maxDepth)
    {
        _version = protocol == 4 ? ProtocolVersion.V4 : ProtocolVersion.V5;
        _decoder = new SocketPacketDecoder(new SocketPacketDecoderOptions { MaxAttachments = maxAttachments, MaxDepth = maxDepth });
    }

    public Result ReadText(ReadOnlyMemory<byte> utf8) => Map(_decoder.TryDecodeText(utf8.Span, _version, _reassembly));

    public Result ReadBinary(ReadOnlyMemory<byte> data) => _reassembly.IsPending
        ? Map(_decoder.TryAddAttachment(data.Span, _reassembly))
        : new Result(Status.Error, null, "binary message with no pending packet");

    private Result Map(DecodeResult result)
    {
        if (result.IsError) return new Result(Status.Error, null, result.Error.Message);
        if (!result.IsCompleted) return new Result(Status.NeedAttachments, null, null);
        var p = result.Packet;
        var packet = p.Type switch
        {
            SocketPacketType.Connect => new InboundPacket(InboundKind.Connect, p.Namespace, null, [], null, ConnectAuth(p)),
            SocketPacketType.Disconnect => new InboundPacket(InboundKind.Disconnect, p.Namespace, null, [], null, null),
            SocketPacketType.Event or SocketPacketType.BinaryEvent => EventPacket(p),
            SocketPacketType.Ack or SocketPacketType.BinaryAck => new InboundPacket(InboundKind.Ack, p.Namespace, null, p.Data as JArray ?? [], p.Id, null),
            _ => new InboundPacket(InboundKind.ConnectError, p.Namespace, null, [], null, null),
        };
        return new Result(Status.Packet, packet, null);
    }

    private static InboundPacket EventPacket(SocketPacket p)
    {
        // The decoder guarantees a non-empty array whose first element is the event name; the array is
        // ours, so the name is removed in place instead of copying the arguments.
        var args = (JArray)p.Data!;
        var name = (string)args[0]!;
        args.RemoveAt(0);
        return new InboundPacket(InboundKind.Event, p.Namespace, name, args, p.Id, null);
    }

    /// <summary>v5: the CONNECT payload; v4: the query string of the namespace, as socket.io 2.x clients send auth.</summary>
    private JObject ConnectAuth(SocketPacket p)
    {
        if (_version == ProtocolVersion.V5) return p.Data as JObject ?? [];
        var auth = new JObject();
        if (string.IsNullOrEmpty(p.Query)) return auth;
        foreach (var pair in p.Query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=');
            var key = WebUtility.UrlDecode(eq < 0 ? pair : pair[..eq]);
            auth[key] = eq < 0 ? "" : WebUtility.UrlDecode(pair[(eq + 1)..]);
        }
        return auth;
    }
}
