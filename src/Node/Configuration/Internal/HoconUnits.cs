using System.Globalization;

namespace SocketIo.Node.Configuration.Internal;

/// <summary>
/// The HOCON units format: a number, optional whitespace, an optional unit made of letters. Duration
/// units are lowercase and a bare number means milliseconds; size units follow the spec's powers (kB,
/// MB, ... are powers of ten; K, k, Ki, KiB, ... powers of two) and a bare number means bytes.
/// </summary>
internal static class HoconUnits
{
    private static readonly Dictionary<string, decimal> TicksPerDurationUnit = Build(
        (TimeSpan.TicksPerMillisecond / 1_000_000m, ["ns", "nano", "nanos", "nanosecond", "nanoseconds"]),
        (TimeSpan.TicksPerMillisecond / 1_000m, ["us", "micro", "micros", "microsecond", "microseconds"]),
        (TimeSpan.TicksPerMillisecond, ["ms", "milli", "millis", "millisecond", "milliseconds"]),
        (TimeSpan.TicksPerSecond, ["s", "second", "seconds"]),
        (TimeSpan.TicksPerMinute, ["m", "minute", "minutes"]),
        (TimeSpan.TicksPerHour, ["h", "hour", "hours"]),
        (TimeSpan.TicksPerDay, ["d", "day", "days"]));

    private static readonly Dictionary<string, decimal> BytesPerSizeUnit = BuildSizes();

    public const string DurationUnitsHint = "ns, us, ms, s, m, h, d (or nanoseconds, microseconds, milliseconds, seconds, minutes, hours, days)";
    public const string SizeUnitsHint = "B, kB, MB, GB, TB (powers of 1000) or K, M, G, T, KiB, MiB, GiB, TiB (powers of 1024)";

    public enum Outcome { Ok, BadFormat, UnknownUnit, OutOfRange, NotWhole }

    /// <summary>Parses a number written in the file (milliseconds) or a string with an optional unit.</summary>
    public static Outcome TryParseDuration(string text, bool isNumber, out TimeSpan value, out string unit)
    {
        value = default;
        var outcome = Split(text, isNumber, out var amount, out unit);
        if (outcome != Outcome.Ok) return outcome;
        if (!TicksPerDurationUnit.TryGetValue(unit.Length == 0 ? "ms" : unit, out var ticksPerUnit)) return Outcome.UnknownUnit;
        if (!TryMultiply(amount, ticksPerUnit, out var ticks)) return Outcome.OutOfRange;
        // Below the 100 ns tick the value is truncated, as TimeSpan cannot hold it.
        value = TimeSpan.FromTicks((long)decimal.Truncate(ticks));
        return Outcome.Ok;
    }

    /// <summary>Parses a number written in the file (bytes) or a string with an optional unit; the result must be whole bytes.</summary>
    public static Outcome TryParseBytes(string text, bool isNumber, out long value, out string unit)
    {
        value = default;
        var outcome = Split(text, isNumber, out var amount, out unit);
        if (outcome != Outcome.Ok) return outcome;
        if (!BytesPerSizeUnit.TryGetValue(unit.Length == 0 ? "B" : unit, out var bytesPerUnit)) return Outcome.UnknownUnit;
        if (!TryMultiply(amount, bytesPerUnit, out var bytes)) return Outcome.OutOfRange;
        if (bytes != decimal.Truncate(bytes)) return Outcome.NotWhole;
        value = (long)bytes;
        return Outcome.Ok;
    }

    private static Outcome Split(string text, bool isNumber, out decimal amount, out string unit)
    {
        amount = default;
        unit = "";
        var s = text.AsSpan().Trim();
        if (!isNumber)
        {
            var numberEnd = 0;
            if (numberEnd < s.Length && s[numberEnd] is '-' or '+') numberEnd++;
            while (numberEnd < s.Length)
            {
                var c = s[numberEnd];
                if (char.IsAsciiDigit(c) || c == '.')
                {
                    numberEnd++;
                    continue;
                }
                if (c is 'e' or 'E')
                {
                    // An exponent only when digits follow: in `5E` the E is a unit (exbibytes).
                    var next = numberEnd + 1;
                    if (next < s.Length && s[next] is '-' or '+') next++;
                    if (next < s.Length && char.IsAsciiDigit(s[next]))
                    {
                        numberEnd = next;
                        continue;
                    }
                }
                break;
            }
            var rest = s[numberEnd..].Trim();
            foreach (var c in rest)
                if (!char.IsLetter(c)) return Outcome.BadFormat;
            unit = rest.ToString();
            s = s[..numberEnd];
        }
        if (s.Length == 0) return Outcome.BadFormat;
        const NumberStyles style = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;
        if (decimal.TryParse(s, style, CultureInfo.InvariantCulture, out amount)) return Outcome.Ok;
        // Well formed but beyond decimal's range (1e40) is out of range, not malformed.
        return double.TryParse(s, style, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) ? Outcome.OutOfRange : Outcome.BadFormat;
    }

    private static bool TryMultiply(decimal amount, decimal factor, out decimal result)
    {
        try
        {
            result = amount * factor;
            return result is >= long.MinValue and <= long.MaxValue;
        }
        catch (OverflowException)
        {
            result = default;
            return false;
        }
    }

    private static Dictionary<string, decimal> Build(params (decimal Factor, string[] Names)[] groups)
    {
        var map = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var (factor, names) in groups)
            foreach (var name in names) map[name] = factor;
        return map;
    }

    private static Dictionary<string, decimal> BuildSizes()
    {
        var map = Build((1m, ["B", "b", "byte", "bytes"]));
        string[] decimalPrefixes = ["k", "M", "G", "T", "P", "E", "Z", "Y"];
        string[] decimalNames = ["kilo", "mega", "giga", "tera", "peta", "exa", "zetta", "yotta"];
        string[] binaryLetters = ["K", "M", "G", "T", "P", "E", "Z", "Y"];
        string[] binaryNames = ["kibi", "mebi", "gibi", "tebi", "pebi", "exbi", "zebi", "yobi"];
        decimal power10 = 1, power2 = 1;
        for (var i = 0; i < decimalPrefixes.Length; i++)
        {
            power10 *= 1000;
            power2 *= 1024;
            foreach (var name in new[] { decimalPrefixes[i] + "B", decimalNames[i] + "byte", decimalNames[i] + "bytes" })
                map[name] = power10;
            var letter = binaryLetters[i];
            foreach (var name in new[] { letter, letter.ToLowerInvariant(), letter + "i", letter + "iB", binaryNames[i] + "byte", binaryNames[i] + "bytes" })
                map[name] = power2;
        }
        return map;
    }
}
