using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace SocketIo.Actors.Cluster.Internal;

/// <summary>
/// Writes the fields of one cross-node message (<see cref="ClusterProtocol"/>), as its manifest defines them.
/// Strings are UTF-8 with a varint length, byte fields are length-prefixed (binary-safe: packet text and
/// attachments travel as they are, never re-encoded).
/// </summary>
internal sealed class WireWriter(int sizeHint = 256)
{
    private readonly ArrayBufferWriter<byte> _buffer = new(sizeHint);

    public void WriteByte(byte value)
    {
        _buffer.GetSpan(1)[0] = value;
        _buffer.Advance(1);
    }

    public void WriteBool(bool value) => WriteByte(value ? (byte)1 : (byte)0);

    public void WriteVarInt(ulong value)
    {
        var span = _buffer.GetSpan(10);
        var i = 0;
        while (value >= 0x80)
        {
            span[i++] = (byte)(value | 0x80);
            value >>= 7;
        }
        span[i++] = (byte)value;
        _buffer.Advance(i);
    }

    public void WriteInt64(long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(_buffer.GetSpan(8), value);
        _buffer.Advance(8);
    }

    public void WriteString(string value)
    {
        var count = Encoding.UTF8.GetByteCount(value);
        WriteVarInt((ulong)count);
        Encoding.UTF8.GetBytes(value, _buffer.GetSpan(count));
        _buffer.Advance(count);
    }

    public void WriteNullableString(string? value)
    {
        WriteBool(value is not null);
        if (value is not null) WriteString(value);
    }

    public void WriteBytes(ReadOnlySpan<byte> value)
    {
        WriteVarInt((ulong)value.Length);
        value.CopyTo(_buffer.GetSpan(value.Length));
        _buffer.Advance(value.Length);
    }

    public void WriteStrings(IReadOnlyCollection<string> values)
    {
        WriteVarInt((ulong)values.Count);
        foreach (var value in values) WriteString(value);
    }

    public void WriteDictionary(IReadOnlyDictionary<string, string> values)
    {
        WriteVarInt((ulong)values.Count);
        foreach (var (key, value) in values)
        {
            WriteString(key);
            WriteString(value);
        }
    }

    /// <summary>The message's bytes, copied once into an array of their exact length (what Akka's serializer returns).</summary>
    public byte[] ToArray() => _buffer.WrittenSpan.ToArray();
}

/// <summary>Reads what <see cref="WireWriter"/> wrote; a truncated or malformed message throws <see cref="FormatException"/>.</summary>
internal sealed class WireReader(ReadOnlyMemory<byte> body)
{
    private readonly ReadOnlyMemory<byte> _body = body;
    private int _position;

    /// <summary>Whether every byte was read (a message with bytes left over is malformed).</summary>
    public bool AtEnd => _position == _body.Length;

    public byte ReadByte()
    {
        if (_position >= _body.Length) throw new FormatException("cluster message truncated");
        return _body.Span[_position++];
    }

    public bool ReadBool() => ReadByte() != 0;

    public ulong ReadVarInt()
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var b = ReadByte();
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) return value;
        }
        throw new FormatException("cluster message has a bad varint");
    }

    public long ReadInt64()
    {
        var span = Take(8).Span;
        return BinaryPrimitives.ReadInt64LittleEndian(span);
    }

    public string ReadString() => Encoding.UTF8.GetString(ReadBytes().Span);

    public string? ReadNullableString() => ReadBool() ? ReadString() : null;

    /// <summary>A slice of the message (no copy): the array Akka deserialized from is never reused or mutated.</summary>
    public ReadOnlyMemory<byte> ReadBytes() => Take(checked((int)ReadVarInt()));

    public List<string> ReadStrings()
    {
        var count = checked((int)ReadVarInt());
        var list = new List<string>(Math.Min(count, 1024));
        for (var i = 0; i < count; i++) list.Add(ReadString());
        return list;
    }

    public Dictionary<string, string> ReadDictionary()
    {
        var count = checked((int)ReadVarInt());
        var map = new Dictionary<string, string>(Math.Min(count, 1024), StringComparer.Ordinal);
        for (var i = 0; i < count; i++) map[ReadString()] = ReadString();
        return map;
    }

    private ReadOnlyMemory<byte> Take(int count)
    {
        if (count < 0 || _position + count > _body.Length) throw new FormatException("cluster message truncated");
        var slice = _body.Slice(_position, count);
        _position += count;
        return slice;
    }
}
