using System.Net;
using System.Text.Json.Nodes;
using Sub2Api.Accounts;
using Sub2Api.Data.Entities;
using Sub2Api.FunctionalTests.Infrastructure;

namespace Sub2Api.FunctionalTests.Accounts;

/// <summary>
/// Token refresh end to end against a fake OAuth provider whose refresh tokens rotate (each works once) and a fake
/// upstream that only accepts the newest access token: the job, the inline refresh under concurrency, the 401
/// refresh-and-retry, a restart, final and transient failures, and the admin's refresh route.
/// </summary>
public sealed class TokenRefreshTests
{
    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string because) =>
        await RelayScenario.WaitUntilAsync(condition, TimeSpan.FromSeconds(15), because);

    [Fact]
    public async Task Job_RefreshesATokenNearExpiry_InOneWrite_WithoutRebuildingThePool_AndTheNewTokenIsUsedUpstream()
    {
        await using var s = await TokenRefreshScenario.StartAsync(new Dictionary<string, string?> { ["TokenRefresh:CheckIntervalSeconds"] = "0.1" });
        var (id, oldAccess, oldRefresh) = await s.AddOAuthAccountAsync(TimeSpan.FromMinutes(10));
        var (key, _, _) = await s.Relay.AddUserWithKeyAsync();
        // The first request builds the pool (and reads the credentials); from here on a refresh must not move the generation.
        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(key)).Status);
        var generation = s.AccountsGeneration;

        await WaitUntilAsync(async () => (await s.CredentialsAsync(id))["access_token"]!.GetValue<string>() != oldAccess, "the job refreshed the token");

        Assert.Equal(1, s.RefreshGrants);
        var stored = await s.CredentialsAsync(id);
        var newAccess = stored["access_token"]!.GetValue<string>();
        var newRefresh = stored["refresh_token"]!.GetValue<string>();
        Assert.Equal(s.OAuth.IssuedAccessTokens[^1], newAccess);
        Assert.NotEqual(oldRefresh, newRefresh);
        Assert.True(s.OAuth.IsLive(newRefresh), "the rotated refresh token was stored");
        Assert.False(s.OAuth.IsLive(oldRefresh));
        var expiresAt = AccountCredentials.ParseTime(stored["expires_at"])!.Value;
        Assert.InRange(expiresAt, DateTimeOffset.UtcNow.AddSeconds(s.OAuth.ExpiresIn - 60), DateTimeOffset.UtcNow.AddSeconds(s.OAuth.ExpiresIn + 5));
        Assert.Equal("kept across refreshes", stored["custom_field"]!.GetValue<string>());
        Assert.Equal("claude-sonnet-4-5-20250929", stored["model_mapping"]!["claude-sonnet-4-5"]!.GetValue<string>());
        Assert.True(stored["_token_version"]!.GetValue<long>() > 0);
        Assert.Equal(generation, s.AccountsGeneration);

        var (status, body) = await s.SendAsync(key);
        Assert.True(status == HttpStatusCode.OK, body);
        Assert.Equal(newAccess, s.BearersSent[^1]);
        Assert.Equal(Statuses.Active, (await s.Relay.AccountAsync(id)).Status);
        Assert.Equal(1, s.RefreshGrants); // the job does not refresh a token that is fresh again
    }

    [Fact]
    public async Task TwentyConcurrentRequests_OnATokenAboutToExpire_CauseExactlyOneRefreshGrant_AndAllSucceedWithTheNewToken()
    {
        await using var s = await TokenRefreshScenario.StartAsync();
        s.OAuth.GrantDelay = TimeSpan.FromMilliseconds(300); // every request arrives while the one refresh is in flight
        var (id, oldAccess, _) = await s.AddOAuthAccountAsync(TimeSpan.FromSeconds(60));
        var (key, _, _) = await s.Relay.AddUserWithKeyAsync(concurrency: 50);

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => s.SendAsync(key)));

        Assert.All(results, r => Assert.True(r.Status == HttpStatusCode.OK, r.Body));
        Assert.Equal(1, s.RefreshGrants);
        var newAccess = s.OAuth.IssuedAccessTokens[^1];
        Assert.Equal(20, s.BearersSent.Count);
        Assert.All(s.BearersSent, bearer => Assert.Equal(newAccess, bearer));
        Assert.DoesNotContain(oldAccess, s.BearersSent);
        Assert.Equal(newAccess, (await s.CredentialsAsync(id))["access_token"]!.GetValue<string>());
    }

    [Fact]
    public async Task Upstream401_RefreshesOnce_AndRetriesWithTheNewToken_WithoutMarkingTheAccount()
    {
        await using var s = await TokenRefreshScenario.StartAsync();
        // Valid for hours by its expiry, but the upstream no longer accepts it (revoked elsewhere).
        var (id, revoked, _) = await s.AddOAuthAccountAsync(TimeSpan.FromHours(6), accessToken: "sk-ant-oat01-ok-revoked-" + Guid.NewGuid().ToString("N"));
        var (key, _, _) = await s.Relay.AddUserWithKeyAsync();

        var (status, body) = await s.SendAsync(key);

        Assert.True(status == HttpStatusCode.OK, body);
        Assert.Equal(1, s.RefreshGrants);
        Assert.Equal([revoked, s.OAuth.IssuedAccessTokens[^1]], s.BearersSent);
        var account = await s.Relay.AccountAsync(id);
        Assert.Equal(Statuses.Active, account.Status);
        Assert.Equal("", account.ErrorMessage);
    }

    [Fact]
    public async Task Upstream401_WhenTheRefreshedTokenIsAlsoRefused_MarksTheAccountAfterOneRetry()
    {
        await using var s = await TokenRefreshScenario.StartAsync();
        s.Relay.Upstream.BearerIsValid = _ => false; // the account itself is banned: no token helps
        var (id, _, _) = await s.AddOAuthAccountAsync(TimeSpan.FromHours(6));
        var (key, _, _) = await s.Relay.AddUserWithKeyAsync();

        var (status, _) = await s.SendAsync(key);

        Assert.NotEqual(HttpStatusCode.OK, status);
        Assert.Equal(1, s.RefreshGrants);
        Assert.Equal(2, s.BearersSent.Count);
        var account = await s.Relay.AccountAsync(id);
        Assert.Equal(Statuses.Error, account.Status);
        Assert.Contains("401", account.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RotatedRefreshToken_SurvivesARestart_AndWorksForTheNextRefresh()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "sub2api-test-" + Guid.NewGuid().ToString("N"));
        await using var oauth = await FakeOAuthServer.StartAsync();
        try
        {
            long id;
            string rotated;
            await using (var first = await TokenRefreshScenario.StartAsync(dataDir: dataDir, oauth: oauth))
            {
                (id, _, _) = await first.AddOAuthAccountAsync(TimeSpan.FromHours(6));
                var admin = await first.App.AdminAsync();
                Assert.Equal(id, (await admin.PostAsync($"/api/v1/admin/accounts/{id}/refresh")).Data.GetProperty("id").GetInt64());
                rotated = (await first.CredentialsAsync(id))["refresh_token"]!.GetValue<string>();
            }

            await using var second = await TokenRefreshScenario.StartAsync(dataDir: dataDir, oauth: oauth);
            var again = await (await second.App.AdminAsync()).PostAsync($"/api/v1/admin/accounts/{id}/refresh");

            Assert.Equal(id, again.Data.GetProperty("id").GetInt64());
            Assert.Equal(1, oauth.RefreshCount(rotated)); // the restarted node used the rotated token, once
            Assert.Equal(2, oauth.GrantCount("refresh_token"));
            var (key, _, _) = await second.Relay.AddUserWithKeyAsync();
            var (status, body) = await second.SendAsync(key);
            Assert.True(status == HttpStatusCode.OK, body);
            Assert.Equal(oauth.IssuedAccessTokens[^1], second.BearersSent[^1]);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dataDir, recursive: true);
        }
    }

    [Fact]
    public async Task InvalidGrant_MarksTheAccountError_AndSchedulingSkipsIt()
    {
        await using var s = await TokenRefreshScenario.StartAsync();
        s.OAuth.FailNextGrants(1, FakeOAuthFailure.InvalidGrant);
        var (oauthId, _, _) = await s.AddOAuthAccountAsync(TimeSpan.FromMinutes(-1), priority: 1);
        var fallback = await s.Relay.AddApiKeyAccountAsync("ok", priority: 90);
        var (key, _, _) = await s.Relay.AddUserWithKeyAsync();

        var (status, body) = await s.SendAsync(key);

        Assert.True(status == HttpStatusCode.OK, body);
        Assert.Equal(1, s.RefreshGrants); // final: no retries
        var account = await s.Relay.AccountAsync(oauthId);
        Assert.Equal(Statuses.Error, account.Status);
        Assert.Contains("invalid_grant", account.ErrorMessage, StringComparison.Ordinal);
        Assert.Empty(s.BearersSent); // an expired token that could not be renewed is never sent
        Assert.Equal(1, s.Relay.UpstreamCount(fallback));

        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(key)).Status);
        Assert.Equal(2, s.Relay.UpstreamCount(fallback));
        Assert.Equal(1, s.RefreshGrants);
    }

    [Fact]
    public async Task TransientFailures_RetryThreeTimes_ThenTheAccountIsTemporarilyUnschedulable()
    {
        await using var s = await TokenRefreshScenario.StartAsync();
        s.OAuth.FailNextGrants(3, FakeOAuthFailure.ServerError);
        var (oauthId, _, _) = await s.AddOAuthAccountAsync(TimeSpan.FromMinutes(-1), priority: 1);
        var fallback = await s.Relay.AddApiKeyAccountAsync("ok", priority: 90);
        var (key, _, _) = await s.Relay.AddUserWithKeyAsync();

        var (status, body) = await s.SendAsync(key);

        Assert.True(status == HttpStatusCode.OK, body);
        Assert.Equal(3, s.RefreshGrants);
        var account = await s.Relay.AccountAsync(oauthId);
        Assert.Equal(Statuses.Active, account.Status);
        Assert.NotNull(account.TempUnschedulableUntil);
        Assert.InRange(account.TempUnschedulableUntil!.Value, DateTime.UtcNow.AddMinutes(9), DateTime.UtcNow.AddMinutes(10.5));
        Assert.Contains("Token refresh failed after 3 tries", account.TempUnschedulableReason, StringComparison.Ordinal);
        Assert.Equal(1, s.Relay.UpstreamCount(fallback));

        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(key)).Status);
        Assert.Equal(2, s.Relay.UpstreamCount(fallback));
        Assert.Equal(3, s.RefreshGrants); // resting: not tried again
    }

    [Fact]
    public async Task RefreshRoute_RefreshesNow_AndAnswersTheAccountMasked()
    {
        await using var s = await TokenRefreshScenario.StartAsync();
        var (id, oldAccess, _) = await s.AddOAuthAccountAsync(TimeSpan.FromHours(6));
        var admin = await s.App.AdminAsync();

        var result = await admin.PostAsync($"/api/v1/admin/accounts/{id}/refresh");

        var data = result.Data;
        Assert.Equal(1, s.RefreshGrants);
        var stored = await s.CredentialsAsync(id);
        var newAccess = stored["access_token"]!.GetValue<string>();
        Assert.NotEqual(oldAccess, newAccess);
        var raw = result.Body.GetRawText();
        Assert.DoesNotContain(newAccess, raw, StringComparison.Ordinal);
        Assert.DoesNotContain(stored["refresh_token"]!.GetValue<string>(), raw, StringComparison.Ordinal);
        Assert.Contains('…', data.GetProperty("credentials").GetProperty("access_token").GetString()!);
        Assert.Equal(stored["expires_at"]!.ToJsonString(), data.GetProperty("credentials").GetProperty("expires_at").GetRawText());
    }

    [Fact]
    public async Task RefreshRoute_ExplainsWhatCannotBeRefreshed()
    {
        await using var s = await TokenRefreshScenario.StartAsync();
        var apiKeyAccount = await s.Relay.AddApiKeyAccountAsync("ok");
        var noRefreshToken = await s.Relay.AddOAuthAccountAsync("ok");
        var (dead, _, _) = await s.AddOAuthAccountAsync(TimeSpan.FromHours(6));
        var admin = await s.App.AdminAsync();

        (await admin.PostAsync("/api/v1/admin/accounts/999999/refresh")).ShouldFail(HttpStatusCode.NotFound);
        (await admin.PostAsync("/api/v1/admin/accounts/abc/refresh")).ShouldFail(HttpStatusCode.BadRequest);
        (await admin.PostAsync($"/api/v1/admin/accounts/{apiKeyAccount}/refresh")).ShouldFail(HttpStatusCode.BadRequest);
        var missing = (await admin.PostAsync($"/api/v1/admin/accounts/{noRefreshToken}/refresh")).ShouldFail(HttpStatusCode.BadRequest);
        Assert.Contains("refresh token", missing.Message, StringComparison.Ordinal);
        Assert.Equal(0, s.RefreshGrants);

        s.OAuth.FailNextGrants(1, FakeOAuthFailure.InvalidGrant);
        var refused = (await admin.PostAsync($"/api/v1/admin/accounts/{dead}/refresh")).ShouldFail(HttpStatusCode.BadGateway);
        Assert.Contains("invalid_grant", refused.Message, StringComparison.Ordinal);
        Assert.Equal(Statuses.Error, (await s.Relay.AccountAsync(dead)).Status);

        // A successful refresh proves the credentials again and puts the account back in service.
        var revived = await admin.PostAsync($"/api/v1/admin/accounts/{dead}/refresh");
        Assert.Equal(Statuses.Active, revived.Data.GetProperty("status").GetString());
        Assert.Equal(Statuses.Active, (await s.Relay.AccountAsync(dead)).Status);
    }

    [Fact]
    public async Task AdminEditFromAPageLoadedBeforeARefresh_KeepsTheRotatedTokens()
    {
        await using var s = await TokenRefreshScenario.StartAsync();
        var (id, _, _) = await s.AddOAuthAccountAsync(TimeSpan.FromHours(6));
        var admin = await s.App.AdminAsync();
        var page = (await admin.GetAsync($"/api/v1/admin/accounts/{id}")).Data.GetProperty("credentials").Clone();

        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/v1/admin/accounts/{id}/refresh")).Status);
        var refreshed = await s.CredentialsAsync(id);

        // The admin saves the page as it was loaded (masks of the old tokens, the old expiry), with one change.
        var edited = JsonNode.Parse(page.GetRawText())!.AsObject();
        edited["custom_field"] = "edited by the admin";
        (await admin.PutAsync($"/api/v1/admin/accounts/{id}", new { credentials = edited })).Data.GetProperty("id");

        var stored = await s.CredentialsAsync(id);
        Assert.Equal("edited by the admin", stored["custom_field"]!.GetValue<string>());
        foreach (var field in new[] { "access_token", "refresh_token" })
        {
            Assert.Equal(refreshed[field]!.GetValue<string>(), stored[field]!.GetValue<string>());
        }
        Assert.True(stored["_token_version"]!.GetValue<long>() > refreshed["_token_version"]!.GetValue<long>());
        Assert.True(s.OAuth.IsLive(stored["refresh_token"]!.GetValue<string>()));
        // and the account keeps serving with the rotated token
        var (key, _, _) = await s.Relay.AddUserWithKeyAsync();
        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(key)).Status);
    }

    [Fact]
    public async Task SetupTokenAccounts_AreRefreshedToo()
    {
        await using var s = await TokenRefreshScenario.StartAsync();
        var (id, oldAccess, _) = await s.AddOAuthAccountAsync(TimeSpan.FromSeconds(30), type: AccountTypes.SetupToken);
        var (key, _, _) = await s.Relay.AddUserWithKeyAsync();

        var (status, body) = await s.SendAsync(key);

        Assert.True(status == HttpStatusCode.OK, body);
        Assert.Equal(1, s.RefreshGrants);
        Assert.NotEqual(oldAccess, (await s.CredentialsAsync(id))["access_token"]!.GetValue<string>());
    }
}
