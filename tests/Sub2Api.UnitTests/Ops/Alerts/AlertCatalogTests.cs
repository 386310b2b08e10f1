using Microsoft.Extensions.Configuration;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Sub2Api.Ops.Alerts;

namespace Sub2Api.UnitTests.Ops.Alerts;

public sealed class AlertCatalogTests
{
    [Theory]
    [InlineData(">", 5, 4, true)]
    [InlineData(">", 4, 4, false)]
    [InlineData(">", 3, 4, false)]
    [InlineData(">=", 4, 4, true)]
    [InlineData(">=", 3.999, 4, false)]
    [InlineData("<", 3, 4, true)]
    [InlineData("<", 4, 4, false)]
    [InlineData("<=", 4, 4, true)]
    [InlineData("<=", 4.001, 4, false)]
    [InlineData("==", 4, 4, true)]
    [InlineData("==", 4.5, 4, false)]
    [InlineData("!=", 4.5, 4, true)]
    [InlineData("!=", 4, 4, false)]
    [InlineData(">", 0.5, 0, true)]
    [InlineData("<", -1, 0, true)]
    public void Compare_AppliesTheOperator(string op, double value, double threshold, bool expected) =>
        Assert.Equal(expected, AlertCatalog.Compare(op, value, threshold));

    [Fact]
    public void Compare_TreatsARoundedQuotientAsEqual()
    {
        var rate = 2.0 / 3 * 100;
        Assert.True(AlertCatalog.Compare("==", rate, 66.66666666667));
        Assert.False(AlertCatalog.Compare(">", rate, 66.66666666667));
        Assert.True(AlertCatalog.Compare(">=", rate, 66.66666666667));
    }

    [Fact]
    public void Compare_UnknownOperator_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => AlertCatalog.Compare("=>", 1, 1));

    [Theory]
    [InlineData("P0", "P2", true)]
    [InlineData("P2", "P2", true)]
    [InlineData("P3", "P2", false)]
    [InlineData("P1", "P0", false)]
    [InlineData("bogus", "P3", false)]
    public void AtLeast_RanksP0AsMostSevere(string severity, string minimum, bool expected) =>
        Assert.Equal(expected, AlertCatalog.AtLeast(severity, minimum));

    [Theory]
    [InlineData("", "")]
    [InlineData("short", "***")]
    [InlineData("whsec-0123456789abcd", "***abcd")]
    public void Mask_ShowsAtMostTheLastFour(string secret, string expected) =>
        Assert.Equal(expected, AlertNotificationSettings.Mask(secret));

    [Fact]
    public void Merge_KeepsTheSecretWhenMissingOrSentBackMasked()
    {
        const string current = "whsec-0123456789abcd";
        Assert.Equal(current, AlertNotificationSettings.Merge(null, current));
        Assert.Equal(current, AlertNotificationSettings.Merge("***abcd", current));
        Assert.Equal("new-secret", AlertNotificationSettings.Merge("new-secret", current));
        Assert.Equal("", AlertNotificationSettings.Merge("", current));
    }

    [Fact]
    public void Sign_IsHmacSha256OfTheBodyInHex()
    {
        var body = Encoding.UTF8.GetBytes("{\"status\":\"firing\"}");
        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes("k"), body));
        Assert.Equal(expected, AlertNotifier.Sign(body, "k"));
        Assert.Equal(71, expected.Length);
    }

    [Theory]
    [InlineData("{\"platform\":\"anthropic\",\"group_id\":3}", "anthropic", 3L)]
    [InlineData("{\"platform\":\"\"}", null, null)]
    [InlineData("{}", null, null)]
    [InlineData("null", null, null)]
    public void ParseFilters_AcceptsPlatformAndGroup(string json, string? platform, long? groupId)
    {
        var (filters, error) = AlertRulesApi.ParseFilters(JsonDocument.Parse(json).RootElement);
        Assert.Null(error);
        Assert.Equal(new AlertFilters(platform, groupId), filters);
    }

    [Theory]
    [InlineData("{\"account_id\":1}", "unknown dimension")]
    [InlineData("{\"group_id\":0}", "group_id")]
    [InlineData("{\"group_id\":1.5}", "group_id")]
    [InlineData("{\"platform\":3}", "platform")]
    [InlineData("[]", "object")]
    public void ParseFilters_RefusesOtherDimensionsAndBadValues(string json, string expected)
    {
        var (_, error) = AlertRulesApi.ParseFilters(JsonDocument.Parse(json).RootElement);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }
}

public sealed class AlertOptionsTests
{
    private static AlertOptions From(string? value) => AlertOptions.From(new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?> { [AlertOptions.IntervalKey] = value }).Build());

    [Theory]
    [InlineData(null, 60)]
    [InlineData("", 60)]
    [InlineData("1", 1)]
    [InlineData("0.5", 0.5)]
    [InlineData("00:02:00", 120)]
    public void EvaluationInterval_IsSecondsOrATimeSpan(string? value, double expectedSeconds) =>
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), From(value).EvaluationInterval);

    [Theory]
    [InlineData("soon")]
    [InlineData("-5")]
    public void EvaluationInterval_Invalid_FailsAtStart(string value) =>
        Assert.Throws<InvalidOperationException>(() => From(value));
}
