using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Sub2Api.Data.Entities;
using Sub2Api.FunctionalTests.Infrastructure;

namespace Sub2Api.FunctionalTests.Admin;

/// <summary>
/// <c>POST /admin/accounts/:id/test</c>: a live "hi" through the relay's forwarding path, streamed back as the
/// original's events, never billed and never marking the account.
/// </summary>
public sealed class AccountTestRouteTests
{
    private static async Task<(HttpStatusCode Status, string ContentType, List<JsonObject> Events)> TestAsync(ApiClient admin, long id,
        string? body = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/admin/accounts/{id}/test");
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }
        using var response = await admin.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var events = text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Where(e => e.StartsWith("data: ", StringComparison.Ordinal))
            .Select(e => JsonNode.Parse(e["data: ".Length..])!.AsObject())
            .ToList();
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType ?? "", events);
    }

    private static string? Type(JsonObject e) => e["type"]?.GetValue<string>();

    [Fact]
    public async Task Test_ApiKeyAccount_StreamsStartContentComplete_AndBillsNobody()
    {
        await using var s = await RelayScenario.StartAsync();
        var account = await s.AddApiKeyAccountAsync("ok", modelMapping: new Dictionary<string, string> { ["claude-haiku-*"] = "glm-4.5-air" });
        var (_, userId, _) = await s.AddUserWithKeyAsync(balance: 10m);
        var admin = await s.App.AdminAsync();

        var (status, contentType, events) = await TestAsync(admin, account);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("text/event-stream", contentType);
        Assert.Equal(["test_start", "content", "content", "content", "test_complete"], events.Select(Type));
        Assert.Equal("glm-4.5-air", events[0]["model"]!.GetValue<string>()); // the default test model, mapped
        Assert.Equal("part 0 part 1 part 2 ", string.Concat(events.Where(e => Type(e) == "content").Select(e => e["text"]!.GetValue<string>())));
        Assert.True(events[^1]["success"]!.GetValue<bool>());

        var sent = Assert.Single(s.UpstreamRequests(account));
        Assert.Equal("glm-4.5-air", sent.Json["model"]!.GetValue<string>());
        Assert.True(sent.Json["stream"]!.GetValue<bool>());
        Assert.True(sent.Json["max_tokens"]!.GetValue<int>() <= 64);
        Assert.Equal(s.CredentialOf(account), sent.Header("x-api-key"));
        Assert.Null(sent.Header("authorization")); // the admin's JWT never travels upstream

        await s.FlushUsageAsync();
        Assert.Empty(await s.UsageRowsAsync());
        Assert.Equal(10m, await s.BalanceAsync(userId));
        Assert.NotNull(await s.AccountAsync(account)); // still there, untouched
    }

    [Fact]
    public async Task Test_OAuthAccount_GoesOutAsClaudeCode_WithTheRequestedModel()
    {
        await using var s = await RelayScenario.StartAsync();
        var account = await s.AddOAuthAccountAsync("ok", accountUuid: "acct-uuid-1");
        var admin = await s.App.AdminAsync();

        var (status, _, events) = await TestAsync(admin, account, "{\"model_id\":\"claude-sonnet-4-5\"}");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("test_complete", Type(events[^1]));
        Assert.True(events[^1]["success"]!.GetValue<bool>());
        var sent = Assert.Single(s.UpstreamRequests(account));
        Assert.Equal("?beta=true", sent.Query);
        Assert.Equal($"Bearer {s.CredentialOf(account)}", sent.Header("authorization"));
        Assert.StartsWith("claude-cli/", sent.Header("user-agent"), StringComparison.Ordinal);
        Assert.Contains("oauth-2025-04-20", sent.Header("anthropic-beta"), StringComparison.Ordinal);
        Assert.StartsWith("claude-sonnet-4-5", sent.Json["model"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("acct-uuid-1", sent.Json["metadata"]!["user_id"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Test_UpstreamError_IsReportedInTheStream_AndDoesNotMarkTheAccount()
    {
        await using var s = await RelayScenario.StartAsync();
        var forbidden = await s.AddApiKeyAccountAsync("forb403");
        var failing = await s.AddApiKeyAccountAsync("err500");
        var admin = await s.App.AdminAsync();

        foreach (var (account, code) in new[] { (forbidden, 403), (failing, 500) })
        {
            var (status, _, events) = await TestAsync(admin, account);
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal(["test_start", "error", "test_complete"], events.Select(Type));
            var error = events[1]["error"]!.GetValue<string>();
            Assert.StartsWith($"API returned {code}: ", error, StringComparison.Ordinal);
            Assert.Contains($"fake {code} from upstream", error, StringComparison.Ordinal);
            Assert.False(events[2]["success"]!.GetValue<bool>());
            Assert.Equal(error, events[2]["error"]!.GetValue<string>());

            var row = await s.AccountAsync(account);
            Assert.Equal(Statuses.Active, row.Status);
            Assert.Equal("", row.ErrorMessage);
            Assert.Null(row.OverloadUntil);
            Assert.Null(row.TempUnschedulableUntil);
        }

        // Still scheduled for real traffic: a user request reaches them.
        var (key, _, _) = await s.AddUserWithKeyAsync();
        await s.SendAsync(key);
        Assert.True(s.UpstreamCount(forbidden) + s.UpstreamCount(failing) > 2);
    }

    [Fact]
    public async Task Test_UnknownAccountOrBadBody_IsAClientError()
    {
        await using var s = await RelayScenario.StartAsync();
        var account = await s.AddApiKeyAccountAsync("ok");
        var admin = await s.App.AdminAsync();
        (await admin.PostAsync("/api/v1/admin/accounts/999999/test")).ShouldFail(HttpStatusCode.NotFound);
        (await admin.PostAsync($"/api/v1/admin/accounts/{account}/test", "{\"model_id\":5}")).ShouldFail(HttpStatusCode.BadRequest);
        (await admin.PostAsync($"/api/v1/admin/accounts/{account}/test", "[1]")).ShouldFail(HttpStatusCode.BadRequest);
        Assert.Equal(0, s.UpstreamCount(account));
    }
}
