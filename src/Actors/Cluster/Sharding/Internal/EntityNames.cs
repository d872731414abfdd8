using System.Text;

namespace SocketIo.Actors.Cluster.Sharding.Internal;

/// <summary>Turns entity ids into valid, distinct actor names.</summary>
internal static class EntityNames
{
    private const string Allowed = "-_.*+:@&=,!';()";

    /// <summary>
    /// Letters, digits and punctuation Akka allows in actor names (a subset of ActorPath.ValidSymbols) stay; every other byte of the UTF-8
    /// form (including '~', the escape character, and a leading '$') becomes "~XX", so distinct
    /// ids give distinct names.
    /// </summary>
    public static string Escape(string entityId)
    {
        ArgumentException.ThrowIfNullOrEmpty(entityId);
        var sb = new StringBuilder(entityId.Length);
        foreach (var b in Encoding.UTF8.GetBytes(entityId))
        {
            var c = (char)b;
            if (b < 0x80 && (char.IsAsciiLetterOrDigit(c) || Allowed.Contains(c)))
            {
                sb.Append(c);
            }
            else
            {
                sb.Append('~').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return sb.ToString();
    }
}
