using System.Text;
using System.Text.Json;
using Sub2Api.Providers.Anthropic;
using Sub2Api.Relay;

namespace Sub2Api.UnitTests.Providers.Anthropic;

public sealed class AnthropicErrorsTests
{
    [Theory]
    [InlineData(200, "None", false)]
    [InlineData(201, "None", false)]
    [InlineData(400, "BadRequest", false)]
    [InlineData(401, "AuthRejected", true)]
    [InlineData(402, "OtherClientError", false)]
    [InlineData(403, "Forbidden", true)]
    [InlineData(404, "OtherClientError", false)]
    [InlineData(413, "OtherClientError", false)]
    [InlineData(429, "RateLimited", true)]
    [InlineData(500, "ServerError", true)]
    [InlineData(502, "ServerError", true)]
    [InlineData(503, "ServerError", true)]
    [InlineData(504, "ServerError", true)]
    [InlineData(520, "ServerError", true)]
    [InlineData(529, "Overloaded", true)]
    [InlineData(302, "OtherClientError", false)]
    public void Classify_Status_MapsToFailureAndFailoverDecision(int status, string expected, bool canFailOver)
    {
        var failure = AnthropicErrors.Classify(status);
        Assert.Equal(expected, failure.ToString());
        Assert.Equal(canFailOver, AnthropicErrors.CanFailOver(failure));
    }

    [Theory]
    [InlineData("None", false)]
    [InlineData("BadRequest", false)]
    [InlineData("OtherClientError", false)]
    [InlineData("StreamError", true)]
    [InlineData("NetworkError", true)]
    [InlineData("Timeout", true)]
    public void CanFailOver_NonStatusFailures_Table(string failure, bool expected) =>
        Assert.Equal(expected, AnthropicErrors.CanFailOver(Enum.Parse<UpstreamFailure>(failure)));

    [Theory]
    [InlineData("""{"type":"error","error":{"type":"invalid_request_error","message":"Unexpected value(s) `x` for the `anthropic-beta` header"}}""", true)]
    [InlineData("""{"error":{"message":"This is a Beta Feature"}}""", true)]
    [InlineData("""{"error":{"message":"model requires beta access"}}""", true)]
    [InlineData("""{"error":{"message":"messages.1.content.0.thinking.signature: Field required"}}""", true)]
    [InlineData("""{"error":{"message":"Corrupted thought_signature"}}""", true)]
    [InlineData("""{"error":{"message":"Invalid `signature` in `thinking` block"}}""", true)]
    [InlineData("""{"error":{"message":"tool_use ids were found without tool_result blocks"}}""", true)]
    [InlineData("""{"error":{"message":"tools.0: Input tag 'x' found"}}""", true)]
    [InlineData("""{"error":{"message":"{\"error\":{\"message\":\"Thinking is not supported\"}}"}}""", true)]
    [InlineData("""{"error":{"message":"{\"error\":{\"message\":\"prompt is too long\"}}"}}""", false)]
    [InlineData("""{"message":"tools are not allowed"}""", true)]
    [InlineData("""{"error":{"type":"invalid_request_error","message":"max_tokens: must be positive"}}""", false)]
    [InlineData("""{"error":{"message":"   "},"message":"signature problem"}""", true)]
    [InlineData("""{"error":"thinking broke"}""", false)]
    [InlineData("""plain text mentioning thinking""", false)]
    [InlineData("", false)]
    public void ShouldFailoverOn400_Body_MatchesKeywordList(string body, bool expected) =>
        Assert.Equal(expected, AnthropicErrors.ShouldFailoverOn400(Encoding.UTF8.GetBytes(body)));

    [Theory]
    [InlineData("""{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}""", "Overloaded")]
    [InlineData("""{"error":{"message":"{\"error\":{\"message\":\"inner text\"}}"}}""", "inner text")]
    [InlineData("""{"error":{"message":"{not json"}}""", "{not json")]
    [InlineData("""{"error":{"message":{"error":{"message":"object inner"}}}}""", "object inner")]
    [InlineData("""{"message":"top level"}""", "top level")]
    [InlineData("""{"message":42}""", "42")]
    [InlineData("""{"error":{"message":""},"message":"fallback"}""", "fallback")]
    [InlineData("""{"detail":"nothing"}""", "")]
    [InlineData("""<html></html>""", "")]
    public void ExtractMessage_Body_FollowsGoLookupOrder(string body, string expected) =>
        Assert.Equal(expected, AnthropicErrors.ExtractMessage(Encoding.UTF8.GetBytes(body)));

