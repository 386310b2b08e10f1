using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Sub2Api.Billing;
using Sub2Api.Data.Entities;
using Sub2Api.FunctionalTests.Infrastructure;

namespace Sub2Api.FunctionalTests.Relay;

/// <summary>
/// Billing (SPEC §5.2–§5.3): one usage row per request, the balance charged exactly (decimal equality), the
/// multiplier precedence, API-key quotas, simple mode, and the usage journal that makes recording survive a crash
/// without ever charging twice.
/// </summary>
public sealed class BillingTests
{
    // Sonnet 4.5: 1000×3e-6 + 500×15e-6 + 150×3.75e-6 + 50×6e-6 + 100×0.3e-6.
    private const decimal ExpectedCost = 0.0113925m;

    [Fact]
    public async Task Messages_MixedJsonAndStreams_OneRowEach_BalanceIsStartMinusSumOfActualCost()
    {
        await using var s = await RelayScenario.StartAsync();
        await s.AddApiKeyAccountAsync("ok");
        // Usage only in message_delta, and no 5m/1h split of cache creation in its streams: all 200 cache-creation
        // tokens are then billed at the 5m price (SPEC §5.2): 1000×3e-6 + 500×15e-6 + 200×3.75e-6 + 100×0.3e-6.
        var glm = await s.AddApiKeyAccountAsync("glm");
        const decimal glmStreamCost = 0.01128m;
        var (key, userId, keyId) = await s.AddUserWithKeyAsync(balance: 7.5m);

        for (var i = 0; i < 6; i++)
        {
            var (status, body) = await s.SendAsync(key, stream: i % 2 == 1);
            Assert.True(status == HttpStatusCode.OK, body);
        }
        await s.FlushUsageAsync();

        var rows = await s.UsageRowsAsync();
        Assert.Equal(6, rows.Count);
        Assert.Equal(6, rows.Select(r => r.RequestId).Distinct().Count());
        Assert.Equal(3, rows.Count(r => r.Stream));
        Assert.All(rows, r =>
        {
            var expected = r.Stream && r.AccountId == glm ? glmStreamCost : ExpectedCost;
            Assert.Equal(keyId, r.ApiKeyId);
            Assert.Equal(userId, r.UserId);
            Assert.Equal(s.GroupId, r.GroupId);
            Assert.Equal(FakeUpstream.InputTokens, r.InputTokens);
            Assert.Equal(FakeUpstream.OutputTokens, r.OutputTokens);
            Assert.Equal(FakeUpstream.CacheCreationTokens, r.CacheCreationTokens);
            Assert.Equal(FakeUpstream.CacheReadTokens, r.CacheReadTokens);
            Assert.Equal(expected, r.TotalCost);
            Assert.Equal(expected, r.ActualCost);
            Assert.Equal(1m, r.RateMultiplier);
            Assert.Equal(r.InputCost + r.OutputCost + r.CacheCreationCost + r.CacheReadCost, r.TotalCost);
        });
        var glmStreams = rows.Count(r => r.Stream && r.AccountId == glm);
        Assert.Equal(7.5m - rows.Sum(r => r.ActualCost), await s.BalanceAsync(userId));
        Assert.Equal(7.5m - ((6 - glmStreams) * ExpectedCost) - (glmStreams * glmStreamCost), await s.BalanceAsync(userId));
    }

