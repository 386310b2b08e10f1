using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Sub2Api.Billing;
using Sub2Api.Data.Entities;
using Sub2Api.FunctionalTests.Infrastructure;
using Sub2Api.Security;

namespace Sub2Api.FunctionalTests.Relay.OpenAI;

/// <summary>
/// The gateway on a real socket with an OpenAI group, one OpenAI account on the fake upstream (an API-key account whose
/// <c>base_url</c> is the fake's root URL, or a ChatGPT OAuth account served at <c>Gateway:OpenAI:CodexBaseUrl</c> =
/// the fake's <c>/backend-api/codex</c>), and a user (balance <c>5</c>) with a key bound to that group: what a real client
/// needs to go through the gateway. <see cref="Target"/> is what the real-client tests point their client at; more
/// accounts (failover, sticky sessions) come from <see cref="AddApiKeyAccountAsync"/> / <see cref="AddChatGptAccountAsync"/>.
/// </summary>
internal sealed class OpenAIGateway : IAsyncDisposable
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<long, string> _credentials = new();

    private OpenAIGateway(Sub2ApiFactory app, FakeOpenAIUpstream upstream, long groupId)
    {
        App = app;
        Upstream = upstream;
        GroupId = groupId;
    }

    public Sub2ApiFactory App { get; }
    public FakeOpenAIUpstream Upstream { get; }
    public OpenAIClientTarget Target { get; private set; } = null!;
    public long GroupId { get; }
    /// <summary>The account created with the gateway (null with <c>accountWord: null</c>).</summary>
    public long AccountId { get; private set; }
    public long UserId { get; private set; }
    public string ClientKey => Target.ClientKey;
    public decimal StartBalance { get; private set; }

    /// <param name="chatGpt">The first account is a ChatGPT OAuth account instead of an API-key one.</param>
    /// <param name="accountWord">The fake's behaviour word in the first account's credential; null: no account yet.</param>
    /// <param name="settings">More app settings (e.g. a fake OAuth server's endpoints).</param>
    public static async Task<OpenAIGateway> StartAsync(FakeOpenAIUpstream upstream, decimal balance = 5m, bool chatGpt = false,
        string? accountWord = "ok", IReadOnlyDictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>
        {
            [Sub2ApiFactory.UseKestrelSetting] = "true",
            ["Gateway:OpenAI:CodexBaseUrl"] = upstream.BaseUrl.TrimEnd('/') + "/backend-api/codex",
        };
        foreach (var (name, value) in settings ?? new Dictionary<string, string?>())
        {
            all[name] = value;
        }
        var app = new Sub2ApiFactory(settings: all);
        var groupId = await app.WithDbAsync(async db =>
        {
            var group = new Group { Name = "openai", Platform = Platforms.OpenAI, RateMultiplier = 1m };
            db.Groups.Add(group);
            await db.SaveChangesAsync();
            return group.Id;
        });
        var gateway = new OpenAIGateway(app, upstream, groupId) { StartBalance = balance };
        if (accountWord is not null)
        {
            gateway.AccountId = chatGpt ? await gateway.AddChatGptAccountAsync(accountWord) : await gateway.AddApiKeyAccountAsync(accountWord);
        }
        var (key, userId, _) = await TestSeed.UserWithKeyAsync(app, groupId, balance, concurrency: 5);
        gateway.UserId = userId;
        var credential = accountWord is null ? "" : "Bearer " + gateway.CredentialOf(gateway.AccountId);
        gateway.Target = new OpenAIClientTarget(app.ServerAddress, key, $"sk-wrong-{Guid.NewGuid():N}", credential);
        return gateway;
    }

    /// <summary>An API-key account on the fake whose key carries <paramref name="word"/> (the fake's behaviour).</summary>
    public Task<long> AddApiKeyAccountAsync(string word, int priority = 50, int concurrency = 3)
    {
        var apiKey = $"sk-fake-{word}-{Guid.NewGuid():N}";
        return AddAccountAsync(AccountTypes.ApiKey, apiKey, new JsonObject { ["api_key"] = apiKey, ["base_url"] = Upstream.BaseUrl },
            priority, concurrency);
    }

    /// <summary>
    /// A ChatGPT (Codex) OAuth account whose access token carries <paramref name="word"/>; its token expires in a year
    /// (no refresh), its ChatGPT account id is <see cref="ChatGptAccountIdOf"/>.
    /// </summary>
    public Task<long> AddChatGptAccountAsync(string word, int priority = 50, int concurrency = 3) =>
        AddChatGptAccountAsync($"eyJfake-{word}-{Guid.NewGuid():N}", $"rt-fake-{Guid.NewGuid():N}", priority, concurrency);

    /// <summary>A ChatGPT OAuth account with these tokens (e.g. issued by a fake OAuth server, for refresh tests).</summary>
    public Task<long> AddChatGptAccountAsync(string accessToken, string refreshToken, int priority = 50, int concurrency = 3)
    {
        var token = accessToken;
        return AddAccountAsync(AccountTypes.OAuth, token, new JsonObject
        {
            ["access_token"] = token,
            ["refresh_token"] = refreshToken,
            ["expires_at"] = DateTimeOffset.UtcNow.AddYears(1).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["chatgpt_account_id"] = ChatGptAccountIdOf(token),
        }, priority, concurrency);
    }

    /// <summary>The ChatGPT account id seeded for the account whose token is <paramref name="token"/>.</summary>
    public static string ChatGptAccountIdOf(string token) => "acct-" + token[^12..];

    private async Task<long> AddAccountAsync(string type, string credential, JsonObject credentials, int priority, int concurrency)
    {
        var codec = App.Services.GetRequiredService<CredentialsCodec>();
        var id = await App.WithDbAsync(async db =>
        {
            var account = new Account
            {
                Name = $"openai-{type}-{Guid.NewGuid():N}"[..24],
                Platform = Platforms.OpenAI,
                Type = type,
                CredentialsEncrypted = codec.Protect(credentials),
                Extra = "{}",
                Priority = priority,
                Concurrency = concurrency,
            };
            account.Groups.Add(new AccountGroup { GroupId = GroupId });
            db.Accounts.Add(account);
            await db.SaveChangesAsync();
            return account.Id;
        });
        _credentials[id] = credential;
        return id;
    }

    /// <summary>The API key or access token the fake sees for this account.</summary>
    public string CredentialOf(long accountId) => _credentials[accountId];

    public int UpstreamCount(long accountId) => Upstream.CountFor(CredentialOf(accountId));

    public IReadOnlyList<ReceivedRequest> UpstreamRequests(long accountId) => Upstream.ReceivedFor(CredentialOf(accountId));

    /// <summary>The account whose credential the fake saw on this request.</summary>
    public long AccountOf(ReceivedRequest request) =>
        _credentials.Single(p => request.Credential.Contains(p.Value, StringComparison.Ordinal)).Key;

    /// <summary>The account's stored credentials, decrypted.</summary>
    public async Task<JsonObject> CredentialsAsync(long id) =>
        App.Services.GetRequiredService<CredentialsCodec>().Unprotect((await AccountAsync(id)).CredentialsEncrypted);

    public Task<Account> AccountAsync(long id) => App.WithDbAsync(db => db.Accounts.AsNoTracking().FirstAsync(a => a.Id == id));

    public Task<decimal> BalanceAsync() => App.WithDbAsync(db => db.Users.Where(u => u.Id == UserId).Select(u => u.Balance).FirstAsync());

    public HttpClient Client(string? key = null)
    {
        var client = new HttpClient { BaseAddress = new Uri(App.ServerAddress), Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key ?? ClientKey);
        return client;
    }

    /// <summary>POSTs <paramref name="json"/> to <paramref name="path"/> with the user's key (or <paramref name="key"/>) and reads the whole answer.</summary>
    public async Task<(HttpStatusCode Status, string Body, string? ContentType)> PostAsync(string path, string json, string? key = null,
        IReadOnlyDictionary<string, string>? headers = null)
    {
        using var client = Client(key);
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>Waits until every recorded request is in the database.</summary>
    public Task FlushUsageAsync() =>
        App.Services.GetRequiredService<UsageRecorder>().FlushAsync(new CancellationTokenSource(TimeSpan.FromSeconds(20)).Token);

    public Task<List<UsageLog>> UsageRowsAsync() => App.WithDbAsync(db => db.UsageLogs.AsNoTracking().OrderBy(u => u.Id).ToListAsync());

    /// <summary>
    /// What one of the fake's answers costs for <paramref name="model"/> at the shipped prices, billed the OpenAI way:
    /// (input − cached) × input price + cached × cache-read price + output × output price.
    /// </summary>
    public decimal ExpectedCost(string model)
    {
        var price = App.Services.GetRequiredService<PricingService>().Lookup(model);
        return ((FakeOpenAIUpstream.InputTokens - FakeOpenAIUpstream.CachedTokens) * price.InputPerToken)
            + (FakeOpenAIUpstream.CachedTokens * price.CacheReadPerToken)
            + (FakeOpenAIUpstream.OutputTokens * price.OutputPerToken);
    }

    /// <summary>
    /// Every request was billed once with the fake's usage split the OpenAI way: input = input − cached, cache read =
    /// cached, output = output (reasoning included), no cache creation.
    /// </summary>
    public Task AssertBilledAsync(int requests) => AssertBilledAsync(requests, AccountId);

    /// <summary>
    /// <paramref name="requests"/> rows, all on <paramref name="accountId"/> (any account when null), each with the fake's
    /// usage split the OpenAI way, costed from the price table to the last decimal, and the balance charged exactly
    /// their sum.
    /// </summary>
    public async Task AssertBilledAsync(int requests, long? accountId, string? model = null)
    {
        // The handler records usage just after the client has the whole answer, so a row may still be on its way:
        // wait for it (deadline) instead of flushing once and hoping.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        await FlushUsageAsync();
        var rows = await UsageRowsAsync();
        while (rows.Count < requests && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
            await FlushUsageAsync();
            rows = await UsageRowsAsync();
        }
        Assert.Equal(requests, rows.Count);
        Assert.Equal(requests, rows.Select(r => r.RequestId).Distinct().Count());
        Assert.All(rows, row =>
        {
            if (accountId is { } id)
            {
                Assert.Equal(id, row.AccountId);
            }
            Assert.Equal(UserId, row.UserId);
            Assert.Equal(FakeOpenAIUpstream.InputTokens - FakeOpenAIUpstream.CachedTokens, row.InputTokens);
            Assert.Equal(FakeOpenAIUpstream.CachedTokens, row.CacheReadTokens);
            Assert.Equal(FakeOpenAIUpstream.OutputTokens, row.OutputTokens);
            Assert.Equal(0, row.CacheCreationTokens);
            if (model is not null)
            {
                Assert.Equal(model, row.Model);
            }
            var expected = ExpectedCost(row.Model);
            Assert.True(expected > 0m, $"no price for {row.Model}");
            Assert.Equal(expected, row.TotalCost);
            Assert.Equal(expected, row.ActualCost);
        });
        Assert.Equal(StartBalance - rows.Sum(r => r.ActualCost), await BalanceAsync());
    }

    public ValueTask DisposeAsync() => App.DisposeAsync();
}
