using System.Net.Sockets;
using System.Text;
using SocketIo.Transport.Tests.Integration;

namespace SocketIo.Transport.Tests.Robustness;

/// <summary>A raw TCP connection to the test server, for requests HttpClient will not send (slow, endless, broken).</summary>
internal sealed class RawHttp : IAsyncDisposable
{
    private readonly TcpClient _client;
    private readonly NetworkStream _stream;

    private RawHttp(TcpClient client)
    {
        _client = client;
        _stream = client.GetStream();
    }

    public static async Task<RawHttp> ConnectAsync(TestServer server)
    {
        var client = new TcpClient();
        await client.ConnectAsync(server.BaseUri.Host, server.BaseUri.Port).WaitAsync(TestServer.Timeout);
        return new RawHttp(client);
    }

    public Task WriteAsync(string text) => WriteAsync(Encoding.ASCII.GetBytes(text));

    public async Task WriteAsync(byte[] bytes) => await _stream.WriteAsync(bytes).AsTask().WaitAsync(TestServer.Timeout);

    /// <summary>Reads until the server closes the connection or <paramref name="limit"/> passes; returns what arrived and whether it closed.</summary>
    public async Task<(string Text, bool Closed)> ReadUntilClosedAsync(TimeSpan limit)
    {
        var received = new MemoryStream();
        var buffer = new byte[8192];
        using var cts = new CancellationTokenSource(limit);
        try
        {
            while (true)
            {
                var n = await _stream.ReadAsync(buffer, cts.Token);
                if (n == 0)
                {
                    return (Encoding.ASCII.GetString(received.ToArray()), true);
                }

                received.Write(buffer, 0, n);
            }
        }
        catch (OperationCanceledException)
        {
            return (Encoding.ASCII.GetString(received.ToArray()), false);
        }
        catch (IOException)
        {
            return (Encoding.ASCII.GetString(received.ToArray()), true);
        }
    }

    /// <summary>Reads what is available until <paramref name="marker"/> has arrived (or the limit passes).</summary>
    public async Task<string> ReadUntilAsync(string marker, TimeSpan limit)
    {
        var received = new StringBuilder();
        var buffer = new byte[8192];
        using var cts = new CancellationTokenSource(limit);
        try
        {
            while (!received.ToString().Contains(marker, StringComparison.Ordinal))
            {
                var n = await _stream.ReadAsync(buffer, cts.Token);
                if (n == 0)
                {
                    break;
                }

                received.Append(Encoding.ASCII.GetString(buffer, 0, n));
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException)
        {
        }

        return received.ToString();
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }
}
