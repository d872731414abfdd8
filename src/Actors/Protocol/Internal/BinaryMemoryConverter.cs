using Newtonsoft.Json;

namespace SocketIo.Actors.Protocol.Internal;

/// <summary>
/// Lets <see cref="ReadOnlyMemory{T}"/>, <see cref="Memory{T}"/> and <see cref="ArraySegment{T}"/> of
/// bytes nested in POCOs, lists and dictionaries become attachments like <c>byte[]</c> does.
/// </summary>
internal sealed class BinaryMemoryConverter : JsonConverter
{
    public override bool CanRead => false;

    public override bool CanConvert(Type objectType) =>
        objectType == typeof(ReadOnlyMemory<byte>)
        || objectType == typeof(Memory<byte>)
        || objectType == typeof(ArraySegment<byte>);

    public override void WriteJson(JsonWriter writer, object? value, JsonSerializer serializer)
    {
        ReadOnlyMemory<byte> memory = value switch
        {
            ReadOnlyMemory<byte> m => m,
            Memory<byte> m => m,
            ArraySegment<byte> s => s,
            _ => ReadOnlyMemory<byte>.Empty,
        };

        if (writer is WireJsonWriter wire)
        {
            wire.WriteBinary(memory);
        }
        else
        {
            writer.WriteValue(memory.ToArray());
        }
    }

    public override object? ReadJson(JsonReader reader, Type objectType, object? existingValue, JsonSerializer serializer) =>
        throw new NotSupportedException();
}
