using System.Globalization;

namespace SocketIo.Actors.Protocol.Internal;

/// <summary>
/// Writes numbers the way JavaScript's <c>JSON.stringify</c> prints them (ECMAScript Number::toString):
/// shortest round-trip digits, no trailing <c>.0</c> (<c>1.0</c> prints <c>1</c>), fixed notation for
/// decimal exponents in [-6, 21), otherwise <c>1e+21</c> / <c>1e-7</c>; NaN and ±Infinity print <c>null</c>
/// and -0 prints <c>0</c>. Clients then see exactly what a Node server would send.
/// </summary>
internal static class JsNumberFormatter
{
    /// <summary>Longest output: sign, 17 digits, point, "e-324" and some slack.</summary>
    public const int MaxLength = 32;

    public static int Format(double value, Span<byte> destination)
    {
        if (!double.IsFinite(value))
        {
            "null"u8.CopyTo(destination);
            return 4;
        }

        if (value == 0)
        {
            destination[0] = (byte)'0';
            return 1;
        }

        // Integers below 2^53 are exact and print without exponent in JS (< 1e21), so the
        // integer formatter gives the same text cheaply.
        if (Math.Abs(value) < 9007199254740992d && Math.Floor(value) == value)
        {
            ((long)value).TryFormat(destination, out var written, default, CultureInfo.InvariantCulture);
            return written;
        }

        Span<char> roundTrip = stackalloc char[MaxLength];
        value.TryFormat(roundTrip, out var length, "R", CultureInfo.InvariantCulture);
        return FromDecimalString(roundTrip[..length], destination);
    }

    public static int Format(float value, Span<byte> destination)
    {
        if (!float.IsFinite(value))
        {
            "null"u8.CopyTo(destination);
            return 4;
        }

        if (value == 0)
        {
            destination[0] = (byte)'0';
            return 1;
        }

        // The float's own shortest digits (1.1f prints 1.1, not 1.100000023841858).
        Span<char> roundTrip = stackalloc char[MaxLength];
        value.TryFormat(roundTrip, out var length, "R", CultureInfo.InvariantCulture);
        return FromDecimalString(roundTrip[..length], destination);
    }

    public static int Format(decimal value, Span<byte> destination)
    {
        if (value == 0)
        {
            destination[0] = (byte)'0';
            return 1;
        }

        Span<char> text = stackalloc char[64];
        value.TryFormat(text, out var length, default, CultureInfo.InvariantCulture);
        return FromDecimalString(text[..length], destination);
    }

    /// <summary>
    /// Re-lays out a .NET invariant number ("-1.5E-07", "123.45", "1E+21", "0.001") in JS form.
    /// </summary>
    private static int FromDecimalString(ReadOnlySpan<char> text, Span<byte> destination)
    {
        var pos = 0;
        var negative = text[0] == '-';
        if (negative)
        {
            text = text[1..];
        }

        var exponent = 0;
        var e = text.IndexOfAny('E', 'e');
        if (e >= 0)
        {
            exponent = int.Parse(text[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            text = text[..e];
        }

        // Collect significant digits and the position n of the decimal point relative to them:
        // value = 0.d1d2...dk × 10^n.
        Span<byte> digits = stackalloc byte[64];
        var k = 0;
        var pointAt = text.IndexOf('.');
        var integerDigits = pointAt < 0 ? text.Length : pointAt;
        var n = integerDigits + exponent;
        var leading = true;
        foreach (var c in text)
        {
            if (c == '.')
            {
                continue;
            }

            if (leading && c == '0')
            {
                n--;
                continue;
            }

            leading = false;
            digits[k++] = (byte)c;
        }

        while (k > 1 && digits[k - 1] == '0')
        {
            k--;
        }

        if (k == 0)
        {
            destination[0] = (byte)'0';
            return 1;
        }

        if (negative)
        {
            destination[pos++] = (byte)'-';
        }

        if (k <= n && n <= 21)
        {
            digits[..k].CopyTo(destination[pos..]);
            pos += k;
            for (var i = 0; i < n - k; i++)
            {
                destination[pos++] = (byte)'0';
            }
        }
        else if (0 < n && n <= 21)
        {
            digits[..n].CopyTo(destination[pos..]);
            pos += n;
            destination[pos++] = (byte)'.';
            digits[n..k].CopyTo(destination[pos..]);
            pos += k - n;
        }
        else if (-6 < n && n <= 0)
        {
            destination[pos++] = (byte)'0';
            destination[pos++] = (byte)'.';
            for (var i = 0; i < -n; i++)
            {
                destination[pos++] = (byte)'0';
            }

            digits[..k].CopyTo(destination[pos..]);
            pos += k;
        }
        else
        {
            destination[pos++] = digits[0];
            if (k > 1)
            {
                destination[pos++] = (byte)'.';
                digits[1..k].CopyTo(destination[pos..]);
                pos += k - 1;
            }

            destination[pos++] = (byte)'e';
            var exp = n - 1;
            destination[pos++] = exp < 0 ? (byte)'-' : (byte)'+';
            Math.Abs(exp).TryFormat(destination[pos..], out var written, default, CultureInfo.InvariantCulture);
            pos += written;
        }

        return pos;
    }
}
