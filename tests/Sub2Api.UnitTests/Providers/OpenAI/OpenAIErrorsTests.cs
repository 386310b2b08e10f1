using System.Text;
using System.Text.Json;
using Sub2Api.Providers.OpenAI;

namespace Sub2Api.UnitTests.Providers.OpenAI;

public sealed class OpenAIErrorsTests
{
    [Fact]
    public void Json_HasOpenAIsShape_WithNullCode()
    {
        using var document = JsonDocument.Parse(OpenAIErrors.Json("invalid_request_error", "model is required \"x\""));

        var error = document.RootElement.GetProperty("error");
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal("model is required \"x\"", error.GetProperty("message").GetString());
        Assert.Equal(JsonValueKind.Null, error.GetProperty("code").ValueKind);
    }

    [Fact]
    public void Json_WithCode_WritesIt()
    {
        using var document = JsonDocument.Parse(OpenAIErrors.Json("invalid_request_error", "bad key", "invalid_api_key"));

        Assert.Equal("invalid_api_key", document.RootElement.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public void ResponsesSseEvent_IsAFailedResponseThenAnErrorEvent_BothParse()
    {
        var text = Encoding.UTF8.GetString(OpenAIErrors.ResponsesSseEvent("rate_limit_error", "slow down"));

        var events = text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, events.Length);
        Assert.EndsWith("\n\n", text);

        Assert.StartsWith("event: response.failed\ndata: ", events[0]);
        using var failed = JsonDocument.Parse(events[0]["event: response.failed\ndata: ".Length..]);
        Assert.Equal("response.failed", failed.RootElement.GetProperty("type").GetString());
        var response = failed.RootElement.GetProperty("response");
        Assert.Equal("failed", response.GetProperty("status").GetString());
        Assert.Equal("rate_limit_error", response.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal("slow down", response.GetProperty("error").GetProperty("message").GetString());

        Assert.StartsWith("event: error\ndata: ", events[1]);
        using var error = JsonDocument.Parse(events[1]["event: error\ndata: ".Length..]);
        var root = error.RootElement;
        Assert.Equal("error", root.GetProperty("type").GetString());
        Assert.Equal("slow down", root.GetProperty("message").GetString());
        Assert.Equal("rate_limit_error", root.GetProperty("error").GetProperty("type").GetString());
        Assert.Equal("slow down", root.GetProperty("error").GetProperty("message").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("error").GetProperty("code").ValueKind);
    }

    [Fact]
    public void ResponsesSseEvent_IsRecognisedByTheObserver()
    {
        var observer = new ResponsesSseObserver();
        foreach (var line in Encoding.UTF8.GetString(OpenAIErrors.ResponsesSseEvent("server_error", "boom")).Split('\n'))
        {
            observer.Observe(Encoding.UTF8.GetBytes(line));
        }

        Assert.True(observer.SawErrorEvent);
        Assert.Equal("boom", observer.FailureMessage);
    }

    [Fact]
    public void ChatSseEvent_IsADataChunkWithAnErrorObject()
    {
        var text = Encoding.UTF8.GetString(OpenAIErrors.ChatSseEvent("server_error", "boom"));

        Assert.StartsWith("data: ", text);
        Assert.EndsWith("\n\n", text);
        using var document = JsonDocument.Parse(text["data: ".Length..^2]);
        Assert.Equal("boom", document.RootElement.GetProperty("error").GetProperty("message").GetString());
        var observer = new ChatSseObserver();
        observer.Observe(Encoding.UTF8.GetBytes(text.TrimEnd('\n')));
        Assert.True(observer.SawErrorEvent);
    }

    [Theory]
    [InlineData("""{"error":{"message":"Incorrect API key provided","type":"invalid_request_error"}}""", "Incorrect API key provided")]
    [InlineData("""{"error":"stream_timeout"}""", "stream_timeout")]
    [InlineData("""{"message":"top level"}""", "top level")]
    [InlineData("""{"detail":"Unsupported model"}""", "Unsupported model")]
    [InlineData("""{"error":{"message":""},"message":"fallback"}""", "fallback")]
    [InlineData("""{"error":null}""", "")]
    [InlineData("<html>502</html>", "")]
    [InlineData("", "")]
    public void ExtractMessage_ReadsTheUpstreamsMessage(string body, string expected) =>
        Assert.Equal(expected, OpenAIErrors.ExtractMessage(Encoding.UTF8.GetBytes(body)));

    [Theory]
    [InlineData(401, 502, "upstream_error", "Upstream authentication failed, please contact administrator")]
    [InlineData(403, 502, "upstream_error", "Upstream access forbidden, please contact administrator")]
    [InlineData(429, 429, "rate_limit_error", "Upstream rate limit exceeded, please retry later")]
    [InlineData(529, 503, "upstream_error", "Upstream service overloaded, please retry later")]
    [InlineData(500, 502, "upstream_error", "Upstream service temporarily unavailable")]
    [InlineData(502, 502, "upstream_error", "Upstream service temporarily unavailable")]
    [InlineData(503, 502, "upstream_error", "Upstream service temporarily unavailable")]
    [InlineData(504, 502, "upstream_error", "Upstream service temporarily unavailable")]
    [InlineData(402, 502, "upstream_error", "Upstream request failed")]
    [InlineData(418, 502, "upstream_error", "Upstream request failed")]
    public void MapForClient_FollowsTheOpenAIColumn(int upstream, int status, string type, string message) =>
        Assert.Equal((status, type, message), OpenAIErrors.MapForClient(upstream));

    [Theory]
    [InlineData(500, true)]
    [InlineData(502, true)]
    [InlineData(503, true)]
    [InlineData(504, true)]
    [InlineData(429, false)]
    [InlineData(401, false)]
    [InlineData(403, false)]
    [InlineData(400, false)]
    [InlineData(529, false)]
    public void ShouldRetrySameAccount_OnlyTransientServerErrors(int status, bool expected) =>
        Assert.Equal(expected, OpenAIErrors.ShouldRetrySameAccount(status));

    [Theory]
    [InlineData(401, true)]
    [InlineData(402, true)]
    [InlineData(403, true)]
    [InlineData(429, true)]
    [InlineData(529, true)]
    [InlineData(500, true)]
    [InlineData(400, false)]
    [InlineData(404, false)]
    [InlineData(422, false)]
    public void ShouldFailOver_AccountProblemsAndServerErrors(int status, bool expected)
    {
        var provider = new OpenAIProvider(null!); // classification never touches the upstream
        Assert.Equal(expected, provider.CanFailOver(provider.Classify(status)));
    }
}
