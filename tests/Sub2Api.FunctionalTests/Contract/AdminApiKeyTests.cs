using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Sub2Api.FunctionalTests.Infrastructure;
using Sub2Api.FunctionalTests.UserPortal;

namespace Sub2Api.FunctionalTests.Contract;

public sealed class AdminApiKeyTests
{
    private const string Route = "/api/v1/admin/settings/admin-api-key";

    private static ApiClient WithAdminKey(Sub2ApiFactory app, string key)
    {
        var client = app.Api();
        client.Http.DefaultRequestHeaders.Add("x-api-key", key);
        return client;
    }

    [Fact]
    public async Task Regenerate_ShowsTheKeyOnce_ThenItAuthenticatesAdminRoutes()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        Assert.False((await admin.GetAsync(Route)).Data.GetProperty("exists").GetBoolean());

        var key = (await admin.PostAsync($"{Route}/regenerate")).Data.GetProperty("key").GetString()!;

        Assert.Matches("^admin-[0-9a-f]{64}$", key);
        var status = (await admin.GetAsync(Route)).Data;
        Assert.True(status.GetProperty("exists").GetBoolean());
        var masked = status.GetProperty("masked_key").GetString()!;
        Assert.StartsWith("admin-", masked);
        Assert.Contains("…", masked);
        Assert.DoesNotContain(key, status.ToString());
        Assert.DoesNotContain(key, (await admin.GetAsync("/api/v1/admin/settings")).Body.ToString());
        var stored = await app.WithDbAsync(db => db.Settings.AsNoTracking().Select(s => s.Value).ToListAsync());
        Assert.DoesNotContain(stored, v => v.Contains(key[6..], StringComparison.Ordinal));

        var me = WithAdminKey(app, key);
        var users = (await me.GetAsync("/api/v1/admin/users")).Data;
        Assert.True(users.GetProperty("total").GetInt64() >= 1);
        Assert.Equal(0, (await me.GetAsync("/api/v1/admin/dashboard/stats")).Body.GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task WrongDeletedOrReplacedKeys_Are401_AndNeverAcceptedOffAdminRoutes()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var (user, _) = await app.AddUserAsync("alice@example.com");
        (await user.PostAsync($"{Route}/regenerate")).ShouldFail(HttpStatusCode.Forbidden);
        (await user.GetAsync(Route)).ShouldFail(HttpStatusCode.Forbidden);
        (await user.DeleteAsync(Route)).ShouldFail(HttpStatusCode.Forbidden);

        // No key configured: any admin key is refused.
        (await WithAdminKey(app, "admin-" + new string('0', 64)).GetAsync("/api/v1/admin/users")).ShouldFail(HttpStatusCode.Unauthorized);

        var first = (await admin.PostAsync($"{Route}/regenerate")).Data.GetProperty("key").GetString()!;
        (await WithAdminKey(app, first[..^1] + (first[^1] == 'a' ? 'b' : 'a')).GetAsync("/api/v1/admin/users")).ShouldFail(HttpStatusCode.Unauthorized);
        (await WithAdminKey(app, "sk-something").GetAsync("/api/v1/admin/users")).ShouldFail(HttpStatusCode.Unauthorized);

        // Not a user-route credential, and not a gateway key.
        (await WithAdminKey(app, first).GetAsync("/api/v1/keys")).ShouldFail(HttpStatusCode.Unauthorized);
        (await WithAdminKey(app, first).GetAsync("/api/v1/auth/me")).ShouldFail(HttpStatusCode.Unauthorized);
        using (var gateway = new HttpRequestMessage(HttpMethod.Post, "/v1/messages"))
        {
            gateway.Headers.Add("x-api-key", first);
            gateway.Content = JsonContent.Create(new { model = "claude-sonnet-4-5", max_tokens = 1, messages = new[] { new { role = "user", content = "hi" } } });
            using var response = await app.CreateClient().SendAsync(gateway);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("error", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("type").GetString());
        }

        var second = (await admin.PostAsync($"{Route}/regenerate")).Data.GetProperty("key").GetString()!;
        (await WithAdminKey(app, first).GetAsync("/api/v1/admin/users")).ShouldFail(HttpStatusCode.Unauthorized);
        Assert.Equal(0, (await WithAdminKey(app, second).GetAsync("/api/v1/admin/users")).Body.GetProperty("code").GetInt32());

        Assert.Equal(0, (await admin.DeleteAsync(Route)).Body.GetProperty("code").GetInt32());
        (await WithAdminKey(app, second).GetAsync("/api/v1/admin/users")).ShouldFail(HttpStatusCode.Unauthorized);
        Assert.False((await admin.GetAsync(Route)).Data.GetProperty("exists").GetBoolean());
        Assert.Equal("", (await admin.GetAsync(Route)).Data.GetProperty("masked_key").GetString());
    }

    [Fact]
    public async Task TheKey_NeverAppearsInTheLogs()
    {
        await using var app = new Sub2ApiFactory();
        var logs = new LogCapture();
        app.Services.GetRequiredService<Microsoft.Extensions.Logging.ILoggerFactory>().AddProvider(logs);
        var admin = await app.AdminAsync();
        var key = (await admin.PostAsync($"{Route}/regenerate")).Data.GetProperty("key").GetString()!;
        await WithAdminKey(app, key).GetAsync("/api/v1/admin/users");
        await WithAdminKey(app, key + "0").GetAsync("/api/v1/admin/users");

        Assert.NotEmpty(logs.Messages);
        Assert.DoesNotContain(logs.Messages, m => m.Contains(key[6..], StringComparison.Ordinal));
    }

    [Fact]
    public async Task AdminSettingsPut_CannotSetTheKeyHashOrStreamTimeoutDirectly()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var put = await admin.PutAsync("/api/v1/admin/settings", new
        {
            admin_api_key_hash = "0000", admin_api_key_masked = "x", stream_timeout_settings = "{}", site_name = "Mine",
        });
        var rendered = put.Data;
        Assert.Equal("Mine", rendered.GetProperty("site_name").GetString());
        Assert.False(rendered.TryGetProperty("admin_api_key_hash", out _));
        Assert.False(rendered.TryGetProperty("stream_timeout_settings", out _));
        Assert.False((await admin.GetAsync(Route)).Data.GetProperty("exists").GetBoolean());
    }
}
