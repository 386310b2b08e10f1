using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Sub2Api.Scheduling;

namespace Sub2Api.UnitTests.Scheduling;

public sealed class TempUnschedulableRulesTests
{
    private static JsonObject Credentials(string rules, string? enabled = null) =>
        JsonNode.Parse($"{{\"api_key\":\"x\"{(enabled is null ? "" : $",\"temp_unschedulable_enabled\":{enabled}")},\"temp_unschedulable_rules\":{rules}}}")!.AsObject();

    [Fact]
    public void Match_FirstRuleWithTheStatusAndAKeyword_CaseInsensitive()
    {
        var rules = TempUnschedulableRules.Parse(Credentials(
            "[{\"error_code\":429,\"keywords\":[\"quota\"],\"duration_minutes\":5},{\"error_code\":400,\"keywords\":[\"x\"],\"duration_minutes\":1}," +
            "{\"error_code\":429,\"keywords\":[\"nope\",\"EXCEEDED\"],\"duration_minutes\":7,\"description\":\"d\"}]"));

        var match = TempUnschedulableRules.Match(rules, 429, "{\"message\":\"Rate exceeded\"}"u8);

        Assert.NotNull(match);
        Assert.Equal(2, match.Value.RuleIndex);
        Assert.Equal("EXCEEDED", match.Value.Keyword);
        Assert.Equal(7, match.Value.Rule.DurationMinutes);
        Assert.Null(TempUnschedulableRules.Match(rules, 500, "quota exceeded"u8));
    }

    [Fact]
    public void Match_Never401_NorBeyondTheFirst64KB_NorWhenSwitchedOff()
    {
        var json = "[{\"error_code\":401,\"keywords\":[\"a\"],\"duration_minutes\":5},{\"error_code\":500,\"keywords\":[\"needle\"],\"duration_minutes\":5}]";
        var rules = TempUnschedulableRules.Parse(Credentials(json));
        Assert.Null(TempUnschedulableRules.Match(rules, 401, "a"u8));
        var late = Encoding.UTF8.GetBytes(new string(' ', 64 * 1024) + "needle");
        Assert.Null(TempUnschedulableRules.Match(rules, 500, late));
        Assert.NotNull(TempUnschedulableRules.Match(rules, 500, late.AsSpan(10)));
        Assert.Empty(TempUnschedulableRules.Parse(Credentials(json, enabled: "false")));
    }

    [Fact]
    public void Reason_HasTheOriginalsFields_AndAMessageOfAtMost2KB()
    {
        var rules = TempUnschedulableRules.Parse(Credentials("[{\"error_code\":503,\"keywords\":[\"busy\"],\"duration_minutes\":10}]"));
        var body = Encoding.UTF8.GetBytes("busy " + new string('x', 5000));
        var match = TempUnschedulableRules.Match(rules, 503, body)!.Value;
        var at = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc);

        using var reason = JsonDocument.Parse(TempUnschedulableRules.Reason(match, 503, at, at.AddMinutes(10), body));

        var r = reason.RootElement;
        Assert.Equal(new DateTimeOffset(at.AddMinutes(10)).ToUnixTimeSeconds(), r.GetProperty("until_unix").GetInt64());
        Assert.Equal(new DateTimeOffset(at).ToUnixTimeSeconds(), r.GetProperty("triggered_at_unix").GetInt64());
        Assert.Equal(503, r.GetProperty("status_code").GetInt32());
        Assert.Equal("busy", r.GetProperty("matched_keyword").GetString());
        Assert.Equal(0, r.GetProperty("rule_index").GetInt32());
        Assert.Equal(2048, r.GetProperty("error_message").GetString()!.Length);
    }

    [Theory]
    [InlineData("[{\"error_code\":\"503\",\"keywords\":[\"a\"],\"duration_minutes\":10.0}]", null)]
    [InlineData("[]", null)]
    [InlineData("[{\"error_code\":503,\"keywords\":[\"a\"]}]", "duration_minutes")]
    [InlineData("[{\"error_code\":503,\"keywords\":[\" \"],\"duration_minutes\":1}]", "keywords")]
    [InlineData("[{\"error_code\":503,\"keywords\":[\"a\"],\"duration_minutes\":1,\"description\":5}]", "description")]
    [InlineData("\"x\"", "must be a list")]
    public void Validate_ExplainsWhatIsWrong(string rules, string? expected)
    {
        var error = TempUnschedulableRules.Validate(Credentials(rules));
        if (expected is null)
        {
            Assert.Null(error);
        }
        else
        {
            Assert.Contains(expected, error, StringComparison.Ordinal);
        }
    }
}
