using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Sub2Api.Data.Entities;
using Sub2Api.FunctionalTests.Infrastructure;

namespace Sub2Api.FunctionalTests.Observability;

/// <summary>
/// The gateway as an operator runs it (a child process, configured by environment variables) on a DATA_DIR seeded
/// first through an in-process app: one group per entry of <c>groups</c>, each with API-key accounts whose keys name the
/// <see cref="FakeUpstream"/>'s behaviour (in priority order), and one user key per group.
/// </summary>
internal sealed class SeededGateway : IAsyncDisposable
{
    private readonly string _dataDir;

    private SeededGateway(string dataDir, FakeUpstream upstream, GatewayChildProcess process, IReadOnlyList<string> keys,
        IReadOnlyList<string> accountKeys)
    {
        _dataDir = dataDir;
        Upstream = upstream;
        Process = process;
        Keys = keys;
        AccountKeys = accountKeys;
    }

    public FakeUpstream Upstream { get; }
    public GatewayChildProcess Process { get; }

    /// <summary>The user API key of each group, in the order the groups were given.</summary>
    public IReadOnlyList<string> Keys { get; }

    /// <summary>Every account's upstream API key.</summary>
    public IReadOnlyList<string> AccountKeys { get; }

    public static async Task<SeededGateway> StartAsync(string[][] groups, IReadOnlyDictionary<string, string> environment)
    {
        var upstream = await FakeUpstream.StartAsync();
        var dataDir = Path.Combine(Path.GetTempPath(), "sub2api-telemetry-" + Guid.NewGuid().ToString("N"));
        var keys = new List<string>();
        var accountKeys = new List<string>();
        await using (var seed = new Sub2ApiFactory(dataDir))
        {
            var n = 0;
            foreach (var behaviours in groups)
            {
                var name = $"group-{n++}";
                var groupId = await seed.WithDbAsync(async db =>
                {
                    var group = new Group { Name = name, Platform = Platforms.Anthropic };
                    db.Groups.Add(group);
                    await db.SaveChangesAsync();
                    return group.Id;
                });
                var priority = 1;
                foreach (var behaviour in behaviours)
                {
                    var apiKey = $"sk-fake-{behaviour}-{Guid.NewGuid():N}";
                    accountKeys.Add(apiKey);
                    await TestSeed.AccountAsync(seed, groupId, AccountTypes.ApiKey,
                        new JsonObject { ["api_key"] = apiKey, ["base_url"] = upstream.BaseUrl }, priority++, concurrency: 10);
                }
                keys.Add((await TestSeed.UserWithKeyAsync(seed, groupId, balance: 100m, concurrency: 10)).Key);
            }
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

        var env = new Dictionary<string, string>(environment)
        {
            ["DATA_DIR"] = dataDir,
            ["Gateway__Anthropic__BaseUrl"] = upstream.BaseUrl,
        };
        var process = await GatewayChildProcess.StartAsync(dataDir, env, TestContext.Current.CancellationToken);
        return new SeededGateway(dataDir, upstream, process, keys, accountKeys);
    }

    public HttpClient Client() => new() { BaseAddress = new Uri(Process.Address), Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>One <c>/v1/messages</c> call with this key and prompt; optional W3C <c>traceparent</c>.</summary>
    public async Task<(int Status, string Body)> SendAsync(string key, string prompt, bool stream = false, string? traceParent = null)
    {
        using var http = Client();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages")
        {
            Content = new StringContent(
                $"{{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":64,\"stream\":{(stream ? "true" : "false")},\"messages\":[{{\"role\":\"user\",\"content\":\"{prompt}\"}}]}}",
                Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
        request.Headers.TryAddWithoutValidation("x-api-key", key);
        if (traceParent is not null)
        {
            request.Headers.TryAddWithoutValidation("traceparent", traceParent);
        }
        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    public async ValueTask DisposeAsync()
    {
        await Process.DisposeAsync();
        await Upstream.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
