using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Sub2Api.Billing;
using Sub2Api.Data.Entities;
using Sub2Api.FunctionalTests.Infrastructure;
using Sub2Api.Security;

namespace Sub2Api.FunctionalTests.Relay.OpenAI;

/// <summary>
/// The gateway on a real socket with an OpenAI group, one OpenAI API-key account whose <c>base_url</c> is the fake
/// upstream's root URL, and a user (balance <c>5</c>) with a key bound to that group: what a real client needs to go
/// through the gateway. <see cref="Target"/> is what the real-client tests point their client at.
/// </summary>
internal sealed class OpenAIGateway : IAsyncDisposable
{
    private OpenAIGateway(Sub2ApiFactory app, OpenAIClientTarget target, long groupId, long accountId, long userId)
    {
        App = app;
        Target = target;
        GroupId = groupId;
        AccountId = accountId;
        UserId = userId;
    }

    public Sub2ApiFactory App { get; }
    public OpenAIClientTarget Target { get; }
    public long GroupId { get; }
    public long AccountId { get; }
    public long UserId { get; }

    public static async Task<OpenAIGateway> StartAsync(FakeOpenAIUpstream upstream, decimal balance = 5m)
    {
        var app = new Sub2ApiFactory(settings: new Dictionary<string, string?> { [Sub2ApiFactory.UseKestrelSetting] = "true" });
        var accountKey = $"sk-fake-ok-{Guid.NewGuid():N}";
        var codec = app.Services.GetRequiredService<CredentialsCodec>();
        var (groupId, accountId) = await app.WithDbAsync(async db =>
        {
            var group = new Group { Name = "openai", Platform = Platforms.OpenAI, RateMultiplier = 1m };
            db.Groups.Add(group);
            await db.SaveChangesAsync();
            var account = new Account
            {
                Name = "openai-apikey",
                Platform = Platforms.OpenAI,
                Type = AccountTypes.ApiKey,
                CredentialsEncrypted = codec.Protect(new JsonObject { ["api_key"] = accountKey, ["base_url"] = upstream.BaseUrl }),
                Extra = "{}",
                Priority = 50,
                Concurrency = 3,
            };
            account.Groups.Add(new AccountGroup { GroupId = group.Id });
            db.Accounts.Add(account);
            await db.SaveChangesAsync();
            return (group.Id, account.Id);
        });
        var (key, userId, _) = await TestSeed.UserWithKeyAsync(app, groupId, balance, concurrency: 5);
        var target = new OpenAIClientTarget(app.ServerAddress, key, $"sk-wrong-{Guid.NewGuid():N}", "Bearer " + accountKey);
        return new OpenAIGateway(app, target, groupId, accountId, userId);
    }

    /// <summary>Waits until every recorded request is in the database.</summary>
    public Task FlushUsageAsync() =>
        App.Services.GetRequiredService<UsageRecorder>().FlushAsync(new CancellationTokenSource(TimeSpan.FromSeconds(20)).Token);

    public Task<List<UsageLog>> UsageRowsAsync() => App.WithDbAsync(db => db.UsageLogs.AsNoTracking().OrderBy(u => u.Id).ToListAsync());

    /// <summary>
    /// Every request was billed once with the fake's usage split the OpenAI way: input = input − cached, cache read =
    /// cached, output = output (reasoning included), no cache creation.
    /// </summary>
    public async Task AssertBilledAsync(int requests)
    {
        await FlushUsageAsync();
        var rows = await UsageRowsAsync();
        Assert.Equal(requests, rows.Count);
        Assert.All(rows, row =>
        {
            Assert.Equal(AccountId, row.AccountId);
            Assert.Equal(FakeOpenAIUpstream.InputTokens - FakeOpenAIUpstream.CachedTokens, row.InputTokens);
            Assert.Equal(FakeOpenAIUpstream.CachedTokens, row.CacheReadTokens);
            Assert.Equal(FakeOpenAIUpstream.OutputTokens, row.OutputTokens);
            Assert.Equal(0, row.CacheCreationTokens);
        });
    }

    public ValueTask DisposeAsync() => App.DisposeAsync();
}
