using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Sub2Api.Accounts;
using Sub2Api.Data.Entities;
using Sub2Api.FunctionalTests.Infrastructure;
using Sub2Api.Infrastructure.Caching;
using Sub2Api.Scheduling;
using Sub2Api.Security;

namespace Sub2Api.IntegrationTests.Cluster;

/// <summary>
/// Token refresh across two gateway processes on one PostgreSQL and one Redis: the account's lock spans both, so
/// one expiry costs exactly one refresh grant whichever nodes see it, and a refresh on one node reaches the other
/// as a "credentials changed" event (that account's credentials re-read) without any pool rebuild.
/// </summary>
public sealed class TokenRefreshClusterTests
{
    [Fact]
    public async Task ConcurrentRequestsOnBothNodes_OnATokenAboutToExpire_CauseExactlyOneRefreshGrant_AndBothNodesUseTheNewToken()
    {
        await using var oauth = await FakeOAuthServer.StartAsync();
        oauth.GrantDelay = TimeSpan.FromMilliseconds(300); // every request arrives while the refresh is in flight
        var settings = new Dictionary<string, string?>(oauth.Settings)
        {
            ["TokenRefresh:CheckIntervalSeconds"] = "3600",
            ["TokenRefresh:RetryBackoffMilliseconds"] = "5",
        };
        await using var cluster = await GatewayCluster.StartAsync(settings: settings);
        cluster.Upstream.BearerIsValid = token => oauth.IssuedAccessTokens[^1] == token;
        var (access, refresh) = oauth.IssueTokens();
        var id = await cluster.ChangeAsync(ConfigScope.Accounts, () => TestSeed.AccountAsync(cluster.A, cluster.GroupId, AccountTypes.OAuth,
            Credentials(access, refresh, TimeSpan.FromHours(6)), priority: 50, concurrency: 100));
        var (key, _, _) = await cluster.AddUserWithKeyAsync(concurrency: 100);
        // Warm-up: the first answer records the account's 5-hour window (a health write that moves the accounts
        // generation everywhere), and each node loads the account's fingerprint. Neither is what this test measures.
        await cluster.ChangeAsync(ConfigScope.Accounts, async () => Assert.Equal(HttpStatusCode.OK, (await GatewayCluster.SendAsync(cluster.A, key)).Status));
        Assert.Equal(HttpStatusCode.OK, (await GatewayCluster.SendAsync(cluster.B, key)).Status);
        // Now the token is about to end (the stored expiry moves to one minute from now).
        await cluster.ChangeAsync(ConfigScope.Accounts, () => cluster.A.WithDbAsync(async db =>
        {
            var account = await db.Accounts.FirstAsync(a => a.Id == id);
            account.CredentialsEncrypted = cluster.A.Services.GetRequiredService<CredentialsCodec>()
                .Protect(Credentials(access, refresh, TimeSpan.FromSeconds(60)));
            await db.SaveChangesAsync();
        }));
        foreach (var node in cluster.Nodes)
        {
            await node.Services.GetRequiredService<AccountPool>().GetAsync(CancellationToken.None); // each node re-reads the row
        }
        var generations = cluster.Nodes.Select(n => GatewayCluster.Generation(n, ConfigScope.Accounts)).ToList();
        var sentBefore = Bearers(cluster).Count;

        var results = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => GatewayCluster.SendAsync(cluster.Nodes[i % 2], key)));

        Assert.All(results, r => Assert.True(r.Status == HttpStatusCode.OK, r.Body));
        Assert.Equal(1, oauth.GrantCount("refresh_token"));
        var fresh = oauth.IssuedAccessTokens[^1];
        var bearers = Bearers(cluster).Skip(sentBefore).ToList();
        Assert.Equal(40, bearers.Count);
        Assert.All(bearers, b => Assert.Equal(fresh, b));
        Assert.Equal(generations, cluster.Nodes.Select(n => GatewayCluster.Generation(n, ConfigScope.Accounts)).ToList());

        // A refresh on A reaches B as an event: B's store takes the new token without B asking, and no pool is rebuilt.
        var adminToken = await LoginAsync(cluster.A);
        using (var adminOnA = GatewayCluster.Client(cluster.A))
        {
            adminOnA.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", adminToken);
            using var refreshed = await adminOnA.PostAsync($"/api/v1/admin/accounts/{id}/refresh", null);
            Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        }
        Assert.Equal(2, oauth.GrantCount("refresh_token"));
        var newest = oauth.IssuedAccessTokens[^1];
        var storeOnB = cluster.B.Services.GetRequiredService<AccountCredentialStore>();
        await GatewayCluster.WaitUntilAsync(() => Task.FromResult(storeOnB.Get(id)?.AccessToken == newest), "node B heard that the credentials changed");
        Assert.Equal(generations[1], GatewayCluster.Generation(cluster.B, ConfigScope.Accounts));

        var (status, body) = await GatewayCluster.SendAsync(cluster.B, key);
        Assert.True(status == HttpStatusCode.OK, body);
        Assert.Equal(newest, Bearers(cluster)[^1]);
        Assert.Equal(2, oauth.GrantCount("refresh_token"));
    }

    private static JsonObject Credentials(string access, string refresh, TimeSpan expiresIn) => new()
    {
        ["access_token"] = access,
        ["refresh_token"] = refresh,
        ["expires_at"] = DateTimeOffset.UtcNow.Add(expiresIn).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
    };

    private static List<string> Bearers(GatewayCluster cluster) => [.. cluster.Upstream.Received
        .Select(r => r.Header("authorization") ?? "").Where(a => a.StartsWith("Bearer ", StringComparison.Ordinal)).Select(a => a["Bearer ".Length..])];

    private static async Task<string> LoginAsync(Sub2ApiFactory node)
    {
        using var client = GatewayCluster.Client(node);
        using var response = await client.PostAsJsonAsync("/api/v1/auth/login",
            new { email = Sub2ApiFactory.AdminEmail, password = Sub2ApiFactory.AdminPassword });
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return json.GetProperty("data").GetProperty("access_token").GetString()!;
    }
}
