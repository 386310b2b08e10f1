using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Sub2Api.Billing;
using Sub2Api.Data.Entities;
using Sub2Api.Security;

namespace Sub2Api.FunctionalTests.Infrastructure;

/// <summary>
/// A gateway wired to a <see cref="FakeUpstream"/>, with helpers to seed a group, accounts, a user with a balance
/// and an API key directly through the app's own services.
/// </summary>
internal sealed class RelayScenario : IAsyncDisposable
{
    private RelayScenario(FakeUpstream upstream, Sub2ApiFactory app)
    {
        Upstream = upstream;
        App = app;
    }

    public FakeUpstream Upstream { get; }
    public Sub2ApiFactory App { get; }
    public long GroupId { get; private set; }

    public static async Task<RelayScenario> StartAsync(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var upstream = await FakeUpstream.StartAsync();
        var all = new Dictionary<string, string?> { ["Gateway:Anthropic:BaseUrl"] = upstream.BaseUrl };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }
        var scenario = new RelayScenario(upstream, new Sub2ApiFactory(settings: all));
        scenario.GroupId = await scenario.App.WithDbAsync(async db =>
        {
            var group = new Group { Name = "claude", Platform = Platforms.Anthropic, RateMultiplier = 1m };
            db.Groups.Add(group);
            await db.SaveChangesAsync();
            return group.Id;
        });
        return scenario;
    }

    /// <summary>An API-key account whose key names the fake's behaviour ("ok", "rl429", "slow", …).</summary>
    public Task<long> AddApiKeyAccountAsync(string behaviour, int priority = 50, int concurrency = 3,
        IReadOnlyDictionary<string, string>? modelMapping = null) =>
        AddAccountAsync(AccountTypes.ApiKey, new JsonObject
        {
            ["api_key"] = $"sk-fake-{behaviour}-{Guid.NewGuid():N}",
            ["base_url"] = Upstream.BaseUrl,
            ["model_mapping"] = modelMapping is null ? null : new JsonObject(modelMapping.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))),
        }, priority, concurrency);

    /// <summary>An OAuth account (goes to Gateway:Anthropic:BaseUrl with a bearer token).</summary>
    public Task<long> AddOAuthAccountAsync(string behaviour, string? accountUuid = null, int priority = 50, int concurrency = 3) =>
        AddAccountAsync(AccountTypes.OAuth, new JsonObject { ["access_token"] = $"sk-ant-oat-{behaviour}-{Guid.NewGuid():N}" },
            priority, concurrency, accountUuid is null ? "{}" : new JsonObject { ["account_uuid"] = accountUuid }.ToJsonString());

    private async Task<long> AddAccountAsync(string type, JsonObject credentials, int priority, int concurrency, string extra = "{}")
    {
        var codec = App.Services.GetRequiredService<CredentialsCodec>();
        return await App.WithDbAsync(async db =>
        {
            var account = new Account
            {
                Name = $"acct-{Guid.NewGuid():N}"[..16],
                Platform = Platforms.Anthropic,
                Type = type,
                CredentialsEncrypted = codec.Protect(credentials),
                Extra = extra,
                Priority = priority,
                Concurrency = concurrency,
            };
            account.Groups.Add(new AccountGroup { GroupId = GroupId });
            db.Accounts.Add(account);
            await db.SaveChangesAsync();
            return account.Id;
        });
    }

    /// <summary>A user with this balance and concurrency, and an API key bound to the scenario's group.</summary>
    public async Task<(string Key, long UserId, long KeyId)> AddUserWithKeyAsync(decimal balance = 10m, int concurrency = 5,
        Action<ApiKey>? configureKey = null, bool bindGroup = true)
    {
        var key = ApiKeys.Generate();
        var hasher = App.Services.GetRequiredService<ApiKeys>();
        return await App.WithDbAsync(async db =>
        {
            var user = new User
            {
                Email = $"user-{Guid.NewGuid():N}@example.com",
                PasswordHash = "unused",
                Balance = balance,
                Concurrency = concurrency,
            };
            db.Users.Add(user);
            await db.SaveChangesAsync();
            var apiKey = new ApiKey
            {
                UserId = user.Id,
                KeyHash = hasher.Hash(key),
                KeyHint = ApiKeys.Hint(key),
                Name = "test",
                GroupId = bindGroup ? GroupId : null,
            };
            configureKey?.Invoke(apiKey);
            db.ApiKeys.Add(apiKey);
            await db.SaveChangesAsync();
            return (key, user.Id, apiKey.Id);
        });
    }

    public HttpClient Client(string apiKey)
    {
        var client = App.CreateClient();
        client.DefaultRequestHeaders.Add("x-api-key", apiKey);
        client.Timeout = TimeSpan.FromSeconds(60);
        return client;
    }

    public static StringContent MessageBody(bool stream, string model = "claude-sonnet-4-5", string text = "hi", string? extraJson = null)
    {
        var json = $"{{\"model\":\"{model}\",\"max_tokens\":64,\"stream\":{(stream ? "true" : "false")},\"messages\":[{{\"role\":\"user\",\"content\":\"{text}\"}}]{(extraJson is null ? "" : "," + extraJson)}}}";
        return new StringContent(json, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
    }

    /// <summary>Waits until every recorded request is in the database (no sleeping and hoping).</summary>
    public Task FlushUsageAsync() => App.Services.GetRequiredService<UsageRecorder>().FlushAsync(new CancellationTokenSource(TimeSpan.FromSeconds(20)).Token);

    public Task<List<UsageLog>> UsageRowsAsync() => App.WithDbAsync(db => db.UsageLogs.AsNoTracking().OrderBy(u => u.Id).ToListAsync());

    public Task<decimal> BalanceAsync(long userId) => App.WithDbAsync(db => db.Users.Where(u => u.Id == userId).Select(u => u.Balance).FirstAsync());

    public Task<Account> AccountAsync(long id) => App.WithDbAsync(db => db.Accounts.AsNoTracking().FirstAsync(a => a.Id == id));

    /// <summary>Polls a condition until it holds or the deadline passes.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan? timeout = null, string? because = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"condition not met in time{(because is null ? "" : ": " + because)}");
            }
            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        await Upstream.DisposeAsync();
    }
}
