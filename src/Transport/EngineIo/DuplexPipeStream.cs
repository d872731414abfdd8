using System.Buffers;
using System.IO.Pipelines;
using System.Net.WebSockets;

namespace SocketIo.Transport.EngineIo;

/// <summary>
/// A <see cref="Stream"/> reading from one pipe and writing to another, for
/// <see cref="WebSocket.CreateFromStream(Stream, WebSocketCreationOptions)"/>: over a connection's duplex pipe (the
/// direct WebSocket path), or over two in-memory pipes (a WebSocket pair, as the host's cluster relay makes). Reads
/// copy out of the input pipe (a zero-byte read waits for data without consuming it); writes go into the output pipe
/// and are flushed, so they wait while the reader is more than the pipe's threshold behind. Disposal (which an aborted
/// WebSocket does) cancels a pending read and flush, so a receive loop or a writer blocked on a peer that stopped
/// reading comes back; a write cancelled that way throws <see cref="IOException"/>.
/// </summary>
public sealed class DuplexPipeStream(PipeReader input, PipeWriter output) : Stream
{
    /// <summary>Over <paramref name="pipe"/>'s input and output.</summary>
    public DuplexPipeStream(IDuplexPipe pipe)
        : this(pipe.Input, pipe.Output)
    {
    }

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var result = await input.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            if (!buffer.IsEmpty)
            {
                var count = (int)Math.Min(buffer.Length, destination.Length);
                buffer.Slice(0, count).CopyTo(destination.Span);
                input.AdvanceTo(buffer.GetPosition(count));
                return count;
            }

            input.AdvanceTo(buffer.End);
            if (result.IsCompleted || result.IsCanceled)
            {
                return 0;
            }
        }
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default)
    {
        var result = await output.WriteAsync(source, cancellationToken);
        if (result.IsCanceled)
        {
            throw new IOException("The stream was aborted.");
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            input.CancelPendingRead();
            output.CancelPendingFlush();
        }

        base.Dispose(disposing);
    }
}
