using System.Buffers;

namespace SocketIo.Transport.EngineIo.Internal;

/// <summary>
/// A growable <see cref="IBufferWriter{T}"/> over arrays rented from the shared pool. Nothing is rented
/// before the first write, and <see cref="Release"/> hands the array back while the owner is idle (a
/// WebSocket between bursts keeps no buffer).
/// </summary>
internal sealed class PooledBufferWriter : IBufferWriter<byte>, IDisposable
{
    private const int RetainLimit = 64 * 1024;
    private readonly int _initialSize;
    private byte[] _buffer;
    private int _written;

    public PooledBufferWriter(int initialSize = 256)
    {
        _initialSize = initialSize;
        _buffer = [];
    }

    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _written);

    public int WrittenCount => _written;

    public void Advance(int count) => _written += count;

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(_written);
    }

    /// <summary>Forgets what was written; a large buffer goes back to the pool.</summary>
    public void Reset()
    {
        _written = 0;
        if (_buffer.Length > RetainLimit)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
    }

    /// <summary>Forgets what was written and returns the array to the pool; the next write rents again.</summary>
    public void Release() => Dispose();

    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        _written = 0;
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void Ensure(int sizeHint)
    {
        sizeHint = Math.Max(sizeHint, 1);
        if (_buffer.Length - _written >= sizeHint)
        {
            return;
        }

        var next = ArrayPool<byte>.Shared.Rent(Math.Max(Math.Max(_buffer.Length * 2, _initialSize), _written + sizeHint));
        _buffer.AsSpan(0, _written).CopyTo(next);
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }

        _buffer = next;
    }
}
