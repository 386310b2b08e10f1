using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Sub2Api.Billing;
using Sub2Api.Data.Entities;
using Sub2Api.Scheduling.Concurrency;
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

    private readonly System.Collections.Concurrent.ConcurrentDictionary<long, string> _credentials = new();

    public FakeUpstream Upstream { get; }
    public Sub2ApiFactory App { get; }
    public long GroupId { get; private set; }

    /// <param name="settings">Configuration overrides (e.g. <c>Gateway:MaxBodySize</c>, <c>RUN_MODE</c>).</param>
    /// <param name="dataDir">An existing DATA_DIR to start on (restart/replay tests; the caller deletes it). The
    /// scenario's group is reused when it already exists there.</param>
    /// <param name="groupRateMultiplier">The rate multiplier of the scenario's group.</param>
    /// <param name="services">Service overrides for the app (e.g. a fake clock).</param>
    public static async Task<RelayScenario> StartAsync(IReadOnlyDictionary<string, string?>? settings = null, string? dataDir = null,
        decimal groupRateMultiplier = 1m, Action<IServiceCollection>? services = null)
    {
        var upstream = await FakeUpstream.StartAsync();
        var all = new Dictionary<string, string?> { ["Gateway:Anthropic:BaseUrl"] = upstream.BaseUrl };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }
        var scenario = new RelayScenario(upstream, new Sub2ApiFactory(dataDir, settings: all, services: services));
        scenario.GroupId = await scenario.App.WithDbAsync(async db =>
        {
            if (await db.Groups.FirstOrDefaultAsync(g => g.Name == "claude") is { } existing)
            {
                return existing.Id;
            }
            var group = new Group { Name = "claude", Platform = Platforms.Anthropic, RateMultiplier = groupRateMultiplier };
            db.Groups.Add(group);
            await db.SaveChangesAsync();
            return group.Id;
        });
        return scenario;
    }

    /// <summary>An API-key account whose key names the fake's behaviour ("ok", "rl429", "slow", …).</summary>
    public Task<long> AddApiKeyAccountAsync(string behaviour, int priority = 50, int concurrency = 3,
        IReadOnlyDictionary<string, string>? modelMapping = null)
    {
        var apiKey = $"sk-fake-{behaviour}-{Guid.NewGuid():N}";
        return AddAccountAsync(AccountTypes.ApiKey, apiKey, new JsonObject
        {
            ["api_key"] = apiKey,
            ["base_url"] = Upstream.BaseUrl,
            ["model_mapping"] = modelMapping is null ? null : new JsonObject(modelMapping.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))),
        }, priority, concurrency);
    }

    /// <summary>An OAuth account (goes to Gateway:Anthropic:BaseUrl with a bearer token).</summary>
    public Task<long> AddOAuthAccountAsync(string behaviour, string? accountUuid = null, int priority = 50, int concurrency = 3)
    {
        var token = $"sk-ant-oat-{behaviour}-{Guid.NewGuid():N}";
        return AddAccountAsync(AccountTypes.OAuth, token, new JsonObject { ["access_token"] = token },
            priority, concurrency, accountUuid is null ? "{}" : new JsonObject { ["account_uuid"] = accountUuid }.ToJsonString());
    }

    /// <summary>The credential (API key or OAuth token) the fake upstream sees for this account.</summary>
    public string CredentialOf(long accountId) => _credentials[accountId];

    /// <summary>How many requests the fake upstream received for this account.</summary>
    public int UpstreamCount(long accountId) => Upstream.CountFor(CredentialOf(accountId));

    /// <summary>The requests the fake upstream received for this account, in arrival order.</summary>
    public IReadOnlyList<ReceivedRequest> UpstreamRequests(long accountId) => Upstream.ReceivedFor(CredentialOf(accountId));

    /// <summary>The account whose credential the fake saw on this request.</summary>
    public long AccountOf(ReceivedRequest request) =>
        _credentials.Single(p => request.Credential.Contains(p.Value, StringComparison.Ordinal)).Key;

    private async Task<long> AddAccountAsync(string type, string credential, JsonObject credentials, int priority, int concurrency,
        string extra = "{}")
    {
        var id = await TestSeed.AccountAsync(App, GroupId, type, credentials, priority, concurrency, extra);
        _credentials[id] = credential;
        return id;
    }

    /// <summary>Changes an account row (tracked save, so the relay's snapshot sees it on the next request).</summary>
    public Task UpdateAccountAsync(long id, Action<Account> change) => App.WithDbAsync(async db =>
    {
        change(await db.Accounts.FirstAsync(a => a.Id == id));
        await db.SaveChangesAsync();
    });

    /// <summary>Changes a user row (tracked save: cached callers are rebuilt).</summary>
    public Task UpdateUserAsync(long id, Action<User> change) => App.WithDbAsync(async db =>
    {
        change(await db.Users.FirstAsync(u => u.Id == id));
        await db.SaveChangesAsync();
    });

    /// <summary>Slots held in a concurrency scope (e.g. <c>SlotScopes.Account(id)</c>).</summary>
    public ValueTask<int> SlotsAsync(string scope) => App.Services.GetRequiredService<IConcurrencySlots>().CountAsync(scope);

    /// <summary>Requests waiting in a queue (e.g. <c>SlotScopes.UserQueue(id)</c>).</summary>
    public ValueTask<int> QueueAsync(string queue) => App.Services.GetRequiredService<IConcurrencySlots>().QueueLengthAsync(queue);

    /// <summary>
    /// Sends one /v1/messages request and reads the whole answer. Without <paramref name="text"/> every call is a new
    /// conversation (a unique first message), so no sticky session ties it to the account of an earlier call.
    /// </summary>
    public async Task<(HttpStatusCode Status, string Body)> SendAsync(string apiKey, bool stream = false, string? extraJson = null,
        string? text = null, string model = "claude-sonnet-4-5", IReadOnlyDictionary<string, string>? headers = null)
    {
        using var client = Client(apiKey);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages")
        {
            Content = MessageBody(stream, model, text ?? $"hi {Guid.NewGuid():N}", extraJson),
        };
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>
    /// Sends a request straight into the test server with a chosen client IP (TestServer has none by default);
    /// returns the status and body.
    /// </summary>
    public async Task<(int Status, string Body)> SendFromIpAsync(string apiKey, IPAddress ip, string path = "/v1/messages")
    {
        var body = Encoding.UTF8.GetBytes("{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":64,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        var context = await App.Server.SendAsync(c =>
        {
            c.Request.Method = "POST";
            c.Request.Path = path;
            c.Request.Headers["x-api-key"] = apiKey;
            c.Request.ContentType = "application/json";
            c.Request.ContentLength = body.Length;
            c.Request.Body = new MemoryStream(body);
            c.Connection.RemoteIpAddress = ip;
        });
        using var reader = new StreamReader(context.Response.Body);
        return (context.Response.StatusCode, await reader.ReadToEndAsync());
    }

    /// <summary>A user with this balance and concurrency, and an API key bound to the scenario's group.</summary>
    public async Task<(string Key, long UserId, long KeyId)> AddUserWithKeyAsync(decimal balance = 10m, int concurrency = 5,
        Action<ApiKey>? configureKey = null, bool bindGroup = true) =>
        await TestSeed.UserWithKeyAsync(App, bindGroup ? GroupId : null, balance, concurrency, configureKey);

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

    /// <summary>
    /// Collects the app's log messages from now on (category and text), e.g. to see that Kestrel noticed a client
    /// disconnect. Debug messages only arrive when the category's level is lowered in the settings.
    /// </summary>
    public LogCapture CaptureLogs()
    {
        var capture = new LogCapture();
        App.Services.GetRequiredService<Microsoft.Extensions.Logging.ILoggerFactory>().AddProvider(capture);
        return capture;
    }

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

/// <summary>An in-memory logger provider: every message as "category: text".</summary>
internal sealed class LogCapture : Microsoft.Extensions.Logging.ILoggerProvider
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _messages = new();

    public IReadOnlyList<string> Messages => [.. _messages];

    public Microsoft.Extensions.Logging.ILogger CreateLogger(string categoryName) => new Logger(categoryName, _messages);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, System.Collections.Concurrent.ConcurrentQueue<string> messages) : Microsoft.Extensions.Logging.ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state,
            Exception? exception, Func<TState, Exception?, string> formatter) =>
            messages.Enqueue($"{category}: {formatter(state, exception)}");
    }
}
