using System.Text;
using SocketIo.Actors.Protocol.Internal;

namespace SocketIo.Actors.Tests.Protocol;

public sealed class JsNumberFormatterTests
{
    [Theory]
    [InlineData(0.0, "0")]
    [InlineData(1.0, "1")]
    [InlineData(-1.5, "-1.5")]
    [InlineData(0.1, "0.1")]
    [InlineData(123.456, "123.456")]
    [InlineData(1e21, "1e+21")]
    [InlineData(1.5e21, "1.5e+21")]
    [InlineData(1e20, "100000000000000000000")]
    [InlineData(1e-6, "0.000001")]
    [InlineData(1.5e-6, "0.0000015")]
    [InlineData(1e-7, "1e-7")]
    [InlineData(-1.25e-7, "-1.25e-7")]
    [InlineData(5e-324, "5e-324")]
    [InlineData(1.7976931348623157e308, "1.7976931348623157e+308")]
    [InlineData(9007199254740992.0, "9007199254740992")]
    [InlineData(18014398509481984.0, "18014398509481984")]
    [InlineData(double.NaN, "null")]
    [InlineData(double.NegativeInfinity, "null")]
    public void Doubles_print_like_javascript(double value, string expected)
    {
        Span<byte> buffer = stackalloc byte[JsNumberFormatter.MaxLength];
        var length = JsNumberFormatter.Format(value, buffer);
        Assert.Equal(expected, Encoding.ASCII.GetString(buffer[..length]));
    }

    [Fact]
    public void Negative_zero_prints_as_zero()
    {
        Span<byte> buffer = stackalloc byte[JsNumberFormatter.MaxLength];
        Assert.Equal("0", Encoding.ASCII.GetString(buffer[..JsNumberFormatter.Format(-0.0, buffer)]));
    }

    /// <summary>Decimals keep their exact digits (JS would round them to a double) in JS layout.</summary>
    [Theory]
    [InlineData("1.10", "1.1")]
    [InlineData("100", "100")]
    [InlineData("-0.000000100", "-1e-7")]
    [InlineData("79228162514264337593543950335", "7.9228162514264337593543950335e+28")]
    [InlineData("0.0000000000000000000000000001", "1e-28")]
    public void Decimals_print_in_javascript_layout(string value, string expected)
    {
        Span<byte> buffer = stackalloc byte[64];
        var length = JsNumberFormatter.Format(decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture), buffer);
        Assert.Equal(expected, Encoding.ASCII.GetString(buffer[..length]));
    }
}
