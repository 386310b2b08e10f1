using System.Net;
using System.Text.Json.Nodes;
using Sub2Api.Data.Entities;
using Sub2Api.FunctionalTests.Infrastructure;

namespace Sub2Api.FunctionalTests.Relay.OpenAI;

/// <summary>
/// Failover on OpenAI accounts: what each upstream failure does to the account (rest until the x-codex reset, the
/// error state, nothing), that another account serves the request before anything reached the client, that a
/// successful answer reporting a full window rests the account, and what the client sees when every account fails.
/// Always billed once, on the account that served.
/// </summary>
public sealed class OpenAIFailoverTests
{
    private const string Model = "gpt-5.1";

    private static string ResponsesBody(bool stream) =>
        $$"""{"model":"{{Model}}","stream":{{(stream ? "true" : "false")}},"input":"hi {{Guid.NewGuid():N}}"}""";

    private static void AssertOpenAIError(HttpStatusCode expected, string? expectedType, HttpStatusCode status, string body)
    {
        Assert.True(status == expected, $"expected {(int)expected}, got {(int)status}: {body}");
        var error = JsonNode.Parse(body)!["error"]!;
        Assert.False(string.IsNullOrEmpty(error["message"]!.GetValue<string>()));
        if (expectedType is not null)
        {
            Assert.Equal(expectedType, error["type"]!.GetValue<string>());
        }
        Assert.Null(JsonNode.Parse(body)!["type"]); // not Anthropic's {"type":"error",…}
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ChatGpt429_WindowFull_SecondAccountServes_FirstRestsUntilTheHeadersReset(bool stream)
    {
        await using var upstream = await FakeOpenAIUpstream.StartAsync();
        upstream.RateLimitBodyResetSeconds = null; // the reset comes from the exhausted window alone
        await using var gateway = await OpenAIGateway.StartAsync(upstream, chatGpt: true, accountWord: null);
        var limited = await gateway.AddChatGptAccountAsync("ratelimited", priority: 1);
        var good = await gateway.AddChatGptAccountAsync("ok", priority: 2);
        var before = DateTime.UtcNow;

        var (status, body, _) = await gateway.PostAsync("/v1/responses", ResponsesBody(stream));

        Assert.True(status == HttpStatusCode.OK, body);
        Assert.Contains(stream ? "response.completed" : FakeOpenAIUpstream.ResponseText, body, StringComparison.Ordinal);
        Assert.Equal(1, gateway.UpstreamCount(limited));
        Assert.Equal(1, gateway.UpstreamCount(good));
        var account = await gateway.AccountAsync(limited);
        Assert.NotNull(account.RateLimitResetAt);
        Assert.InRange(account.RateLimitResetAt.Value, before.AddSeconds(FakeOpenAIUpstream.RateLimitResetSeconds - 2),
            DateTime.UtcNow.AddSeconds(FakeOpenAIUpstream.RateLimitResetSeconds + 2));
        Assert.Equal(Statuses.Active, account.Status);

        // Skipped while resting.
        Assert.Equal(HttpStatusCode.OK, (await gateway.PostAsync("/v1/responses", ResponsesBody(stream))).Status);
        Assert.Equal(1, gateway.UpstreamCount(limited));
        Assert.Equal(2, gateway.UpstreamCount(good));
        await gateway.AssertBilledAsync(2, good, Model);
    }

    [Fact]
    public async Task ChatGpt429_WindowsNotFull_NoResetInBody_RestsForAtMostFiveMinutes()
    {
        await using var upstream = await FakeOpenAIUpstream.StartAsync();
        upstream.RateLimitBodyResetSeconds = null;
        upstream.RateLimitHeaders = () => new Dictionary<string, string>
        {
            ["x-codex-primary-used-percent"] = "40",
            ["x-codex-primary-reset-after-seconds"] = "9000",
            ["x-codex-primary-window-minutes"] = "300",
            ["x-codex-secondary-used-percent"] = "70",
            ["x-codex-secondary-reset-after-seconds"] = "400000",
            ["x-codex-secondary-window-minutes"] = "10080",
        };
        await using var gateway = await OpenAIGateway.StartAsync(upstream, chatGpt: true, accountWord: null);
        var limited = await gateway.AddChatGptAccountAsync("ratelimited", priority: 1);
        var good = await gateway.AddChatGptAccountAsync("ok", priority: 2);
        var before = DateTime.UtcNow;

        var (status, body, _) = await gateway.PostAsync("/v1/responses", ResponsesBody(stream: true));

        Assert.True(status == HttpStatusCode.OK, body);
        var resetAt = (await gateway.AccountAsync(limited)).RateLimitResetAt;
        Assert.NotNull(resetAt);
        // The sooner of the 5-hour reset (2.5 h away) and five minutes, never the later window's reset.
        Assert.InRange(resetAt.Value, before.AddMinutes(5).AddSeconds(-2), DateTime.UtcNow.AddMinutes(5).AddSeconds(2));
        await gateway.AssertBilledAsync(1, good, Model);
    }

    [Fact]
    public async Task ChatGpt429_WindowsNotFull_FiveHourResetSooner_RestsUntilThatReset()
    {
        await using var upstream = await FakeOpenAIUpstream.StartAsync();
        upstream.RateLimitBodyResetSeconds = null;
        upstream.RateLimitHeaders = () => new Dictionary<string, string>
        {
            ["x-codex-primary-used-percent"] = "90",
            ["x-codex-primary-reset-after-seconds"] = "120",
            ["x-codex-primary-window-minutes"] = "300",
            ["x-codex-secondary-used-percent"] = "70",
            ["x-codex-secondary-reset-after-seconds"] = "400000",
            ["x-codex-secondary-window-minutes"] = "10080",
        };
        await using var gateway = await OpenAIGateway.StartAsync(upstream, chatGpt: true, accountWord: null);
        var limited = await gateway.AddChatGptAccountAsync("ratelimited", priority: 1);
        await gateway.AddChatGptAccountAsync("ok", priority: 2);
        var before = DateTime.UtcNow;

        Assert.Equal(HttpStatusCode.OK, (await gateway.PostAsync("/v1/responses", ResponsesBody(stream: false))).Status);

        var resetAt = (await gateway.AccountAsync(limited)).RateLimitResetAt;
        Assert.NotNull(resetAt);
        Assert.InRange(resetAt.Value, before.AddSeconds(118), DateTime.UtcNow.AddSeconds(122));
    }

    [Fact]
    public async Task ApiKey500_RetriedOnTheSameAccount_ThenFailsOver_AccountNotBenched()
    {
        await using var upstream = await FakeOpenAIUpstream.StartAsync();
        await using var gateway = await OpenAIGateway.StartAsync(upstream, accountWord: null);
        var failing = await gateway.AddApiKeyAccountAsync("servererror", priority: 1);
        var good = await gateway.AddApiKeyAccountAsync("ok", priority: 2);

        var (status, body, _) = await gateway.PostAsync("/v1/chat/completions",
            $$"""{"model":"{{Model}}","messages":[{"role":"user","content":"hi"}]}""");

        Assert.True(status == HttpStatusCode.OK, body);
        Assert.True(gateway.UpstreamCount(failing) >= 2, $"the 500 was tried {gateway.UpstreamCount(failing)} time(s) on its account");
        Assert.Equal(1, gateway.UpstreamCount(good));
        var account = await gateway.AccountAsync(failing);
        Assert.Equal(Statuses.Active, account.Status);
        Assert.Null(account.RateLimitResetAt);
        await gateway.AssertBilledAsync(1, good, Model);
    }

    [Fact]
    public async Task ApiKey401_AccountMarkedError_SecondAccountServes()
    {
        await using var upstream = await FakeOpenAIUpstream.StartAsync();
        await using var gateway = await OpenAIGateway.StartAsync(upstream, accountWord: null);
        var rejected = await gateway.AddApiKeyAccountAsync("unauthorized", priority: 1);
        var good = await gateway.AddApiKeyAccountAsync("ok", priority: 2);

        var (status, body, _) = await gateway.PostAsync("/v1/responses", ResponsesBody(stream: true));

        Assert.True(status == HttpStatusCode.OK, body);
        Assert.Equal(FakeOpenAIUpstream.ResponseText, OpenAISse.ResponsesText(body));
        var account = await gateway.AccountAsync(rejected);
        Assert.Equal(Statuses.Error, account.Status);
        Assert.False(string.IsNullOrEmpty(account.ErrorMessage));

        Assert.Equal(HttpStatusCode.OK, (await gateway.PostAsync("/v1/responses", ResponsesBody(stream: false))).Status);
        Assert.Equal(1, gateway.UpstreamCount(rejected));
        Assert.Equal(2, gateway.UpstreamCount(good));
        await gateway.AssertBilledAsync(2, good, Model);
    }

    [Theory]
    [InlineData("/v1/responses", true)]
    [InlineData("/v1/responses", false)]
    [InlineData("/v1/chat/completions", true)]
    public async Task ResponseFailedAsFirstEvent_FailsOverBeforeAnythingReachedTheClient(string path, bool stream)
    {
        await using var upstream = await FakeOpenAIUpstream.StartAsync();
        await using var gateway = await OpenAIGateway.StartAsync(upstream, chatGpt: true, accountWord: null);
        var failed = await gateway.AddChatGptAccountAsync("failed", priority: 1);
        var good = await gateway.AddChatGptAccountAsync("ok", priority: 2);
        var json = path.Contains("chat", StringComparison.Ordinal)
            ? $$"""{"model":"{{Model}}","stream":{{(stream ? "true" : "false")}},"messages":[{"role":"user","content":"hi"}]}"""
            : ResponsesBody(stream);

        var (status, body, _) = await gateway.PostAsync(path, json);

        Assert.True(status == HttpStatusCode.OK, body);
        Assert.Equal(1, gateway.UpstreamCount(failed));
        Assert.Equal(1, gateway.UpstreamCount(good));
        Assert.DoesNotContain(FakeOpenAIUpstream.FailedMessage, body, StringComparison.Ordinal);
        Assert.DoesNotContain("response.failed", body, StringComparison.Ordinal);
        if (stream && !path.Contains("chat", StringComparison.Ordinal))
        {
            // One response only: the failed one's response.created never reached the client.
            Assert.Single(OpenAISse.Events(body), e => OpenAISse.TypeOf(e) == "response.created");
            Assert.Equal(FakeOpenAIUpstream.ResponseText, OpenAISse.ResponsesText(body));
        }
        await gateway.AssertBilledAsync(1, good, Model);
    }

    [Theory]
    [InlineData("/v1/responses", false)]
    [InlineData("/v1/responses", true)]
    [InlineData("/v1/chat/completions", false)]
    [InlineData("/v1/chat/completions", true)]
    public async Task EveryAccountFails_ClientGetsTheMappedErrorInOpenAIShape_NothingBilled(string path, bool stream)
    {
        await using var upstream = await FakeOpenAIUpstream.StartAsync();
        await using var gateway = await OpenAIGateway.StartAsync(upstream, accountWord: null);
        await gateway.AddApiKeyAccountAsync("servererror", priority: 1);
        await gateway.AddApiKeyAccountAsync("servererror", priority: 2);
        var json = path.Contains("chat", StringComparison.Ordinal)
            ? $$"""{"model":"{{Model}}","stream":{{(stream ? "true" : "false")}},"messages":[{"role":"user","content":"hi"}]}"""
            : ResponsesBody(stream);

        var (status, body, type) = await gateway.PostAsync(path, json);

        Assert.Equal("application/json", type);
        AssertOpenAIError(HttpStatusCode.BadGateway, "upstream_error", status, body);
        await gateway.FlushUsageAsync();
        Assert.Empty(await gateway.UsageRowsAsync());
        Assert.Equal(gateway.StartBalance, await gateway.BalanceAsync());
    }

    /// <summary>Every account's stream fails at once (response.failed after response.created): nothing reached the
    /// client, so it gets one error in OpenAI's shape, never the upstream's half-stream.</summary>
    [Theory]
    [InlineData("/v1/responses", false)]
    [InlineData("/v1/responses", true)]
    [InlineData("/v1/chat/completions", true)]
    public async Task EveryAccountsStreamFailsFirst_ClientGetsOneOpenAIError_NothingBilled(string path, bool stream)
    {
        await using var upstream = await FakeOpenAIUpstream.StartAsync();
        await using var gateway = await OpenAIGateway.StartAsync(upstream, chatGpt: true, accountWord: null);
        await gateway.AddChatGptAccountAsync("failed", priority: 1);
        await gateway.AddChatGptAccountAsync("failed", priority: 2);
        var json = path.Contains("chat", StringComparison.Ordinal)
            ? $$"""{"model":"{{Model}}","stream":{{(stream ? "true" : "false")}},"messages":[{"role":"user","content":"hi"}]}"""
            : ResponsesBody(stream);

        var (status, body, _) = await gateway.PostAsync(path, json);

        Assert.Equal(2, upstream.Received.Count);
        Assert.DoesNotContain("response.created", body, StringComparison.Ordinal);
        Assert.True((int)status >= 500, $"{(int)status}: {body}");
        AssertOpenAIError(status, null, status, body);
        await gateway.FlushUsageAsync();
        Assert.Empty(await gateway.UsageRowsAsync());
    }

    [Fact]
    public async Task EveryAccountRateLimited_ClientGets429InOpenAIShape()
    {
        await using var upstream = await FakeOpenAIUpstream.StartAsync();
        await using var gateway = await OpenAIGateway.StartAsync(upstream, chatGpt: true, accountWord: "ratelimited");

        var (status, body, _) = await gateway.PostAsync("/v1/responses", ResponsesBody(stream: true));

        AssertOpenAIError(HttpStatusCode.TooManyRequests, "rate_limit_error", status, body);
    }

    /// <summary>
    /// The upstream's stream ends (cleanly) in the middle of the answer, after text reached the client: too late to fail
    /// over, so the client must be told in-band instead of getting a partial answer that looks whole.
    /// </summary>
    [Theory]
    [InlineData(false, "/v1/responses")]
    [InlineData(true, "/v1/responses")]
    [InlineData(true, "/v1/chat/completions")]
    public async Task StreamCutAfterTheFirstDelta_ClientGetsAnInBandError_NotACleanEnd(bool chatGpt, string path)
    {
        await using var upstream = await FakeOpenAIUpstream.StartAsync();
        // "truncated": the fake ends its stream cleanly right after the first text delta, without a terminal event.
        await using var gateway = await OpenAIGateway.StartAsync(upstream, chatGpt: chatGpt, accountWord: "truncated");
        var chat = path.Contains("chat", StringComparison.Ordinal);
        var json = chat
            ? $$"""{"model":"{{Model}}","stream":true,"messages":[{"role":"user","content":"hi"}]}"""
            : ResponsesBody(stream: true);

        var (status, body, _) = await gateway.PostAsync(path, json);

        Assert.Equal(HttpStatusCode.OK, status);
        var events = OpenAISse.Events(body);
        Assert.Contains(FakeOpenAIUpstream.TextDeltas[0], body, StringComparison.Ordinal);
        Assert.DoesNotContain(FakeOpenAIUpstream.TextDeltas[^1], body, StringComparison.Ordinal);
        Assert.DoesNotContain(events, e => OpenAISse.TypeOf(e) == "response.completed");
        Assert.DoesNotContain("[DONE]", OpenAISse.DataLines(body));
        Assert.DoesNotContain("\"finish_reason\":\"stop\"", body, StringComparison.Ordinal);
        var error = Assert.Single(events, e => e["error"] is JsonObject);
        Assert.False(string.IsNullOrEmpty(error["error"]!["message"]!.GetValue<string>()));
    }
}
