using System.Net;
using System.Text.Json;
using Sub2Api.Data.Entities;
using Sub2Api.FunctionalTests.Infrastructure;

namespace Sub2Api.FunctionalTests.Relay;

/// <summary>
/// Failover and account marking (SPEC §4.4–§4.5): a failing account hands the request to the next one and is
/// benched as the table says; when every account fails the client gets the mapped error of the last failure;
/// benched accounts come back by themselves when the cooldown ends, or at once through the admin endpoints.
/// </summary>
public sealed class FailoverTests
{
    private static void AssertError(HttpStatusCode expectedStatus, string expectedType, string expectedMessage, HttpStatusCode status,
        string body)
    {
        Assert.True(status == expectedStatus, $"expected {(int)expectedStatus}, got {(int)status}: {body}");
        using var json = JsonDocument.Parse(body);
        Assert.Equal("error", json.RootElement.GetProperty("type").GetString());
        Assert.Equal(expectedType, json.RootElement.GetProperty("error").GetProperty("type").GetString());
        Assert.Equal(expectedMessage, json.RootElement.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task Messages_FirstAccount429_SecondServes_FirstIsBenchedUntilResetAndSkipped()
    {
        await using var s = await RelayScenario.StartAsync();
        var reset = DateTimeOffset.UtcNow.AddMinutes(30).ToUnixTimeSeconds();
        s.Upstream.RateLimitHeaders = () => new Dictionary<string, string>
        {
            ["anthropic-ratelimit-unified-5h-reset"] = reset.ToString(),
            ["anthropic-ratelimit-unified-5h-surpassed-threshold"] = "true",
        };
        var limited = await s.AddApiKeyAccountAsync("rl429", priority: 1);
        var good = await s.AddApiKeyAccountAsync("ok", priority: 2);
        var (key, _, _) = await s.AddUserWithKeyAsync();

        var (status, body) = await s.SendAsync(key);

        Assert.True(status == HttpStatusCode.OK, body);
        Assert.Contains("Hello from the fake upstream.", body, StringComparison.Ordinal);
        Assert.Equal(1, s.UpstreamCount(limited));
        Assert.Equal(1, s.UpstreamCount(good));
        var benched = await s.AccountAsync(limited);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(reset).UtcDateTime, benched.RateLimitResetAt);
        Assert.NotNull(benched.RateLimitedAt);
        Assert.Equal(Statuses.Active, benched.Status);
        // The 5h window the 429 describes is kept too (SPEC §4.5 rule 2).
        Assert.Equal("rejected", benched.SessionWindowStatus);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(reset).UtcDateTime, benched.SessionWindowEnd);

        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(key, stream: true)).Status);
        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(key)).Status);
        Assert.Equal(1, s.UpstreamCount(limited)); // skipped while benched
        Assert.Equal(3, s.UpstreamCount(good));

        await s.FlushUsageAsync();
        var rows = await s.UsageRowsAsync();
        Assert.Equal(3, rows.Count); // one row per client request, none for the failed attempt
        Assert.All(rows, r => Assert.Equal(good, r.AccountId));
    }

    [Fact]
    public async Task Messages_429WithoutResetHeaders_BenchesForFiveMinutes()
    {
        await using var s = await RelayScenario.StartAsync();
        s.Upstream.RateLimitHeaders = () => new Dictionary<string, string>();
        var limited = await s.AddApiKeyAccountAsync("rl429", priority: 1);
        await s.AddApiKeyAccountAsync("ok", priority: 2);
        var (key, _, _) = await s.AddUserWithKeyAsync();
        var before = DateTime.UtcNow;

        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(key)).Status);

        var resetAt = (await s.AccountAsync(limited)).RateLimitResetAt;
        Assert.NotNull(resetAt);
        Assert.InRange(resetAt.Value, before.AddMinutes(5).AddSeconds(-1), DateTime.UtcNow.AddMinutes(5).AddSeconds(1));
    }

    [Fact]
    public async Task Messages_FirstAccount529_SecondServes_FirstOverloadedTenMinutesAndSkipped()
    {
        await using var s = await RelayScenario.StartAsync();
        var overloaded = await s.AddApiKeyAccountAsync("ovl529", priority: 1);
        var good = await s.AddApiKeyAccountAsync("ok", priority: 2);
        var (key, _, _) = await s.AddUserWithKeyAsync();
        var before = DateTime.UtcNow;

        var (status, body) = await s.SendAsync(key);

        Assert.True(status == HttpStatusCode.OK, body);
        var account = await s.AccountAsync(overloaded);
        Assert.NotNull(account.OverloadUntil);
        Assert.InRange(account.OverloadUntil.Value, before.AddMinutes(10).AddSeconds(-1), DateTime.UtcNow.AddMinutes(10).AddSeconds(1));
        Assert.Equal(Statuses.Active, account.Status); // 529 never disables (CRS #422)

        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(key)).Status);
        Assert.Equal(1, s.UpstreamCount(overloaded));
        Assert.Equal(2, s.UpstreamCount(good));
    }

    [Fact]
    public async Task Messages_FirstAccount500_SecondServes_FirstIsNotBenched()
    {
        await using var s = await RelayScenario.StartAsync();
        var failing = await s.AddApiKeyAccountAsync("err500", priority: 1);
        var good = await s.AddApiKeyAccountAsync("ok", priority: 2);
        var (key, _, _) = await s.AddUserWithKeyAsync();

        var (status, body) = await s.SendAsync(key);
        Assert.True(status == HttpStatusCode.OK, body);
        Assert.True((await s.SendAsync(key, stream: true)).Status == HttpStatusCode.OK);

        // SPEC §4.5: other 5xx are logged only, so the account is tried again on the next request.
        var account = await s.AccountAsync(failing);
        Assert.Equal(Statuses.Active, account.Status);
        Assert.Null(account.RateLimitResetAt);
        Assert.Null(account.OverloadUntil);
        Assert.Equal(2, s.UpstreamCount(failing));
        Assert.Equal(2, s.UpstreamCount(good));
    }

    [Theory]
    [InlineData("auth401", 401)]
    [InlineData("forb403", 403)]
    public async Task Messages_FirstAccountRejectsCredentials_SecondServes_FirstGetsStatusError(string behaviour, int upstreamStatus)
    {
        await using var s = await RelayScenario.StartAsync();
        var rejected = await s.AddApiKeyAccountAsync(behaviour, priority: 1);
        var good = await s.AddApiKeyAccountAsync("ok", priority: 2);
        var (key, _, _) = await s.AddUserWithKeyAsync();

        var (status, body) = await s.SendAsync(key);

        Assert.True(status == HttpStatusCode.OK, body);
        var account = await s.AccountAsync(rejected);
        Assert.Equal(Statuses.Error, account.Status);
        Assert.Contains(upstreamStatus.ToString(), account.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains($"fake {upstreamStatus} from upstream", account.ErrorMessage, StringComparison.Ordinal);
        if (upstreamStatus == 401)
        {
            Assert.StartsWith("Authentication failed (401)", account.ErrorMessage, StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(key)).Status);
        Assert.Equal(1, s.UpstreamCount(rejected));
        Assert.Equal(2, s.UpstreamCount(good));
    }

    [Theory]
    [InlineData("err500", HttpStatusCode.BadGateway, "upstream_error", "Upstream service temporarily unavailable")]
    [InlineData("rl429", HttpStatusCode.TooManyRequests, "rate_limit_error", "Upstream rate limit exceeded, please retry later")]
    [InlineData("ovl529", HttpStatusCode.ServiceUnavailable, "overloaded_error", "Upstream service overloaded, please retry later")]
    [InlineData("auth401", HttpStatusCode.BadGateway, "upstream_error", "Upstream authentication failed, please contact administrator")]
    [InlineData("forb403", HttpStatusCode.BadGateway, "upstream_error", "Upstream access forbidden, please contact administrator")]
    public async Task Messages_AllAccountsFail_ClientGetsTheMappedErrorOfTheFailure(string behaviour, HttpStatusCode expected,
        string type, string message)
    {
        await using var s = await RelayScenario.StartAsync();
        var first = await s.AddApiKeyAccountAsync(behaviour, priority: 1);
        var second = await s.AddApiKeyAccountAsync(behaviour, priority: 2);
        var (key, _, _) = await s.AddUserWithKeyAsync();

        var (status, body) = await s.SendAsync(key);

        AssertError(expected, type, message, status, body);
        Assert.Equal(1, s.UpstreamCount(first));
        Assert.Equal(1, s.UpstreamCount(second));
        await s.FlushUsageAsync();
        Assert.Empty(await s.UsageRowsAsync());
    }

    [Fact]
    public async Task Messages_AllAccountsFailDifferently_ClientGetsTheLastFailure()
    {
        await using var s = await RelayScenario.StartAsync();
        await s.AddApiKeyAccountAsync("rl429", priority: 1);
        await s.AddApiKeyAccountAsync("err500", priority: 2);
        var (key, _, _) = await s.AddUserWithKeyAsync();

        var (status, body) = await s.SendAsync(key, stream: true);

        AssertError(HttpStatusCode.BadGateway, "upstream_error", "Upstream service temporarily unavailable", status, body);
    }

    [Fact]
    public async Task Messages_NoAccountsAtAll_Returns503()
    {
        await using var s = await RelayScenario.StartAsync();
        var (key, _, _) = await s.AddUserWithKeyAsync();

        var (status, body) = await s.SendAsync(key);

        Assert.True(status == HttpStatusCode.ServiceUnavailable, body);
        using var json = JsonDocument.Parse(body);
        Assert.Equal("api_error", json.RootElement.GetProperty("error").GetProperty("type").GetString());
        Assert.StartsWith("No available accounts", json.RootElement.GetProperty("error").GetProperty("message").GetString(),
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task Messages_OnlyAccountBenched_FirstGetsMapped429_NextGets503NoAvailableAccounts()
    {
        await using var s = await RelayScenario.StartAsync();
        var limited = await s.AddApiKeyAccountAsync("rl429");
        var (key, _, _) = await s.AddUserWithKeyAsync();

        var (status, body) = await s.SendAsync(key);
        AssertError(HttpStatusCode.TooManyRequests, "rate_limit_error", "Upstream rate limit exceeded, please retry later", status, body);

        (status, body) = await s.SendAsync(key);
        Assert.True(status == HttpStatusCode.ServiceUnavailable, body);
        Assert.Contains("No available accounts", body, StringComparison.Ordinal);
        Assert.Equal(1, s.UpstreamCount(limited));
    }

    [Fact]
    public async Task Messages_Upstream400_BodyPassedThroughUnchanged_NoFailover()
    {
        await using var s = await RelayScenario.StartAsync();
        var bad = await s.AddApiKeyAccountAsync("bad400", priority: 1);
        var good = await s.AddApiKeyAccountAsync("ok", priority: 2);
        var (key, _, _) = await s.AddUserWithKeyAsync();

        var (status, body) = await s.SendAsync(key);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"fake 400 from upstream\"}}", body);
        Assert.Equal(1, s.UpstreamCount(bad));
        Assert.Equal(0, s.UpstreamCount(good));
        Assert.Equal(Statuses.Active, (await s.AccountAsync(bad)).Status);
        await s.FlushUsageAsync();
        Assert.Empty(await s.UsageRowsAsync());
    }

    [Theory]
    [InlineData(true, "messages.1.content.0: invalid signature in thinking block", true)]
    [InlineData(true, "max_tokens: must be at most 64000", false)]
    [InlineData(false, "messages.1.content.0: invalid signature in thinking block", false)]
    public async Task Messages_Upstream400_FailsOverOnlyWithFailoverOn400AndACompatibilityMessage(bool failoverOn400, string message,
        bool failsOver)
    {
        await using var s = await RelayScenario.StartAsync(new Dictionary<string, string?> { ["Gateway:FailoverOn400"] = failoverOn400.ToString() });
        s.Upstream.BadRequestMessage = message;
        var bad = await s.AddApiKeyAccountAsync("bad400", priority: 1);
        var good = await s.AddApiKeyAccountAsync("ok", priority: 2);
        var (key, _, _) = await s.AddUserWithKeyAsync();

        var (status, body) = await s.SendAsync(key);

        Assert.Equal(failsOver ? HttpStatusCode.OK : HttpStatusCode.BadRequest, status);
        if (!failsOver)
        {
            Assert.Contains(message, body, StringComparison.Ordinal);
        }
        Assert.Equal(1, s.UpstreamCount(bad));
        Assert.Equal(failsOver ? 1 : 0, s.UpstreamCount(good));
        Assert.Equal(Statuses.Active, (await s.AccountAsync(bad)).Status);
    }

    [Fact]
    public async Task Messages_Upstream400OrganizationDisabled_MarksTheAccountError()
    {
        await using var s = await RelayScenario.StartAsync();
        s.Upstream.BadRequestMessage = "This organization has been disabled.";
        var bad = await s.AddApiKeyAccountAsync("bad400", priority: 1);
        var good = await s.AddApiKeyAccountAsync("ok", priority: 2);
        var (key, _, _) = await s.AddUserWithKeyAsync();

        var (status, _) = await s.SendAsync(key);

        // SPEC §4.4: a non-failover error whose marking disables the account becomes a failover.
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(Statuses.Error, (await s.AccountAsync(bad)).Status);
        Assert.Equal(1, s.UpstreamCount(good));
        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(key)).Status);
        Assert.Equal(1, s.UpstreamCount(bad));
    }

    [Fact]
    public async Task Messages_AccountsOutsideTheKeysGroupOrOutOfService_AreNeverUsed()
    {
        await using var s = await RelayScenario.StartAsync();
        var otherGroup = await s.AddApiKeyAccountAsync("ok", priority: 1);
        var expired = await s.AddApiKeyAccountAsync("ok", priority: 1);
        var disabled = await s.AddApiKeyAccountAsync("ok", priority: 1);
        var errored = await s.AddApiKeyAccountAsync("ok", priority: 1);
        var serving = await s.AddApiKeyAccountAsync("ok", priority: 9);
        await s.App.WithDbAsync(async db =>
        {
            var group = new Group { Name = "elsewhere", Platform = Platforms.Anthropic };
            db.Groups.Add(group);
            await db.SaveChangesAsync();
            db.AccountGroups.RemoveRange(db.AccountGroups.Where(g => g.AccountId == otherGroup));
            db.AccountGroups.Add(new AccountGroup { AccountId = otherGroup, GroupId = group.Id });
            await db.SaveChangesAsync();
        });
        await s.UpdateAccountAsync(expired, a => a.ExpiresAt = DateTime.UtcNow.AddMinutes(-1));
        await s.UpdateAccountAsync(disabled, a => a.Status = Statuses.Disabled);
        await s.UpdateAccountAsync(errored, a => a.Status = Statuses.Error);
        var (key, _, _) = await s.AddUserWithKeyAsync();

        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(key, stream: i % 2 == 0)).Status);
        }

        Assert.Equal(4, s.UpstreamCount(serving));
        Assert.Equal(4, s.Upstream.Received.Count);
    }

    [Fact]
    public async Task Stream_ErrorEventFirst_FailsOverAndClientSeesOnlyTheGoodStream()
    {
        await using var s = await RelayScenario.StartAsync();
        var broken = await s.AddApiKeyAccountAsync("sseerror", priority: 1);
        var good = await s.AddApiKeyAccountAsync("ok", priority: 2);
        var (key, _, _) = await s.AddUserWithKeyAsync();

        var (status, body) = await s.SendAsync(key, stream: true);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.DoesNotContain("event: error", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Overloaded", body, StringComparison.Ordinal);
        Assert.Equal(2, body.Split("event: message_start").Length);
        Assert.Contains("part 2", body, StringComparison.Ordinal);
        Assert.EndsWith("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n", body, StringComparison.Ordinal);
        Assert.Equal(1, s.UpstreamCount(broken));
        Assert.Equal(1, s.UpstreamCount(good));
        await s.FlushUsageAsync();
        Assert.Equal(good, Assert.Single(await s.UsageRowsAsync()).AccountId);
    }

    [Fact]
    public async Task Stream_ErrorEventMidStream_ForwardedInBand_NoSecondResponse()
    {
        await using var s = await RelayScenario.StartAsync();
        var broken = await s.AddApiKeyAccountAsync("miderror", priority: 1);
        var good = await s.AddApiKeyAccountAsync("ok", priority: 2);
        var (key, _, _) = await s.AddUserWithKeyAsync();

        var (status, body) = await s.SendAsync(key, stream: true);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("part 0", body, StringComparison.Ordinal);
        Assert.Contains("event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}",
            body, StringComparison.Ordinal);
        Assert.DoesNotContain("part 1", body, StringComparison.Ordinal);
        Assert.Equal(2, body.Split("event: message_start").Length); // one answer only
        Assert.Equal(1, s.UpstreamCount(broken));
        Assert.Equal(0, s.UpstreamCount(good));
    }

    [Fact]
    public async Task Messages_BenchedAccount_ReturnsToServiceByItselfWhenTheCooldownEnds()
    {
        await using var s = await RelayScenario.StartAsync();
        s.Upstream.RateLimitHeaders = () => new Dictionary<string, string>
        {
            ["anthropic-ratelimit-unified-5h-reset"] = DateTimeOffset.UtcNow.AddSeconds(2).ToUnixTimeSeconds().ToString(),
            ["anthropic-ratelimit-unified-5h-surpassed-threshold"] = "true",
        };
        var limited = await s.AddApiKeyAccountAsync("rl429", priority: 1);
        var good = await s.AddApiKeyAccountAsync("ok", priority: 2);
        var (key, _, _) = await s.AddUserWithKeyAsync();

        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(key)).Status);
        var resetAt = (await s.AccountAsync(limited)).RateLimitResetAt;
        Assert.NotNull(resetAt);
        s.Upstream.Heal("rl429"); // the upstream recovers; only the cooldown keeps the account out now

        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(key)).Status);
        Assert.Equal(1, s.UpstreamCount(limited)); // still benched

        await RelayScenario.WaitUntilAsync(async () =>
        {
            Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(key)).Status);
            return s.UpstreamCount(limited) == 2;
        }, TimeSpan.FromSeconds(5), "the account should serve again once its rate limit reset passed");
        Assert.True(DateTime.UtcNow >= resetAt.Value, "served before its reset time");
        var servedBack = s.UpstreamRequests(limited)[1];
        Assert.True(servedBack.StartedAt >= resetAt.Value.AddMilliseconds(-50), $"served at {servedBack.StartedAt:O}, reset {resetAt:O}");
        Assert.True(s.UpstreamCount(good) >= 2);
    }

    [Fact]
    public async Task Admin_ClearRateLimit_PutsTheAccountBackAtOnce()
    {
        await using var s = await RelayScenario.StartAsync();
        var limited = await s.AddApiKeyAccountAsync("rl429", priority: 1);
        var good = await s.AddApiKeyAccountAsync("ok", priority: 2);
        var (key, _, _) = await s.AddUserWithKeyAsync();
        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(key)).Status);
        Assert.NotNull((await s.AccountAsync(limited)).RateLimitResetAt);
        s.Upstream.Heal("rl429");
        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(key)).Status);
        Assert.Equal(1, s.UpstreamCount(limited));

        var admin = await s.App.AdminAsync();
        _ = (await admin.PostAsync($"/api/v1/admin/accounts/{limited}/clear-rate-limit")).Data;

        Assert.Null((await s.AccountAsync(limited)).RateLimitResetAt);
        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(key)).Status);
        Assert.Equal(2, s.UpstreamCount(limited));
        Assert.Equal(2, s.UpstreamCount(good));
    }

    [Fact]
    public async Task Admin_ClearRateLimit_AlsoClearsAnOverload()
    {
        await using var s = await RelayScenario.StartAsync();
        var overloaded = await s.AddApiKeyAccountAsync("ovl529", priority: 1);
        await s.AddApiKeyAccountAsync("ok", priority: 2);
        var (key, _, _) = await s.AddUserWithKeyAsync();
        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(key)).Status);
        Assert.NotNull((await s.AccountAsync(overloaded)).OverloadUntil);
        s.Upstream.Heal("ovl529");

        var admin = await s.App.AdminAsync();
        _ = (await admin.PostAsync($"/api/v1/admin/accounts/{overloaded}/clear-rate-limit")).Data;

        Assert.Null((await s.AccountAsync(overloaded)).OverloadUntil);
        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(key)).Status);
        Assert.Equal(2, s.UpstreamCount(overloaded));
    }

    [Fact]
    public async Task Admin_ClearError_PutsTheAccountBackAtOnce()
    {
        await using var s = await RelayScenario.StartAsync();
        var rejected = await s.AddApiKeyAccountAsync("auth401", priority: 1);
        var good = await s.AddApiKeyAccountAsync("ok", priority: 2);
        var (key, _, _) = await s.AddUserWithKeyAsync();
        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(key)).Status);
        Assert.Equal(Statuses.Error, (await s.AccountAsync(rejected)).Status);
        s.Upstream.Heal("auth401"); // e.g. the admin fixed the credentials
        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(key)).Status);
        Assert.Equal(1, s.UpstreamCount(rejected));

        var admin = await s.App.AdminAsync();
        _ = (await admin.PostAsync($"/api/v1/admin/accounts/{rejected}/clear-error")).Data;

        var account = await s.AccountAsync(rejected);
        Assert.Equal(Statuses.Active, account.Status);
        Assert.Equal("", account.ErrorMessage);
        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(key)).Status);
        Assert.Equal(2, s.UpstreamCount(rejected));
        Assert.Equal(2, s.UpstreamCount(good));
    }

    [Fact]
    public async Task Admin_SchedulableFalse_TakesTheAccountOut_TrueBringsItBack()
    {
        await using var s = await RelayScenario.StartAsync();
        var preferred = await s.AddApiKeyAccountAsync("ok", priority: 1);
        var other = await s.AddApiKeyAccountAsync("ok", priority: 2);
        var (key, _, _) = await s.AddUserWithKeyAsync();
        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(key)).Status);
        Assert.Equal(1, s.UpstreamCount(preferred));

        var admin = await s.App.AdminAsync();
        _ = (await admin.PostAsync($"/api/v1/admin/accounts/{preferred}/schedulable", new { schedulable = false })).Data;
        Assert.False((await s.AccountAsync(preferred)).Schedulable);
        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(key)).Status);
        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(key, stream: true)).Status);
        Assert.Equal(1, s.UpstreamCount(preferred));
        Assert.Equal(2, s.UpstreamCount(other));

        _ = (await admin.PostAsync($"/api/v1/admin/accounts/{preferred}/schedulable", new { schedulable = true })).Data;
        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(key)).Status);
        Assert.Equal(2, s.UpstreamCount(preferred));
    }
}
