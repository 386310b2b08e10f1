using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Sub2Api.Data.Entities;
using Sub2Api.FunctionalTests.Infrastructure;
using Sub2Api.Security;
using Group = Sub2Api.Data.Entities.Group;

namespace Sub2Api.FunctionalTests.UserPortal;

public sealed partial class KeysApiTests
{
    [Fact]
    public async Task Create_Generated_ReturnsFullKeyOnceAndListShowsOnlyHint()
    {
        await using var app = new Sub2ApiFactory();
        var (user, userId) = await app.AddUserAsync("u@example.com");

        var created = (await user.PostAsync("/api/v1/keys", new { name = "my key" })).Data;
        var key = created.GetProperty("key").GetString()!;
        Assert.Matches(GeneratedKey(), key);
        Assert.Equal(userId, created.GetProperty("user_id").GetInt64());
        Assert.Equal("active", created.GetProperty("status").GetString());
        Assert.Equal(0m, created.GetProperty("quota").GetDecimal());
        Assert.Equal(JsonValueKind.Null, created.GetProperty("group").ValueKind);
        Assert.Equal(JsonValueKind.Null, created.GetProperty("expires_at").ValueKind);

        var id = created.GetProperty("id").GetInt64();
        var listed = (await user.GetAsync("/api/v1/keys")).Data.GetProperty("items")[0];
        var fetched = (await user.GetAsync($"/api/v1/keys/{id}")).Data;
        foreach (var shown in new[] { listed, fetched })
        {
            var hint = shown.GetProperty("key").GetString()!;
            Assert.NotEqual(key, hint);
            Assert.StartsWith("sk-", hint);
            Assert.EndsWith(key[^4..], hint);
            Assert.True(hint.Length < 20, hint);
        }
    }

