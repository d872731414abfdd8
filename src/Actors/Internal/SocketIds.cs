using System.Security.Cryptography;

namespace SocketIo.Actors.Internal;

/// <summary>Socket ids: 15 random bytes as URL-safe base64 (20 characters), like socket.io's base64id.</summary>
internal static class SocketIds
{
    public static string NewId()
    {
        Span<byte> bytes = stackalloc byte[15];
        RandomNumberGenerator.Fill(bytes);
        return Convert.ToBase64String(bytes).Replace('+', '-').Replace('/', '_');
    }
}
