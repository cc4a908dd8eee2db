using Mesh.Internal;

namespace Mesh.Tests.Internal;

/// <summary>The one duration parser: Go's syntax (Consul's wire and configuration), TimeSpan's for settings, no bare numbers.</summary>
public sealed class DurationSyntaxTests
{
    [Theory]
    [InlineData("0", 0)]
    [InlineData("15s", 15_000)]
    [InlineData("500ms", 500)]
    [InlineData("1m30s", 90_000)]
    [InlineData("2h", 7_200_000)]
    [InlineData("1h2m3s4ms", 3_723_004)]
    [InlineData("1.5h", 5_400_000)]
    [InlineData(".5s", 500)]
    [InlineData("-1.5s", -1_500)]
    [InlineData("+2s", 2_000)]
    [InlineData("1500us", 1.5)]
    [InlineData("1500µs", 1.5)]
    [InlineData("2000000ns", 2)]
    [InlineData("30s30s", 60_000)]
    public void TryParseGo_ValidDuration_Parses(string text, double milliseconds)
    {
        Assert.True(DurationSyntax.TryParseGo(text, out var value));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("15")]
    [InlineData("s")]
    [InlineData("1d")]
    [InlineData("15 s")]
    [InlineData("15S")]
    [InlineData("1.2.3s")]
    [InlineData("-")]
    [InlineData("99999999999999999999h")]
    [InlineData("300000000h")]
    public void TryParseGo_NotADuration_Fails(string text) => Assert.False(DurationSyntax.TryParseGo(text, out _));

    [Theory]
    [InlineData("00:00:15", 15_000)]
    [InlineData(" 15s ", 15_000)]
    [InlineData("1.02:03:04", 93_784_000)]
    [InlineData("1m30s", 90_000)]
    [InlineData("0", 0)]
    public void ParseSetting_DurationOrTimeSpan_Parsed(string text, double milliseconds)
    {
        Assert.Equal(DurationParse.Parsed, DurationSyntax.ParseSetting(text, out var value));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), value);
    }

    [Theory]
    [InlineData("15")]
    [InlineData("1.5")]
    [InlineData("-3")]
    public void ParseSetting_BareNumber_ReportedAsSuch(string text) => Assert.Equal(DurationParse.BareNumber, DurationSyntax.ParseSetting(text, out _));

    [Theory]
    [InlineData("fast")]
    [InlineData("1:2:3:4:5")]
    [InlineData("15sec")]
    public void ParseSetting_Garbage_Invalid(string text) => Assert.Equal(DurationParse.Invalid, DurationSyntax.ParseSetting(text, out _));

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(500, "500ms")]
    [InlineData(1_500, "1.5s")]
    [InlineData(90_000, "1m30s")]
    [InlineData(3_600_000, "1h")]
    [InlineData(86_400_000, "24h")]
    [InlineData(-2_000, "-2s")]
    public void Format_ReadsBackAsTheSameDuration(double milliseconds, string expected)
    {
        var value = TimeSpan.FromMilliseconds(milliseconds);

        Assert.Equal(expected, DurationSyntax.Format(value));
        Assert.True(DurationSyntax.TryParseGo(expected, out var parsed));
        Assert.Equal(value, parsed);
    }
}
