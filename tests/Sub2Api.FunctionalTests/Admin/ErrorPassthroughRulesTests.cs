using System.Net;
using System.Text.Json;
using Sub2Api.FunctionalTests.Infrastructure;

namespace Sub2Api.FunctionalTests.Admin;

/// <summary>
/// <c>/admin/error-passthrough-rules</c>: CRUD with the original's fields, and the first enabled matching rule deciding
/// what a client sees for an upstream error (status and message, Anthropic's error shape kept), effective at once.
/// </summary>
public sealed class ErrorPassthroughRulesTests
{
    private const string Rules = "/api/v1/admin/error-passthrough-rules";

    private static (HttpStatusCode Status, string Type, string Message) Error(HttpStatusCode status, string body)
    {
        using var json = JsonDocument.Parse(body);
        Assert.Equal("error", json.RootElement.GetProperty("type").GetString());
        var error = json.RootElement.GetProperty("error");
        return (status, error.GetProperty("type").GetString()!, error.GetProperty("message").GetString()!);
    }

    [Fact]
    public async Task Crud_WithTheOriginalsFields_AndValidation()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();

        var created = (await admin.PostAsync(Rules, new { name = "quota", error_codes = new[] { 429 }, keywords = new[] { " Quota " }, priority = 5 })).Data;
        var id = created.GetProperty("id").GetInt64();
        Assert.Equal("quota", created.GetProperty("name").GetString());
        Assert.True(created.GetProperty("enabled").GetBoolean());
        Assert.Equal("any", created.GetProperty("match_mode").GetString());
        Assert.True(created.GetProperty("passthrough_code").GetBoolean());
        Assert.True(created.GetProperty("passthrough_body").GetBoolean());
        Assert.Equal(JsonValueKind.Null, created.GetProperty("response_code").ValueKind);
        Assert.Equal(["Quota"], created.GetProperty("keywords").EnumerateArray().Select(k => k.GetString()));
        Assert.Equal(0, created.GetProperty("platforms").GetArrayLength());
        Assert.False(created.GetProperty("skip_monitoring").GetBoolean());

        var first = (await admin.PostAsync(Rules, new
        {
            name = "first",
            error_codes = new[] { 500 },
            priority = 1,
            platforms = new[] { "anthropic" },
            passthrough_code = false,
            response_code = 503,
            passthrough_body = false,
            custom_message = "busy",
            description = "d",
        })).Data.GetProperty("id").GetInt64();
        Assert.Equal([first, id], (await admin.GetAsync(Rules)).Data.EnumerateArray().Select(r => r.GetProperty("id").GetInt64()));

        var updated = (await admin.PutAsync($"{Rules}/{id}", new { enabled = false, match_mode = "all" })).Data;
        Assert.False(updated.GetProperty("enabled").GetBoolean());
        Assert.Equal("all", updated.GetProperty("match_mode").GetString());
        Assert.Equal("quota", updated.GetProperty("name").GetString()); // untouched fields kept
        Assert.Equal(429, (await admin.GetAsync($"{Rules}/{id}")).Data.GetProperty("error_codes")[0].GetInt32());

        Assert.Contains("at least one error_code or keyword", (await admin.PostAsync(Rules, new { name = "x" })).ShouldFail(HttpStatusCode.BadRequest).Message,
            StringComparison.Ordinal);
        Assert.Contains("response_code", (await admin.PostAsync(Rules, new { name = "x", error_codes = new[] { 500 }, passthrough_code = false }))
            .ShouldFail(HttpStatusCode.BadRequest).Message, StringComparison.Ordinal);
        Assert.Contains("custom_message", (await admin.PostAsync(Rules, new { name = "x", error_codes = new[] { 500 }, passthrough_body = false }))
            .ShouldFail(HttpStatusCode.BadRequest).Message, StringComparison.Ordinal);
        Assert.Contains("match_mode", (await admin.PostAsync(Rules, new { name = "x", error_codes = new[] { 500 }, match_mode = "some" }))
            .ShouldFail(HttpStatusCode.BadRequest).Message, StringComparison.Ordinal);
        Assert.Contains("platform", (await admin.PostAsync(Rules, new { name = "x", error_codes = new[] { 500 }, platforms = new[] { "bard" } }))
            .ShouldFail(HttpStatusCode.BadRequest).Message, StringComparison.Ordinal);
        (await admin.PostAsync(Rules, new { name = "x", error_codes = new[] { 700 } })).ShouldFail(HttpStatusCode.BadRequest);
        (await admin.PostAsync(Rules, "{\"name\":\"x\",\"error_codes\":\"500\"}")).ShouldFail(HttpStatusCode.BadRequest);
        (await admin.PutAsync($"{Rules}/{id}", new { name = "" })).ShouldFail(HttpStatusCode.BadRequest);