    [Fact]
    public async Task Messages_GroupRate_ThenUserGroupRate_TakePrecedenceInThatOrder()
    {
        await using var s = await RelayScenario.StartAsync(groupRateMultiplier: 1.5m);
        await s.AddApiKeyAccountAsync("ok");
        var (groupKey, groupUser, _) = await s.AddUserWithKeyAsync(balance: 1m);
        var (personalKey, personalUser, _) = await s.AddUserWithKeyAsync(balance: 1m);
        await s.App.WithDbAsync(async db =>
        {
            db.UserGroupRateMultipliers.Add(new UserGroupRateMultiplier { UserId = personalUser, GroupId = s.GroupId, Rate = 0.5m });
            await db.SaveChangesAsync();
        });

        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(groupKey)).Status);
        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(personalKey, stream: true)).Status);
        await s.FlushUsageAsync();

        var rows = await s.UsageRowsAsync();
        var byGroupRate = rows.Single(r => r.UserId == groupUser);
        Assert.Equal(1.5m, byGroupRate.RateMultiplier);
        Assert.Equal(ExpectedCost, byGroupRate.TotalCost);
        Assert.Equal(0.01708875m, byGroupRate.ActualCost);
        Assert.Equal(1m - 0.01708875m, await s.BalanceAsync(groupUser));

        var byUserRate = rows.Single(r => r.UserId == personalUser);
        Assert.Equal(0.5m, byUserRate.RateMultiplier);
        Assert.Equal(ExpectedCost, byUserRate.TotalCost);
        Assert.Equal(0.00569625m, byUserRate.ActualCost);
        Assert.Equal(1m - 0.00569625m, await s.BalanceAsync(personalUser));
    }

    [Fact]
    public async Task Messages_KeyQuota_ExhaustedAfterTwoRequests_ThirdGets429()
    {
        await using var s = await RelayScenario.StartAsync();
        await s.AddApiKeyAccountAsync("ok");
        var (key, userId, keyId) = await s.AddUserWithKeyAsync(balance: 5m, configureKey: k => k.Quota = 0.02m);

        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(key)).Status);
        await s.FlushUsageAsync();
        var apiKey = await s.App.WithDbAsync(db => db.ApiKeys.AsNoTracking().FirstAsync(k => k.Id == keyId));
        Assert.Equal(ExpectedCost, apiKey.QuotaUsed);
        Assert.Equal(Statuses.Active, apiKey.Status);

        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(key, stream: true)).Status);
        await s.FlushUsageAsync();
        apiKey = await s.App.WithDbAsync(db => db.ApiKeys.AsNoTracking().FirstAsync(k => k.Id == keyId));
        Assert.Equal(2 * ExpectedCost, apiKey.QuotaUsed);
        Assert.Equal(Statuses.QuotaExhausted, apiKey.Status);

        var (status, body) = await s.SendAsync(key);
        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        using var json = JsonDocument.Parse(body);
        Assert.Equal("API_KEY_QUOTA_EXHAUSTED", json.RootElement.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(2, s.Upstream.Received.Count);
        Assert.Equal(5m - (2 * ExpectedCost), await s.BalanceAsync(userId));
    }

    [Fact]
    public async Task Messages_TwentyConcurrentRequestsOfOneUser_ExactlyTwentyRowsAndExactBalance()
    {
        await using var s = await RelayScenario.StartAsync();
        await s.AddApiKeyAccountAsync("ok", concurrency: 10);
        await s.AddApiKeyAccountAsync("ok", concurrency: 10);
        var (key, userId, _) = await s.AddUserWithKeyAsync(balance: 3m, concurrency: 20);

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => s.SendAsync(key, stream: i % 2 == 0)));
        Assert.All(results, r => Assert.Equal(HttpStatusCode.OK, r.Status));
        await s.FlushUsageAsync();

        var rows = await s.UsageRowsAsync();
        Assert.Equal(20, rows.Count);
        Assert.Equal(20, rows.Select(r => r.RequestId).Distinct().Count());
        Assert.Equal(3m - (20 * ExpectedCost), await s.BalanceAsync(userId));
    }

    [Fact]
    public async Task Messages_BalanceRunsOut_NextRequestRefusedWithoutWaitingForTheDatabase()
    {
        await using var s = await RelayScenario.StartAsync();
        await s.AddApiKeyAccountAsync("ok");
        var (key, userId, _) = await s.AddUserWithKeyAsync(balance: 0.02m);

        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(key)).Status); // 0.0086075 left
        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(key)).Status); // still > 0 before: may end below zero
        var (status, body) = await s.SendAsync(key);

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("INSUFFICIENT_BALANCE", body, StringComparison.Ordinal);
        await s.FlushUsageAsync();
        Assert.Equal(0.02m - (2 * ExpectedCost), await s.BalanceAsync(userId));
        Assert.Equal(2, s.Upstream.Received.Count);
    }

    [Fact]
    public async Task Messages_SimpleMode_RecordsUsageWithoutCharging()
    {
        await using var s = await RelayScenario.StartAsync(new Dictionary<string, string?> { ["RUN_MODE"] = "simple" });
        await s.AddApiKeyAccountAsync("ok");
        var (key, userId, keyId) = await s.AddUserWithKeyAsync(balance: 0m, configureKey: k => k.Quota = 5m);

        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(key)).Status); // no balance needed
        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(key, stream: true)).Status);
        await s.FlushUsageAsync();

        var rows = await s.UsageRowsAsync();
        Assert.Equal(2, rows.Count);
        Assert.All(rows, r => Assert.Equal(ExpectedCost, r.ActualCost)); // logged with its cost…
        Assert.Equal(0m, await s.BalanceAsync(userId)); // …but not charged
        Assert.Equal(0m, await s.App.WithDbAsync(db => db.ApiKeys.Where(k => k.Id == keyId).Select(k => k.QuotaUsed).FirstAsync()));
    }

    [Fact]
    public async Task Journal_AfterFlush_IsEmpty()
    {
        await using var s = await RelayScenario.StartAsync();
        await s.AddApiKeyAccountAsync("ok");
        var (key, _, _) = await s.AddUserWithKeyAsync();

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(key, stream: i == 1)).Status);
        }
        await s.FlushUsageAsync();

        // Committed segments are deleted; what is left is the open, empty segment.
        var journal = Assert.Single(Directory.GetFiles(s.App.DataDir, UsageJournal.FilePattern));
        Assert.True(File.ReadAllBytes(journal).AsSpan().IndexOfAnyExcept((byte)0) < 0, "the open segment must hold no record");
        Assert.Equal(3, (await s.UsageRowsAsync()).Count);
    }

    [Fact]
    public async Task Journal_LineLeftByACrash_IsReplayedOnStart_AndNeverChargedTwice()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "sub2api-journal-" + Guid.NewGuid().ToString("N"));
        try
        {
            long userId, keyId, accountId;
            await using (var first = await RelayScenario.StartAsync(dataDir: dataDir))
            {
                accountId = await first.AddApiKeyAccountAsync("ok");
                (_, userId, keyId) = await first.AddUserWithKeyAsync(balance: 2m);
            }
            var record = new UsageRecord
            {
                RequestId = "crashed-" + Guid.NewGuid().ToString("N")[..8],
                UserId = userId,
                ApiKeyId = keyId,
                AccountId = accountId,
                Model = "claude-sonnet-4-5",
                Tokens = new TokenUsage(FakeUpstream.InputTokens, FakeUpstream.OutputTokens, FakeUpstream.CacheCreationTokens,
                    FakeUpstream.CacheReadTokens, FakeUpstream.CacheCreation5m, FakeUpstream.CacheCreation1h),
                Cost = new CostBreakdown(0.003m, 0.0075m, 0.0008625m, 0.00003m, ExpectedCost, ExpectedCost),
                Stream = true,
                CreatedAt = DateTime.UtcNow,
            };
            var line = JsonSerializer.Serialize(record) + "\n";
            // The single journal file of the previous version; segments of this one are read the same way.
            var journalPath = Path.Combine(dataDir, "usage-journal.jsonl");
            await File.WriteAllTextAsync(journalPath, line);

            await using (var second = await RelayScenario.StartAsync(dataDir: dataDir))
            {
                await second.FlushUsageAsync();
                var row = Assert.Single(await second.UsageRowsAsync());
                Assert.Equal(record.RequestId, row.RequestId);
                Assert.Equal(ExpectedCost, row.ActualCost);
                Assert.Equal(2m - ExpectedCost, await second.BalanceAsync(userId));
                Assert.False(File.Exists(journalPath)); // replayed and committed: deleted
            }

            // The same line again (a crash after the commit but before the delete): written once, charged once.
            journalPath = Path.Combine(dataDir, "usage-journal-000000007.jsonl");
            await File.WriteAllTextAsync(journalPath, line);
            await using (var third = await RelayScenario.StartAsync(dataDir: dataDir))
            {
                await third.FlushUsageAsync();
                Assert.Single(await third.UsageRowsAsync());
                Assert.Equal(2m - ExpectedCost, await third.BalanceAsync(userId));
                Assert.False(File.Exists(journalPath));
                // New segments are numbered after the highest one found, never reusing a name.
                Assert.Contains(Directory.GetFiles(dataDir, UsageJournal.FilePattern), f => f.EndsWith("-000000008.jsonl", StringComparison.Ordinal));
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dataDir, recursive: true);
        }
    }
}