    [Fact]
    public async Task Create_Generated_DatabaseHoldsNoPlaintextKey()
    {
        await using var app = new Sub2ApiFactory();
        var (user, _) = await app.AddUserAsync("u@example.com");
        var key = (await user.PostAsync("/api/v1/keys", new { name = "k" })).Data.GetProperty("key").GetString()!;
        var custom = (await user.PostAsync("/api/v1/keys", new { name = "c", custom_key = "my_custom-key-0123456789" })).Data
            .GetProperty("key").GetString()!;
        Assert.Equal("my_custom-key-0123456789", custom);

        var rows = await app.WithDbAsync(db => db.ApiKeys.IgnoreQueryFilters().ToListAsync());
        Assert.Equal(2, rows.Count);
        foreach (var row in rows)
        {
            foreach (var secret in new[] { key, custom })
            {
                Assert.DoesNotContain(secret, row.KeyHash, StringComparison.Ordinal);
                Assert.DoesNotContain(secret, row.KeyHint, StringComparison.Ordinal);
            }
        }
        // Nothing on disk either (database, WAL, journal).
        foreach (var file in Directory.EnumerateFiles(app.DataDir, "*", SearchOption.AllDirectories))
        {
            // SQLite removes its -shm file when the last connection closes; a committed journal segment is deleted.
            if (await ReadSharedAsync(file) is not { } bytes)
            {
                continue;
            }
            Assert.DoesNotContain(key, bytes, StringComparison.Ordinal);
            Assert.DoesNotContain(custom, bytes, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("short-key-123")]
    [InlineData("has spaces in the key!!")]
    [InlineData("unicode-ключ-0123456789")]
    public async Task Create_InvalidCustomKey_Is400NamingCustomKey(string customKey)
    {
        await using var app = new Sub2ApiFactory();
        var (user, _) = await app.AddUserAsync("u@example.com");
        var result = await user.PostAsync("/api/v1/keys", new { name = "k", custom_key = customKey });
        result.ShouldFail(HttpStatusCode.BadRequest);
        Assert.Contains("custom_key", result.Message);
    }

    [Fact]
    public async Task Create_DuplicateCustomKey_Is409EvenAcrossUsersAndAfterDelete()
    {
        await using var app = new Sub2ApiFactory();
        var (alice, _) = await app.AddUserAsync("alice@example.com");
        var (bob, _) = await app.AddUserAsync("bob@example.com");
        const string Custom = "shared-custom-key-0001";
        var id = (await alice.PostAsync("/api/v1/keys", new { name = "a", custom_key = Custom })).Data.GetProperty("id").GetInt64();

        (await alice.PostAsync("/api/v1/keys", new { name = "again", custom_key = Custom })).ShouldFail(HttpStatusCode.Conflict);
        (await bob.PostAsync("/api/v1/keys", new { name = "b", custom_key = Custom })).ShouldFail(HttpStatusCode.Conflict);
        _ = (await alice.DeleteAsync($"/api/v1/keys/{id}")).Data;
        (await bob.PostAsync("/api/v1/keys", new { name = "b", custom_key = Custom })).ShouldFail(HttpStatusCode.Conflict);
    }

    [Theory]
    [InlineData("{}", "name")]
    [InlineData("""{"name":"k","quota":-1}""", "quota")]
    [InlineData("""{"name":"k","expires_in_days":0}""", "expires_in_days")]
    [InlineData("""{"name":"k","expires_in_days":36501}""", "expires_in_days")]
    [InlineData("""{"name":"k","quota":"lots"}""", "quota")]
    [InlineData("""{"name":"k","ip_whitelist":["10.0.0.1","not-an-ip"]}""", "ip_whitelist")]
    [InlineData("""{"name":"k","ip_blacklist":["10.0.0.0/33"]}""", "ip_blacklist")]
    [InlineData("""{"name":"k","ip_blacklist":["10"]}""", "ip_blacklist")]
    [InlineData("""{"name":"k","group_id":999}""", "group_id")]
    public async Task Create_InvalidField_Is400NamingTheField(string body, string field)
    {
        await using var app = new Sub2ApiFactory();
        var (user, _) = await app.AddUserAsync("u@example.com");
        var result = await user.SendRawAsync(HttpMethod.Post, "/api/v1/keys", body);
        result.ShouldFail(HttpStatusCode.BadRequest);
        Assert.Contains(field, result.Message);
    }

    [Fact]
    public async Task Create_IpListsQuotaAndExpiry_AreStoredNormalized()
    {
        await using var app = new Sub2ApiFactory();
        var (user, _) = await app.AddUserAsync("u@example.com");
        var before = DateTime.UtcNow;
        var created = (await user.PostAsync("/api/v1/keys", new
        {
            name = "  limited  ",
            ip_whitelist = new[] { " 10.0.0.1 ", "", "192.168.0.0/16", "2001:db8::/32", "::1" },
            ip_blacklist = new[] { "10.0.0.9" },
            quota = 12.3456789012m,
            expires_in_days = 30,
        })).Data;
        Assert.Equal("limited", created.GetProperty("name").GetString());
        Assert.Equal(["10.0.0.1", "192.168.0.0/16", "2001:db8::/32", "::1"], Strings(created.GetProperty("ip_whitelist")));
        Assert.Equal(["10.0.0.9"], Strings(created.GetProperty("ip_blacklist")));
        Assert.Equal(12.3456789012m, created.GetProperty("quota").GetDecimal());
        var expires = created.GetProperty("expires_at").GetDateTime();
        Assert.InRange(expires, before.AddDays(30).AddMinutes(-1), DateTime.UtcNow.AddDays(30).AddMinutes(1));
    }

    [Fact]
    public async Task Create_GroupBinding_FollowsExclusiveAndSubscriptionRules()
    {
        await using var app = new Sub2ApiFactory();
        var (user, userId) = await app.AddUserAsync("u@example.com");
        var open = await app.AddGroupAsync("open");
        var exclusive = await app.AddGroupAsync("exclusive", g => g.IsExclusive = true);
        var allowed = await app.AddGroupAsync("allowed", g => g.IsExclusive = true);
        var subscription = await app.AddGroupAsync("sub", g => g.SubscriptionType = SubscriptionTypes.Subscription);
        var inactive = await app.AddGroupAsync("off", g => g.Status = Statuses.Disabled);
        await app.WithDbAsync(db =>
        {
            db.UserAllowedGroups.Add(new UserAllowedGroup { UserId = userId, GroupId = allowed });
            return db.SaveChangesAsync();
        });

        var bound = (await user.PostAsync("/api/v1/keys", new { name = "k", group_id = open })).Data;
        Assert.Equal(open, bound.GetProperty("group_id").GetInt64());
        var group = bound.GetProperty("group");
        Assert.Equal("open", group.GetProperty("name").GetString());
        Assert.Equal("anthropic", group.GetProperty("platform").GetString());
        Assert.Equal(1m, group.GetProperty("rate_multiplier").GetDecimal());
        Assert.Equal("standard", group.GetProperty("subscription_type").GetString());
        _ = (await user.PostAsync("/api/v1/keys", new { name = "k", group_id = allowed })).Data;

        var refused = await user.PostAsync("/api/v1/keys", new { name = "k", group_id = exclusive });
        refused.ShouldFail(HttpStatusCode.Forbidden);
        Assert.Contains("group_id", refused.Message);
        var noSubscription = await user.PostAsync("/api/v1/keys", new { name = "k", group_id = subscription });
        noSubscription.ShouldFail(HttpStatusCode.Forbidden);
        Assert.Contains("subscription", noSubscription.Message);
        (await user.PostAsync("/api/v1/keys", new { name = "k", group_id = inactive })).ShouldFail(HttpStatusCode.BadRequest);

        await app.AddSubscriptionAsync(userId, subscription, DateTime.UtcNow.AddDays(-1));
        (await user.PostAsync("/api/v1/keys", new { name = "k", group_id = subscription })).ShouldFail(HttpStatusCode.Forbidden);
        await app.AddSubscriptionAsync(userId, subscription, DateTime.UtcNow.AddDays(30));
        _ = (await user.PostAsync("/api/v1/keys", new { name = "k", group_id = subscription })).Data;
    }

    [Fact]
    public async Task AnotherUsersKey_GetUpdateDelete_Are404()
    {
        await using var app = new Sub2ApiFactory();
        var (alice, _) = await app.AddUserAsync("alice@example.com");
        var (bob, _) = await app.AddUserAsync("bob@example.com");
        var id = (await alice.PostAsync("/api/v1/keys", new { name = "a" })).Data.GetProperty("id").GetInt64();

        (await bob.GetAsync($"/api/v1/keys/{id}")).ShouldFail(HttpStatusCode.NotFound);
        (await bob.PutAsync($"/api/v1/keys/{id}", new { name = "stolen" })).ShouldFail(HttpStatusCode.NotFound);
        (await bob.DeleteAsync($"/api/v1/keys/{id}")).ShouldFail(HttpStatusCode.NotFound);
        (await bob.GetAsync("/api/v1/keys/987654")).ShouldFail(HttpStatusCode.NotFound);
        Assert.Equal(0, (await bob.GetAsync("/api/v1/keys")).Data.GetProperty("total").GetInt64());
        Assert.Equal("a", (await alice.GetAsync($"/api/v1/keys/{id}")).Data.GetProperty("name").GetString());
    }

    [Fact]
    public async Task List_Paginated_NewestFirstOwnKeysOnly()
    {
        await using var app = new Sub2ApiFactory();
        var (alice, _) = await app.AddUserAsync("alice@example.com");
        var (bob, _) = await app.AddUserAsync("bob@example.com");
        for (var i = 1; i <= 3; i++)
        {
            _ = (await alice.PostAsync("/api/v1/keys", new { name = $"k{i}" })).Data;
        }
        _ = (await bob.PostAsync("/api/v1/keys", new { name = "bob" })).Data;

        var page = (await alice.GetAsync("/api/v1/keys?page=1&page_size=2")).Data;
        Assert.Equal(3, page.GetProperty("total").GetInt64());
        Assert.Equal(1, page.GetProperty("page").GetInt32());
        Assert.Equal(2, page.GetProperty("page_size").GetInt32());
        Assert.Equal(2, page.GetProperty("pages").GetInt32());
        Assert.Equal(["k3", "k2"], page.GetProperty("items").EnumerateArray().Select(k => k.GetProperty("name").GetString()));
        var second = (await alice.GetAsync("/api/v1/keys?page=2&page_size=2")).Data.GetProperty("items");
        Assert.Equal("k1", Assert.Single(second.EnumerateArray()).GetProperty("name").GetString());
        (await alice.GetAsync("/api/v1/keys?page=0")).ShouldFail(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Update_ChangesFieldsAndStatus_InactiveStoredAsDisabled()
    {
        await using var app = new Sub2ApiFactory();
        var (user, _) = await app.AddUserAsync("u@example.com");
        var group = await app.AddGroupAsync("g");
        var id = (await user.PostAsync("/api/v1/keys", new { name = "k", expires_in_days = 5, group_id = group })).Data.GetProperty("id").GetInt64();

        var updated = (await user.PutAsync($"/api/v1/keys/{id}", new
        {
            name = "renamed", status = "inactive", ip_blacklist = new[] { "1.2.3.4" }, quota = 5m, expires_at = "2031-01-02T03:04:05Z",
        })).Data;
        Assert.Equal("renamed", updated.GetProperty("name").GetString());
        Assert.Equal("disabled", updated.GetProperty("status").GetString());
        Assert.Equal(["1.2.3.4"], Strings(updated.GetProperty("ip_blacklist")));
        Assert.Equal(5m, updated.GetProperty("quota").GetDecimal());
        Assert.Equal(new DateTime(2031, 1, 2, 3, 4, 5, DateTimeKind.Utc), updated.GetProperty("expires_at").GetDateTime().ToUniversalTime());
        Assert.Equal(group, updated.GetProperty("group_id").GetInt64());

        var cleared = (await user.SendRawAsync(HttpMethod.Put, $"/api/v1/keys/{id}", """{"expires_at":null,"group_id":null,"status":"active"}""")).Data;
        Assert.Equal(JsonValueKind.Null, cleared.GetProperty("expires_at").ValueKind);
        Assert.Equal(JsonValueKind.Null, cleared.GetProperty("group_id").ValueKind);
        Assert.Equal("active", cleared.GetProperty("status").GetString());
        var stored = await app.WithDbAsync(db => db.ApiKeys.SingleAsync(k => k.Id == id));
        Assert.Equal("active", stored.Status);
        Assert.Null(stored.ExpiresAt);
    }

    [Theory]
    [InlineData("""{"status":"quota_exhausted"}""", "status")]
    [InlineData("""{"name":""}""", "name")]
    [InlineData("""{"expires_at":"tomorrow"}""", "expires_at")]
    [InlineData("""{"expires_at":12}""", "expires_at")]
    [InlineData("""{"group_id":"abc"}""", "group_id")]
    [InlineData("""{"ip_whitelist":["300.1.1.1"]}""", "ip_whitelist")]
    [InlineData("""{"reset_quota":"yes"}""", "reset_quota")]
    public async Task Update_InvalidField_Is400NamingTheField(string body, string field)
    {
        await using var app = new Sub2ApiFactory();
        var (user, _) = await app.AddUserAsync("u@example.com");
        var id = (await user.PostAsync("/api/v1/keys", new { name = "k" })).Data.GetProperty("id").GetInt64();
        var result = await user.SendRawAsync(HttpMethod.Put, $"/api/v1/keys/{id}", body);
        result.ShouldFail(HttpStatusCode.BadRequest);
        Assert.Contains(field, result.Message);
    }

    [Fact]
    public async Task Update_ResetQuota_ZeroesUsageAndReactivatesExhaustedKey()
    {
        await using var app = new Sub2ApiFactory();
        var (user, _) = await app.AddUserAsync("u@example.com");
        var id = (await user.PostAsync("/api/v1/keys", new { name = "k", quota = 1m })).Data.GetProperty("id").GetInt64();
        await app.WithDbAsync(async db =>
        {
            var key = await db.ApiKeys.SingleAsync(k => k.Id == id);
            key.QuotaUsed = 1.0000000001m;
            key.Status = Statuses.QuotaExhausted;
            await db.SaveChangesAsync();
        });
        var renamed = (await user.PutAsync($"/api/v1/keys/{id}", new { name = "still exhausted" })).Data;
        Assert.Equal("quota_exhausted", renamed.GetProperty("status").GetString());
        Assert.Equal(1.0000000001m, renamed.GetProperty("quota_used").GetDecimal());

        var reset = (await user.PutAsync($"/api/v1/keys/{id}", new { reset_quota = true })).Data;
        Assert.Equal(0m, reset.GetProperty("quota_used").GetDecimal());
        Assert.Equal("active", reset.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Update_ToForbiddenGroup_Is403AndKeyUnchanged()
    {
        await using var app = new Sub2ApiFactory();
        var (user, _) = await app.AddUserAsync("u@example.com");
        var exclusive = await app.AddGroupAsync("vip", g => g.IsExclusive = true);
        var id = (await user.PostAsync("/api/v1/keys", new { name = "k" })).Data.GetProperty("id").GetInt64();
        (await user.PutAsync($"/api/v1/keys/{id}", new { group_id = exclusive, name = "x" })).ShouldFail(HttpStatusCode.Forbidden);
        var key = (await user.GetAsync($"/api/v1/keys/{id}")).Data;
        Assert.Equal("k", key.GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Null, key.GetProperty("group_id").ValueKind);
    }

    [Fact]
    public async Task Delete_SoftDeletes_AndKeyDisappears()
    {
        await using var app = new Sub2ApiFactory();
        var (user, _) = await app.AddUserAsync("u@example.com");
        var id = (await user.PostAsync("/api/v1/keys", new { name = "k" })).Data.GetProperty("id").GetInt64();
        _ = (await user.DeleteAsync($"/api/v1/keys/{id}")).Data;

        (await user.GetAsync($"/api/v1/keys/{id}")).ShouldFail(HttpStatusCode.NotFound);
        (await user.DeleteAsync($"/api/v1/keys/{id}")).ShouldFail(HttpStatusCode.NotFound);
        Assert.Equal(0, (await user.GetAsync("/api/v1/keys")).Data.GetProperty("total").GetInt64());
        var row = await app.WithDbAsync(db => db.ApiKeys.IgnoreQueryFilters().SingleAsync(k => k.Id == id));
        Assert.NotNull(row.DeletedAt);
    }

    [Fact]
    public async Task Keys_WithoutToken_Is401()
    {
        await using var app = new Sub2ApiFactory();
        (await app.Api().GetAsync("/api/v1/keys")).ShouldFail(HttpStatusCode.Unauthorized);
        (await app.Api().PostAsync("/api/v1/keys", new { name = "k" })).ShouldFail(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Get_NonNumericId_Is400()
    {
        await using var app = new Sub2ApiFactory();
        var (user, _) = await app.AddUserAsync("u@example.com");
        (await user.GetAsync("/api/v1/keys/abc")).ShouldFail(HttpStatusCode.BadRequest);
    }

    private static string[] Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).ToArray();

    /// <summary>The file's bytes as Latin-1 text, or null when it was deleted since it was listed.</summary>
    private static async Task<string?> ReadSharedAsync(string path)
    {
        try
        {
            await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream, Encoding.Latin1);
            return await reader.ReadToEndAsync();
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    [GeneratedRegex("^sk-[0-9a-f]{64}$")]
    private static partial Regex GeneratedKey();
}

/// <summary>
/// Arranges rows directly, so these tests do not depend on the admin users/groups APIs.
/// Shared by the UserPortal and Admin usage tests.
/// </summary>
internal static class PortalArrange
{
    public const string Password = "user-password-1";

    public static async Task<(ApiClient Client, long UserId)> AddUserAsync(this Sub2ApiFactory app, string email,
        string role = Roles.User, DateTime? createdAt = null)
    {
        var id = await app.WithDbAsync(async db =>
        {
            var user = new User { Email = email, PasswordHash = PasswordHasher.Hash(Password), Role = role };
            if (createdAt is { } created)
            {
                user.CreatedAt = created;
            }
            db.Users.Add(user);
            await db.SaveChangesAsync();
            return user.Id;
        });
        return (app.Api().WithToken(await app.LoginAsync(email, Password)), id);
    }

    public static Task<long> AddGroupAsync(this Sub2ApiFactory app, string name, Action<Group>? configure = null) =>
        app.WithDbAsync(async db =>
        {
            var group = new Group { Name = name };
            configure?.Invoke(group);
            db.Groups.Add(group);
            await db.SaveChangesAsync();
            return group.Id;
        });

    public static Task AddSubscriptionAsync(this Sub2ApiFactory app, long userId, long groupId, DateTime expiresAt,
        string status = Statuses.Active) =>
        app.WithDbAsync(db =>
        {
            db.UserSubscriptions.Add(new UserSubscription
            {
                UserId = userId, GroupId = groupId, StartsAt = DateTime.UtcNow.AddDays(-60), ExpiresAt = expiresAt,
                Status = status, AssignedAt = DateTime.UtcNow,
            });
            return db.SaveChangesAsync();
        });

    public static Task<long> AddKeyAsync(this Sub2ApiFactory app, long userId, string name = "k") =>
        app.WithDbAsync(async db =>
        {
            var key = new ApiKey { UserId = userId, Name = name, KeyHash = Guid.NewGuid().ToString("N"), KeyHint = "sk-test…0000" };
            db.ApiKeys.Add(key);
            await db.SaveChangesAsync();
            return key.Id;
        });

    public static Task AddUsageAsync(this Sub2ApiFactory app, params UsageLog[] rows) =>
        app.WithDbAsync(db =>
        {
            db.UsageLogs.AddRange(rows);
            return db.SaveChangesAsync();
        });

    /// <summary>A usage row with sensible defaults; callers set what the test is about.</summary>
    public static UsageLog Usage(long userId, long apiKeyId, DateTime createdAt, decimal totalCost = 0m, decimal actualCost = 0m,
        long input = 0, long output = 0, string model = "claude-sonnet-4-5", int? durationMs = null) => new()
        {
            UserId = userId,
            ApiKeyId = apiKeyId,
            AccountId = 1,
            RequestId = Guid.NewGuid().ToString("N"),
            Model = model,
            InputTokens = input,
            OutputTokens = output,
            TotalCost = totalCost,
            ActualCost = actualCost,
            DurationMs = durationMs,
            CreatedAt = createdAt,
        };
}
