using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Sub2Api.Accounts;
using Sub2Api.Security;

namespace Sub2Api.UnitTests.Accounts;

/// <summary>
/// The credential record, the store's "never go back to an older version" rule, the merge of a refresh into the
/// stored credentials, and the merge of an admin's edit made from a page that predates a refresh.
/// </summary>
public sealed class AccountCredentialsTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);

    [Theory]
    [InlineData("1800000000")]
    [InlineData("1800000000000")]
    [InlineData("\"1800000000\"")]
    [InlineData("\"2027-01-15T08:00:00Z\"")]
    public void ExpiresAt_IsReadInEveryFormItArrivesIn(string json)
    {
        var parsed = AccountCredentials.ParseTime(JsonNode.Parse(json));
        Assert.NotNull(parsed);
        Assert.True(parsed!.Value.Year is 2027, parsed.ToString());
    }

    [Fact]
    public void ExpiresWithin_ComparesTheRemainingTime()
    {
        var credentials = new AccountCredentials("a", "r", Now.AddMinutes(2), 0);
        Assert.True(credentials.ExpiresWithin(TimeSpan.FromMinutes(3), Now));
        Assert.False(credentials.ExpiresWithin(TimeSpan.FromMinutes(1), Now));
        Assert.False(credentials.IsExpired(Now));
        Assert.True(credentials.IsExpired(Now.AddMinutes(2)));
        Assert.False(new AccountCredentials("a", "r", null, 0).ExpiresWithin(TimeSpan.FromDays(1), Now));
    }

    [Fact]
    public void ToString_NeverPrintsATokenSecret()
    {
        var text = new AccountCredentials("sk-ant-oat01-secret-access", "sk-ant-ort01-secret-refresh", Now, 5).ToString();
        Assert.DoesNotContain("secret", text, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", new RefreshedTokens("sk-secret-a", "sk-secret-r", 3600).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Store_KeepsTheNewerVersion_WhateverOrderCopiesArriveIn()
    {
        var store = new AccountCredentialStore(null!, null!, NullLogger<AccountCredentialStore>.Instance);
        var rotated = new AccountCredentials("new", "r2", Now.AddHours(8), 2000);
        var stale = new AccountCredentials("old", "r1", Now.AddMinutes(1), 1000);

        Assert.Same(rotated, store.Offer(1, rotated));
        Assert.Same(rotated, store.Offer(1, stale)); // a pool rebuild that read the row before the refresh
        Assert.Same(rotated, store.Get(1));
        var admin = rotated with { AccessToken = "pasted", Version = 2000 };
        Assert.Same(admin, store.Offer(1, admin)); // an unstamped write of the same version is taken
        Assert.Null(store.Get(2));
    }

    [Fact]
    public void RefreshMerge_ReplacesTheTokensTogether_AndKeepsEveryOtherField()
    {
        var stored = new JsonObject
        {
            ["access_token"] = "old-access",
            ["refresh_token"] = "old-refresh",
            ["expires_at"] = "1700000000",
            ["_token_version"] = Now.ToUnixTimeMilliseconds() + 5000, // another node's clock ran ahead
            ["model_mapping"] = new JsonObject { ["a"] = "b" },
            ["temp_unschedulable_rules"] = new JsonArray(1, 2),
        };

        var merged = TokenRefreshService.Merge(stored, new RefreshedTokens("new-access", "new-refresh", 28_800, "Bearer", "user:inference"), Now,
            AccountCredentials.From(stored).Version);

        Assert.Equal("new-access", merged["access_token"]!.GetValue<string>());
        Assert.Equal("new-refresh", merged["refresh_token"]!.GetValue<string>());
        Assert.Equal(Now.AddSeconds(28_800), AccountCredentials.ParseTime(merged["expires_at"]));
        Assert.Equal(28_800, merged["expires_in"]!.GetValue<long>());
        Assert.Equal(Now.ToUnixTimeMilliseconds() + 5001, merged["_token_version"]!.GetValue<long>());
        Assert.Equal("b", merged["model_mapping"]!["a"]!.GetValue<string>());
        Assert.Equal(2, merged["temp_unschedulable_rules"]!.AsArray().Count);
        Assert.Equal("old-access", stored["access_token"]!.GetValue<string>()); // the input is not modified
    }

    [Fact]
    public void RefreshMerge_WithoutARotatedRefreshToken_KeepsTheStoredOne()
    {
        var stored = new JsonObject { ["access_token"] = "a", ["refresh_token"] = "keep-me" };
        var merged = TokenRefreshService.Merge(stored, new RefreshedTokens("b", null, 3600), Now, 0);
        Assert.Equal("keep-me", merged["refresh_token"]!.GetValue<string>());
    }

    [Fact]
    public void AdminMerge_FromAPageLoadedBeforeARefresh_KeepsTheStoredTokens_AndStampsANewerVersion()
    {
        var before = new JsonObject { ["access_token"] = "sk-ant-oat01-before-refresh", ["refresh_token"] = "sk-ant-ort01-before-refresh",
            ["expires_at"] = 1_700_000_000, ["_token_version"] = 10, ["note"] = "x" };
        var page = CredentialsCodec.Mask(before);
        var now = new JsonObject { ["access_token"] = "sk-ant-oat01-after-refresh", ["refresh_token"] = "sk-ant-ort01-after-refresh",
            ["expires_at"] = 1_800_000_000, ["_token_version"] = Now.ToUnixTimeMilliseconds() + 20, ["note"] = "x" };
        page["note"] = "edited";

        var merged = CredentialsUpdate.Merge(now, page, Now);

        Assert.Equal("sk-ant-oat01-after-refresh", merged["access_token"]!.GetValue<string>());
        Assert.Equal("sk-ant-ort01-after-refresh", merged["refresh_token"]!.GetValue<string>());
        Assert.Equal(Now.ToUnixTimeMilliseconds() + 21, merged["_token_version"]!.GetValue<long>());
        Assert.Equal("edited", merged["note"]!.GetValue<string>());
    }

    [Fact]
    public void AdminMerge_WithNewTokens_TakesThemAndStampsANewerVersion()
    {
        var stored = new JsonObject { ["access_token"] = "old", ["refresh_token"] = "old-r", ["_token_version"] = 10 };
        var incoming = new JsonObject { ["access_token"] = "pasted-new", ["refresh_token"] = "pasted-new-r", ["expires_at"] = 1_900_000_000L };

        var merged = CredentialsUpdate.Merge(stored, incoming, Now);

        Assert.Equal("pasted-new", merged["access_token"]!.GetValue<string>());
        Assert.Equal(1_900_000_000, merged["expires_at"]!.GetValue<long>());
        Assert.Equal(Now.ToUnixTimeMilliseconds(), merged["_token_version"]!.GetValue<long>());
    }
}
