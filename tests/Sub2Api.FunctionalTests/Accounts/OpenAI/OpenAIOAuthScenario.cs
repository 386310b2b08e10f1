using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Sub2Api.Data.Entities;
using Sub2Api.FunctionalTests.Infrastructure;
using Sub2Api.Security;

namespace Sub2Api.FunctionalTests.Accounts.OpenAI;

/// <summary>
/// A gateway pointed at a <see cref="FakeOpenAIOAuthServer"/>, with an OpenAI group, an admin client and captured
/// logs. The background refresh job is slowed down unless a test asks for it; refresh backoff is milliseconds.
/// </summary>
internal sealed class OpenAIOAuthScenario : IAsyncDisposable
{
    public const string Routes = "/api/v1/admin/openai";

    private OpenAIOAuthScenario(FakeOpenAIOAuthServer oauth, RelayScenario relay, ApiClient admin, LogCapture logs, long groupId)
    {
        OAuth = oauth;
        Relay = relay;
        Admin = admin;
        Logs = logs;
        GroupId = groupId;
    }

    public FakeOpenAIOAuthServer OAuth { get; }
    public RelayScenario Relay { get; }
    public Sub2ApiFactory App => Relay.App;
    public ApiClient Admin { get; }
    public LogCapture Logs { get; }

    /// <summary>An OpenAI group accounts can join.</summary>
    public long GroupId { get; }

    public static async Task<OpenAIOAuthScenario> StartAsync(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var oauth = await FakeOpenAIOAuthServer.StartAsync();
        var all = new Dictionary<string, string?>(oauth.Settings)
        {
            ["TokenRefresh:CheckIntervalSeconds"] = "3600",
            ["TokenRefresh:RetryBackoffMilliseconds"] = "5",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }
        var relay = await RelayScenario.StartAsync(all);
        var logs = relay.CaptureLogs();
        var groupId = await relay.App.WithDbAsync(async db =>
        {
            var group = new Group { Name = "codex", Platform = Platforms.OpenAI };
            db.Groups.Add(group);
            await db.SaveChangesAsync();
            return group.Id;
        });
        return new OpenAIOAuthScenario(oauth, relay, await relay.App.AdminAsync(), logs, groupId);
    }

    public async Task<(string AuthUrl, string SessionId)> GenerateAsync(object? body = null)
    {
        var data = (await Admin.PostAsync($"{Routes}/generate-auth-url", body ?? new { })).Data;
        return (data.GetProperty("auth_url").GetString()!, data.GetProperty("session_id").GetString()!);
    }

    public Task<ApiResult> ExchangeAsync(string sessionId, string code, string? state = null) =>
        Admin.PostAsync($"{Routes}/exchange-code", new { session_id = sessionId, code, state });

    /// <summary>An OpenAI OAuth account holding tokens the fake issued, its access token ending <paramref name="expiresIn"/> from now.</summary>
    public async Task<(long Id, string AccessToken, string RefreshToken)> SeedAccountAsync(TimeSpan expiresIn)
    {
        var (access, refresh, id) = OAuth.IssueTokens();
        var accountId = await TestSeed.AccountAsync(App, Relay.GroupId, AccountTypes.OAuth, new JsonObject
        {
            ["access_token"] = access,
            ["refresh_token"] = refresh,
            ["id_token"] = id,
            ["expires_at"] = DateTimeOffset.UtcNow.Add(expiresIn).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            ["chatgpt_account_id"] = FakeOpenAIOAuthServer.AccountId,
            ["plan_type"] = "plus",
            ["custom_field"] = "kept across refreshes",
        }, priority: 50, concurrency: 3);
        await App.WithDbAsync(async db =>
        {
            var account = await db.Accounts.Include(a => a.Groups).FirstAsync(a => a.Id == accountId);
            account.Platform = Platforms.OpenAI;
            account.Groups.Clear();
            account.Groups.Add(new AccountGroup { GroupId = GroupId });
            await db.SaveChangesAsync();
            return 0;
        });
        return (accountId, access, refresh);
    }

    public Task<JsonObject> CredentialsAsync(long accountId) => App.WithDbAsync(async db =>
    {
        var stored = await db.Accounts.AsNoTracking().Where(a => a.Id == accountId).Select(a => a.CredentialsEncrypted).SingleAsync();
        return App.Services.GetRequiredService<CredentialsCodec>().Unprotect(stored);
    });

    /// <summary>No captured log line contains any of these (tokens, codes, verifiers).</summary>
    public void AssertNeverLogged(params string[] secrets)
    {
        var messages = Logs.Messages;
        Assert.NotEmpty(messages);
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(messages, m => m.Contains(secret, StringComparison.Ordinal));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Relay.DisposeAsync();
        await OAuth.DisposeAsync();
    }
}

/// <summary>One <see cref="OpenAIOAuthScenario"/> shared by a test class.</summary>
public sealed class OpenAIOAuthFixture : IAsyncLifetime
{
    private OpenAIOAuthScenario? _scenario;

    internal OpenAIOAuthScenario Fresh()
    {
        var scenario = _scenario ?? throw new InvalidOperationException("the fixture has not started");
        scenario.OAuth.Reset();
        return scenario;
    }

    public async ValueTask InitializeAsync() => _scenario = await OpenAIOAuthScenario.StartAsync();

    public async ValueTask DisposeAsync()
    {
        if (_scenario is not null)
        {
            await _scenario.DisposeAsync();
        }
    }
}