    [Theory]
    [InlineData(true, 403, false, "", true)]
    [InlineData(true, 401, false, "", false)]
    [InlineData(true, 429, true, "", false)]
    [InlineData(true, 500, false, "", false)]
    [InlineData(false, 403, false, "", false)]
    [InlineData(false, 500, false, "", false)]
    [InlineData(false, 500, true, "401,403", true)]
    [InlineData(false, 403, true, "401,403", false)]
    [InlineData(false, 400, true, "401", false)]
    [InlineData(false, 429, true, "", true)]
    [InlineData(false, 200, true, "", false)]
    public void ShouldRetrySameAccount_Table(bool isOAuth, int status, bool customEnabled, string codes, bool expected)
    {
        var list = codes.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToArray();
        Assert.Equal(expected, AnthropicErrors.ShouldRetrySameAccount(isOAuth, status, customEnabled, list));
    }

    [Theory]
    [InlineData(401, 502, "upstream_error", "Upstream authentication failed, please contact administrator")]
    [InlineData(403, 502, "upstream_error", "Upstream access forbidden, please contact administrator")]
    [InlineData(429, 429, "rate_limit_error", "Upstream rate limit exceeded, please retry later")]
    [InlineData(529, 503, "overloaded_error", "Upstream service overloaded, please retry later")]
    [InlineData(500, 502, "upstream_error", "Upstream service temporarily unavailable")]
    [InlineData(502, 502, "upstream_error", "Upstream service temporarily unavailable")]
    [InlineData(503, 502, "upstream_error", "Upstream service temporarily unavailable")]
    [InlineData(504, 502, "upstream_error", "Upstream service temporarily unavailable")]
    [InlineData(501, 502, "upstream_error", "Upstream request failed")]
    [InlineData(404, 502, "upstream_error", "Upstream request failed")]
    [InlineData(402, 502, "upstream_error", "Upstream request failed")]
    public void MapForClient_Status_ExactTable(int upstream, int status, string type, string message) =>
        Assert.Equal((status, type, message), AnthropicErrors.MapForClient(upstream));

    [Fact]
    public void Constants_RetriesNetworkNoAccounts_ExactValues()
    {
        Assert.Equal(new RelayError(502, "upstream_error", "Upstream request failed after retries"), RelayErrors.RetriesExhausted);
        Assert.Equal(new RelayError(502, "upstream_error", "Upstream request failed"), RelayErrors.NetworkFailure);
        Assert.Equal(new RelayError(503, "api_error", "No available accounts"), RelayErrors.NoAccounts);
    }

    [Fact]
    public void Json_TypeAndMessage_AnthropicErrorShape()
    {
        var json = Encoding.UTF8.GetString(AnthropicErrors.Json("rate_limit_error", "Upstream rate limit exceeded, please retry later"));

        Assert.Equal("""{"type":"error","error":{"type":"rate_limit_error","message":"Upstream rate limit exceeded, please retry later"}}""", json);
    }

    [Fact]
    public void Json_MessageWithQuotesAndUnicode_RoundTrips()
    {
        const string message = "No available accounts: \"group\" <7> 无可用账号";
        using var document = JsonDocument.Parse(AnthropicErrors.Json("api_error", message));

        Assert.Equal("error", document.RootElement.GetProperty("type").GetString());
        Assert.Equal("api_error", document.RootElement.GetProperty("error").GetProperty("type").GetString());
        Assert.Equal(message, document.RootElement.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public void SseEvent_TypeAndMessage_ErrorEventFrame()
    {
        var sse = Encoding.UTF8.GetString(AnthropicErrors.SseEvent("overloaded_error", "Upstream service overloaded, please retry later"));

        Assert.Equal(
            "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Upstream service overloaded, please retry later\"}}\n\n",
            sse);
    }
}
