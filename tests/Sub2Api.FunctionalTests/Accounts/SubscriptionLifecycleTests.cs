using System.Net;
using Sub2Api.FunctionalTests.Infrastructure;

namespace Sub2Api.FunctionalTests.Accounts;

/// <summary>
/// The whole life of a subscription account as an admin meets it, with no admin action after onboarding: logged in
/// through the auth-URL flow, it keeps serving past the expiry of the token it was onboarded with, and after a
/// restart its next expiry is refreshed with the rotated refresh token the first node stored — one grant per expiry.
/// </summary>
public sealed class SubscriptionLifecycleTests
{
    [Fact]
    public async Task OnboardedAccount_KeepsServingPastEachExpiry_AcrossARestart_WithOneRefreshGrantPerExpiry()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "sub2api-test-" + Guid.NewGuid().ToString("N"));
        await using var oauth = await FakeOAuthServer.StartAsync();
        try
        {
            string rotated;
            long accountId;
            await using (var first = await TokenRefreshScenario.StartAsync(dataDir: dataDir, oauth: oauth))
            {
                // :: onboarding: the token handed out by the exchange ends in two minutes (inside the inline window)
                oauth.ExpiresIn = 120;
                var admin = await first.App.AdminAsync();
                var generated = (await admin.PostAsync("/api/v1/admin/accounts/generate-auth-url", new { })).Data;
                var info = (await admin.PostAsync("/api/v1/admin/accounts/exchange-code", new
                {
                    session_id = generated.GetProperty("session_id").GetString(),
                    code = oauth.Authorize(generated.GetProperty("auth_url").GetString()!),
                })).Data;
                var onboardedToken = info.GetProperty("access_token").GetString()!;
                accountId = (await admin.PostAsync("/api/v1/admin/accounts", new
                {
                    name = "claude-max",
                    platform = "anthropic",
                    type = "oauth",
                    credentials = info,
                    extra = new { account_uuid = info.GetProperty("account_uuid").GetString() },
                    group_ids = new[] { first.Relay.GroupId },
                    concurrency = 20,
                })).Data.GetProperty("id").GetInt64();

                // :: first expiry: ten requests at once, one grant, every request sent with the refreshed token
                oauth.ExpiresIn = 28_800;
                oauth.GrantDelay = TimeSpan.FromMilliseconds(200);
                var (key, _, _) = await first.Relay.AddUserWithKeyAsync(concurrency: 20);
                var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => first.SendAsync(key)));

                Assert.All(results, r => Assert.True(r.Status == HttpStatusCode.OK, r.Body));
                Assert.Equal(1, first.RefreshGrants);
                Assert.DoesNotContain(onboardedToken, first.BearersSent);
                Assert.All(first.BearersSent, bearer => Assert.Equal(oauth.IssuedAccessTokens[^1], bearer));
                rotated = (await first.CredentialsAsync(accountId))["refresh_token"]!.GetValue<string>();
                Assert.True(oauth.IsLive(rotated), "the rotated refresh token is the one stored");
            }

            // :: restart; the next expiry comes due (the job's window now spans the token's whole life) and the job
            //    refreshes it once, with the refresh token the first process stored
            await using var second = await TokenRefreshScenario.StartAsync(new Dictionary<string, string?>
            {
                ["TokenRefresh:RefreshBeforeExpiryMinutes"] = "600",
            }, dataDir, oauth);
            await RelayScenario.WaitUntilAsync(() => Task.FromResult(oauth.GrantCount("refresh_token") == 2), TimeSpan.FromSeconds(15),
                "the job refreshed the account after the restart");
            Assert.Equal(1, oauth.RefreshCount(rotated));

            var (key2, _, _) = await second.Relay.AddUserWithKeyAsync();
            for (var i = 0; i < 3; i++)
            {
                var (status, body) = await second.SendAsync(key2);
                Assert.True(status == HttpStatusCode.OK, body);
            }
            Assert.All(second.BearersSent, bearer => Assert.Equal(oauth.IssuedAccessTokens[^1], bearer));
            Assert.Equal(2, oauth.GrantCount("refresh_token")); // a fresh token is not refreshed again
            var account = await second.Relay.AccountAsync(accountId);
            Assert.Equal("active", account.Status);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dataDir, recursive: true);
        }
    }
}