        Assert.Equal("Rule deleted successfully", (await admin.DeleteAsync($"{Rules}/{id}")).Data.GetProperty("message").GetString());
        (await admin.GetAsync($"{Rules}/{id}")).ShouldFail(HttpStatusCode.NotFound);
        (await admin.DeleteAsync($"{Rules}/{id}")).ShouldFail(HttpStatusCode.NotFound);
        Assert.Single((await admin.GetAsync(Rules)).Data.EnumerateArray());
    }

    [Fact]
    public async Task MatchingRule_DecidesTheClientsStatusAndMessage_AndChangesApplyAtOnce()
    {
        await using var s = await RelayScenario.StartAsync();
        await s.AddApiKeyAccountAsync("err500");
        var (key, _, _) = await s.AddUserWithKeyAsync();
        var admin = await s.App.AdminAsync();

        var (status, body) = await s.SendAsync(key);
        Assert.Equal((HttpStatusCode.BadGateway, "upstream_error", "Upstream service temporarily unavailable"), Error(status, body));

        var id = (await admin.PostAsync(Rules, new
        {
            name = "busy",
            error_codes = new[] { 500 },
            keywords = new[] { "FAKE 500" },
            match_mode = "all",
            passthrough_code = false,
            response_code = 503,
            passthrough_body = false,
            custom_message = "The service is busy, try again shortly",
        })).Data.GetProperty("id").GetInt64();
        (status, body) = await s.SendAsync(key);
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "overloaded_error", "The service is busy, try again shortly"), Error(status, body));

        // Streaming requests get the same decision (nothing was streamed yet, so it is a plain error response).
        (status, body) = await s.SendAsync(key, stream: true);
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "overloaded_error", "The service is busy, try again shortly"), Error(status, body));

        await admin.PutAsync($"{Rules}/{id}", new { passthrough_code = true, passthrough_body = true });
        (status, body) = await s.SendAsync(key);
        Assert.Equal(((HttpStatusCode)500, "api_error", "fake 500 from upstream"), Error(status, body));

        // "all" needs the keyword too; a rule for another platform never applies; a disabled rule is skipped.
        await admin.PutAsync($"{Rules}/{id}", new { keywords = new[] { "not in the body" } });
        Assert.Equal(HttpStatusCode.BadGateway, (await s.SendAsync(key)).Status);
        await admin.PutAsync($"{Rules}/{id}", new { keywords = new[] { "fake" }, platforms = new[] { "openai" } });
        Assert.Equal(HttpStatusCode.BadGateway, (await s.SendAsync(key)).Status);
        await admin.PutAsync($"{Rules}/{id}", new { platforms = Array.Empty<string>(), enabled = false });
        Assert.Equal(HttpStatusCode.BadGateway, (await s.SendAsync(key)).Status);
        await admin.PutAsync($"{Rules}/{id}", new { enabled = true });
        Assert.Equal((HttpStatusCode)500, (await s.SendAsync(key)).Status);
        await admin.DeleteAsync($"{Rules}/{id}");
        Assert.Equal(HttpStatusCode.BadGateway, (await s.SendAsync(key)).Status);
    }

    [Fact]
    public async Task KeywordOnlyRule_InAnyMode_RewritesAPassedThrough400_FirstByPriority()
    {
        await using var s = await RelayScenario.StartAsync();
        s.Upstream.BadRequestMessage = "prompt is too long: 250000 tokens > 200000 maximum";
        await s.AddApiKeyAccountAsync("bad400");
        var (key, _, _) = await s.AddUserWithKeyAsync();
        var admin = await s.App.AdminAsync();
        await admin.PostAsync(Rules, new
        {
            name = "later",
            priority = 10,
            keywords = new[] { "too long" },
            passthrough_code = false,
            response_code = 400,
            passthrough_body = false,
            custom_message = "second rule",
        });
        await admin.PostAsync(Rules, new
        {
            name = "first",
            priority = 1,
            keywords = new[] { "PROMPT IS TOO LONG" },
            passthrough_code = false,
            response_code = 413,
            passthrough_body = false,
            custom_message = "Your conversation is too long for this model",
        });

        var (status, body) = await s.SendAsync(key);

        Assert.Equal((HttpStatusCode.RequestEntityTooLarge, "request_too_large", "Your conversation is too long for this model"), Error(status, body));
    }
}
