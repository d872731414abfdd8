using System.Text;
using Newtonsoft.Json.Linq;
using SocketIo.Actors.Protocol;

namespace SocketIo.Actors.Tests.Protocol;

public sealed class BinaryReassemblyTests
{
    private static readonly SocketPacketDecoder Decoder = SocketPacketDecoder.Default;

    private static DecodeResult Text(string text, BinaryReassembly state, ProtocolVersion version = ProtocolVersion.V5) =>
        Decoder.TryDecodeText(Encoding.UTF8.GetBytes(text), version, state);

    [Theory]
    [InlineData(ProtocolVersion.V5)]
    [InlineData(ProtocolVersion.V4)]
    public void Binary_event_completes_after_its_attachment(ProtocolVersion version)
    {
        var state = new BinaryReassembly();
        var header = Text("51-[\"hello\",{\"_placeholder\":true,\"num\":0}]", state, version);
        Assert.Equal(DecodeStatus.NeedMoreAttachments, header.Status);
        Assert.Equal(1, header.PendingAttachments);
        Assert.True(state.IsPending);
        Assert.Equal(1, state.PendingAttachments);

        var done = Decoder.TryAddAttachment(new byte[] { 1, 2, 3, 4 }, state);
        Assert.True(done.IsCompleted);
        Assert.False(state.IsPending);
        var packet = done.Packet!;
        Assert.Equal(SocketPacketType.Event, packet.Type);
        Assert.Equal(1, packet.Attachments);
        Assert.Equal("hello", packet.EventName);
        var bytes = Assert.IsType<JValue>(packet.Data![1]);
        Assert.Equal(JTokenType.Bytes, bytes.Type);
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, (byte[])bytes.Value!);
    }

    [Fact]
    public void Binary_ack_with_namespace_and_id_completes_as_an_ack()
    {
        var state = new BinaryReassembly();
        Assert.True(Text("61-/admin,15[{\"_placeholder\":true,\"num\":0}]", state).NeedsMoreAttachments);
        var packet = Decoder.TryAddAttachment(new byte[] { 3, 2, 1 }, state).Packet!;
        Assert.Equal(SocketPacketType.Ack, packet.Type);
        Assert.Equal("/admin", packet.Namespace);
        Assert.Equal(15, packet.Id);
        Assert.Equal(new byte[] { 3, 2, 1 }, (byte[])((JValue)packet.Data![0]!).Value!);
    }

    [Fact]
    public void Attachments_fill_placeholders_by_num_at_any_depth()
    {
        var state = new BinaryReassembly();
        var header = Text(
            "53-/admin,9[\"e\",{\"a\":{\"b\":[{\"_placeholder\":true,\"num\":2}]},\"c\":{\"_placeholder\":true,\"num\":0}},[[{\"_placeholder\":true,\"num\":1}]]]",
            state);
        Assert.Equal(3, header.PendingAttachments);

        var second = Decoder.TryAddAttachment(new byte[] { 0 }, state);
        Assert.Equal(2, second.PendingAttachments);
        Assert.Equal(1, state.ReceivedAttachments);
        Assert.Equal(1, Decoder.TryAddAttachment(new byte[] { 1 }, state).PendingAttachments);
        var done = Decoder.TryAddAttachment(new byte[] { 2 }, state);

        var data = done.Packet!.Data!;
        Assert.Equal(new byte[] { 2 }, (byte[])data[1]!["a"]!["b"]![0]!);
        Assert.Equal(new byte[] { 0 }, (byte[])data[1]!["c"]!);
        Assert.Equal(new byte[] { 1 }, (byte[])data[2]![0]![0]!);
        Assert.Equal(9, done.Packet.Id);
    }

    [Fact]
    public void Attachment_bytes_are_copied_so_the_transport_may_reuse_its_buffer()
    {
        var state = new BinaryReassembly();
        Text("51-[\"e\",{\"_placeholder\":true,\"num\":0}]", state);
        var buffer = new byte[] { 7, 7 };
        var packet = Decoder.TryAddAttachment(buffer, state).Packet!;
        buffer[0] = 0;
        Assert.Equal(new byte[] { 7, 7 }, (byte[])packet.Data![1]!);
    }

    [Fact]
    public void Text_while_attachments_are_pending_is_an_error_and_resets()
    {
        var state = new BinaryReassembly();
        Text("52-[\"e\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]", state);
        Decoder.TryAddAttachment(new byte[] { 1 }, state);
        var result = Text("2[\"other\"]", state);
        Assert.Equal(ProtocolErrorCode.UnexpectedText, result.Error!.Code);
        Assert.Equal("got plaintext data when reconstructing a packet", result.Error.Message);
        Assert.False(state.IsPending);

        var fromString = Decoder.TryDecodeText("2[\"other\"]", ProtocolVersion.V5, StateAwaitingOne());
        Assert.Equal(ProtocolErrorCode.UnexpectedText, fromString.Error!.Code);
    }

    [Fact]
    public void An_attachment_nobody_announced_is_an_error()
    {
        var state = new BinaryReassembly();
        var result = Decoder.TryAddAttachment(new byte[] { 1 }, state);
        Assert.Equal(ProtocolErrorCode.UnexpectedAttachment, result.Error!.Code);
    }

    [Fact]
    public void More_attachments_than_announced_are_caught()
    {
        var state = StateAwaitingOne();
        Assert.True(Decoder.TryAddAttachment(new byte[] { 1 }, state).IsCompleted);
        Assert.Equal(ProtocolErrorCode.UnexpectedAttachment, Decoder.TryAddAttachment(new byte[] { 2 }, state).Error!.Code);
    }

    [Fact]
    public void Fewer_attachments_leave_the_count_pending_for_the_caller_to_time_out()
    {
        var state = new BinaryReassembly();
        Text("52-[\"e\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]", state);
        Decoder.TryAddAttachment(new byte[] { 1 }, state);
        Assert.True(state.IsPending);
        Assert.Equal(2, state.ExpectedAttachments);
        Assert.Equal(1, state.ReceivedAttachments);
        Assert.Equal(1, state.PendingAttachments);

        state.Reset();
        Assert.False(state.IsPending);
        Assert.Equal(0, state.PendingAttachments);
        Assert.True(Text("2[\"next\"]", state).IsCompleted);
    }

    [Fact]
    public void Empty_attachments_are_valid()
    {
        var state = StateAwaitingOne();
        var packet = Decoder.TryAddAttachment(ReadOnlySpan<byte>.Empty, state).Packet!;
        Assert.Empty((byte[])packet.Data![1]!);
    }

    [Fact]
    public void A_decoded_binary_packet_encodes_back_to_the_same_wire()
    {
        const string wire = "52-/admin,4[\"e\",{\"x\":{\"_placeholder\":true,\"num\":0}},{\"_placeholder\":true,\"num\":1}]";
        var state = new BinaryReassembly();
        Text(wire, state);
        Decoder.TryAddAttachment(new byte[] { 1 }, state);
        var packet = Decoder.TryAddAttachment(new byte[] { 2 }, state).Packet!;

        var encoded = SocketPacketEncoder.Default.Encode(packet);
        Assert.Equal(wire, encoded.TextAsString());
        Assert.Equal(new byte[] { 1 }, encoded.Attachments[0].ToArray());
        Assert.Equal(new byte[] { 2 }, encoded.Attachments[1].ToArray());
    }

    private static BinaryReassembly StateAwaitingOne()
    {
        var state = new BinaryReassembly();
        Assert.True(Text("51-[\"e\",{\"_placeholder\":true,\"num\":0}]", state).NeedsMoreAttachments);
        return state;
    }
}
