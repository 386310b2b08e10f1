using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Sub2Api.FunctionalTests.Infrastructure;

namespace Sub2Api.FunctionalTests.Relay.OpenAI;

/// <summary>
/// The fake OpenAI upstream's own contract (what gateway tests rely on): failure words, the Codex backend's checks, the
/// failed stream, compaction and the usage headers. The happy paths are proven by the real clients against it.
/// </summary>
public sealed class FakeOpenAIUpstreamTests
{
    private static async Task<(HttpStatusCode Status, HttpResponseHeaders Headers, string Body)> PostAsync(FakeOpenAIUpstream fake,
        string path, string credential, string json, IReadOnlyDictionary<string, string>? headers = null)
    {
        using var client = new HttpClient { BaseAddress = new Uri(fake.BaseUrl) };
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + credential);
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        return (response.StatusCode, response.Headers, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task RateLimitedKey_Gets429WithCodexWindowsAndResetSeconds_UntilHealed()
    {
        await using var fake = await FakeOpenAIUpstream.StartAsync();

        var (status, headers, body) = await PostAsync(fake, "/v1/responses", "sk-ratelimited-1", """{"model":"gpt-5.1","input":"hi"}""");

        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        Assert.Equal("100", headers.GetValues("x-codex-primary-used-percent").Single());
        Assert.Equal("300", headers.GetValues("x-codex-primary-window-minutes").Single());
        Assert.Equal("10080", headers.GetValues("x-codex-secondary-window-minutes").Single());
        var error = JsonNode.Parse(body)!["error"]!;
        Assert.Equal("usage_limit_reached", error["type"]!.GetValue<string>());
        Assert.Equal(FakeOpenAIUpstream.RateLimitResetSeconds, error["resets_in_seconds"]!.GetValue<int>());

        fake.Heal("ratelimited");
        var healed = await PostAsync(fake, "/v1/responses", "sk-ratelimited-1", """{"model":"gpt-5.1","input":"hi"}""");
        Assert.Equal(HttpStatusCode.OK, healed.Status);
        Assert.Equal("12.5", healed.Headers.GetValues("x-codex-primary-used-percent").Single());
        Assert.Equal(2, fake.CountFor("sk-ratelimited-1"));
    }

    [Theory]
    [InlineData("sk-unauthorized", HttpStatusCode.Unauthorized)]
    [InlineData("sk-forbidden", HttpStatusCode.Forbidden)]
    [InlineData("sk-badrequest", HttpStatusCode.BadRequest)]
    [InlineData("sk-servererror", HttpStatusCode.InternalServerError)]
    public async Task FailureWords_AnswerWithTheirStatusInOpenAIErrorShape(string credential, HttpStatusCode expected)
    {
        await using var fake = await FakeOpenAIUpstream.StartAsync();

        var (status, _, body) = await PostAsync(fake, "/v1/chat/completions", credential, """{"model":"gpt-5.1","messages":[]}""");

        Assert.Equal(expected, status);
        Assert.False(string.IsNullOrEmpty(JsonNode.Parse(body)!["error"]!["message"]!.GetValue<string>()));
    }

    [Fact]
    public async Task CodexBackend_RequiresTheAccountHeaderAStreamAndNoStore_AndChecksTheToken()
    {
        await using var fake = await FakeOpenAIUpstream.StartAsync();
        const string streamed = """{"model":"gpt-5.1-codex","input":[],"stream":true,"store":false}""";
        var account = new Dictionary<string, string> { ["chatgpt-account-id"] = "acct-1" };

        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync(fake, FakeOpenAIUpstream.CodexResponsesPath, "tok", streamed)).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync(fake, FakeOpenAIUpstream.CodexResponsesPath, "tok",
            """{"model":"gpt-5.1-codex","input":[],"stream":false,"store":false}""", account)).Status);
        var ok = await PostAsync(fake, FakeOpenAIUpstream.CodexResponsesPath, "tok", streamed, account);
        Assert.Equal(HttpStatusCode.OK, ok.Status);
        Assert.Contains("event: response.completed", ok.Body, StringComparison.Ordinal);

        fake.BearerIsValid = token => token == "fresh";
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync(fake, FakeOpenAIUpstream.CodexResponsesPath, "tok", streamed, account)).Status);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(fake, FakeOpenAIUpstream.CodexResponsesPath, "fresh", streamed, account)).Status);
    }

    [Fact]
    public async Task FailedKey_StreamsCreatedThenFailed()
    {
        await using var fake = await FakeOpenAIUpstream.StartAsync();

        var (status, _, body) = await PostAsync(fake, "/v1/responses", "sk-failed", """{"model":"gpt-5.1","input":"hi","stream":true}""");

        Assert.Equal(HttpStatusCode.OK, status);
        var events = body.Split("\n").Where(l => l.StartsWith("event: ", StringComparison.Ordinal)).ToList();
        Assert.Equal(["event: response.created", "event: response.failed"], events);
    }

    [Fact]
    public async Task ChatStreamWithoutIncludeUsage_HasNoUsageChunk_AndEndsWithDone()
    {
        await using var fake = await FakeOpenAIUpstream.StartAsync();

        var (_, _, body) = await PostAsync(fake, "/v1/chat/completions", "sk-ok", """{"model":"gpt-5.1","messages":[],"stream":true}""");

        Assert.DoesNotContain("prompt_tokens", body, StringComparison.Ordinal);
        Assert.EndsWith("data: [DONE]\n\n", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Compact_AnswersAnOutputArrayWithUsage_OnBothPaths()
    {
        await using var fake = await FakeOpenAIUpstream.StartAsync();
        const string body = """{"model":"gpt-5.1-codex","input":[{"role":"user","content":[{"type":"input_text","text":"first"}]}]}""";

        var apiKey = await PostAsync(fake, "/v1/responses/compact", "sk-ok", body);
        var oauth = await PostAsync(fake, "/backend-api/codex/responses/compact", "tok", body,
            new Dictionary<string, string> { ["chatgpt-account-id"] = "acct-1" });

        foreach (var (status, _, json) in new[] { apiKey, oauth })
        {
            Assert.Equal(HttpStatusCode.OK, status);
            var answer = JsonNode.Parse(json)!;
            Assert.Equal("first", answer["output"]![0]!["content"]![0]!["text"]!.GetValue<string>());
            Assert.Equal("compaction", answer["output"]![1]!["type"]!.GetValue<string>());
            Assert.Equal(FakeOpenAIUpstream.InputTokens, answer["usage"]!["input_tokens"]!.GetValue<int>());
        }
    }
}
