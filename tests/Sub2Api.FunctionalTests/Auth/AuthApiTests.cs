using System.Net;
using Sub2Api.FunctionalTests.Infrastructure;

namespace Sub2Api.FunctionalTests.Auth;

public sealed class AuthApiTests
{
    [Fact]
    public async Task Login_AdminWithConfiguredPassword_ReturnsTokenPairAndUser()
    {
        await using var app = new Sub2ApiFactory();
        var result = await app.Api().PostAsync("/api/v1/auth/login", new { email = Sub2ApiFactory.AdminEmail, password = Sub2ApiFactory.AdminPassword });
        var data = result.Data;
        Assert.Equal("Bearer", data.GetProperty("token_type").GetString());
        Assert.Equal(360 * 60, data.GetProperty("expires_in").GetInt64());
        Assert.StartsWith("rt_", data.GetProperty("refresh_token").GetString());
        Assert.Equal(67, data.GetProperty("refresh_token").GetString()!.Length);
        Assert.Equal("admin", data.GetProperty("user").GetProperty("role").GetString());
        Assert.False(data.GetProperty("user").TryGetProperty("password_hash", out _));
    }

    [Fact]
    public async Task Me_WithToken_IncludesRoleBalanceConcurrencyAndRunMode()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var me = (await admin.GetAsync("/api/v1/auth/me")).Data;
        Assert.Equal("admin", me.GetProperty("role").GetString());
        Assert.Equal(0m, me.GetProperty("balance").GetDecimal());
        Assert.Equal(5, me.GetProperty("concurrency").GetInt32());
        Assert.Equal("standard", me.GetProperty("run_mode").GetString());
    }

    [Fact]
    public async Task Me_SimpleRunMode_IsReported()
    {
        await using var app = new Sub2ApiFactory(settings: new Dictionary<string, string?> { ["RUN_MODE"] = "simple" });
        var me = (await (await app.AdminAsync()).GetAsync("/api/v1/auth/me")).Data;
        Assert.Equal("simple", me.GetProperty("run_mode").GetString());
    }

    [Theory]
    [InlineData("admin@sub2api.local", "wrong-password")]
    [InlineData("nobody@example.com", "whatever-password")]
    public async Task Login_BadCredentials_Is401WithSameMessage(string email, string password)
    {
        await using var app = new Sub2ApiFactory();
        var result = await app.Api().PostAsync("/api/v1/auth/login", new { email, password });
        result.ShouldFail(HttpStatusCode.Unauthorized);
        Assert.Equal("invalid email or password", result.Message);
    }

    [Fact]
    public async Task Login_MalformedJson_Is400()
    {
        await using var app = new Sub2ApiFactory();
        var result = await app.Api().SendRawAsync(HttpMethod.Post, "/api/v1/auth/login", "{\"email\": ");
        result.ShouldFail(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Login_WrongFieldType_Is400NamingTheField()
    {
        await using var app = new Sub2ApiFactory();
        var result = await app.Api().SendRawAsync(HttpMethod.Post, "/api/v1/auth/login", """{"email": 42, "password": "x"}""");
        result.ShouldFail(HttpStatusCode.BadRequest);
        Assert.Contains("email", result.Message);
    }

    [Fact]
    public async Task Login_MissingPassword_Is400NamingTheField()
    {
        await using var app = new Sub2ApiFactory();
        var result = await app.Api().PostAsync("/api/v1/auth/login", new { email = "a@b.co" });
        result.ShouldFail(HttpStatusCode.BadRequest);
        Assert.Contains("password", result.Message);
    }

    [Fact]
    public async Task Login_EmptyBody_Is400()
    {
        await using var app = new Sub2ApiFactory();
        var result = await app.Api().SendRawAsync(HttpMethod.Post, "/api/v1/auth/login", "");
        result.ShouldFail(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Me_WithoutToken_Is401Envelope()
    {
        await using var app = new Sub2ApiFactory();
        (await app.Api().GetAsync("/api/v1/auth/me")).ShouldFail(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Me_WithTamperedToken_Is401()
    {
        await using var app = new Sub2ApiFactory();
        var token = await app.LoginAsync(Sub2ApiFactory.AdminEmail, Sub2ApiFactory.AdminPassword);
        var tampered = token[..^2] + (token[^2] == 'A' ? "BB" : "AA");
        (await app.Api().WithToken(tampered).GetAsync("/api/v1/auth/me")).ShouldFail(HttpStatusCode.Unauthorized);
        (await app.Api().WithToken("not-a-jwt").GetAsync("/api/v1/auth/me")).ShouldFail(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Register_WhenDisabled_Is403()
    {
        await using var app = new Sub2ApiFactory();
        var result = await app.Api().PostAsync("/api/v1/auth/register", new { email = "new@example.com", password = "secret-123" });
        result.ShouldFail(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Register_WhenEnabled_CreatesUserWithDefaults_AndDuplicateIs409()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        _ = (await admin.PutAsync("/api/v1/admin/settings", new { registration_enabled = true, default_balance = 1.5m, default_concurrency = 3 })).Data;

        var registered = (await app.Api().PostAsync("/api/v1/auth/register", new { email = "New@Example.com", password = "secret-123" })).Data;
        var user = registered.GetProperty("user");
        Assert.Equal("new@example.com", user.GetProperty("email").GetString());
        Assert.Equal("user", user.GetProperty("role").GetString());
        Assert.Equal(1.5m, user.GetProperty("balance").GetDecimal());
        Assert.Equal(3, user.GetProperty("concurrency").GetInt32());

        var again = await app.Api().PostAsync("/api/v1/auth/register", new { email = "new@example.com", password = "secret-456" });
        again.ShouldFail(HttpStatusCode.Conflict);
    }

    [Theory]
    [InlineData("not-an-email", "secret-123", "email")]
    [InlineData("ok@example.com", "123", "password")]
    public async Task Register_InvalidFields_Is400NamingTheField(string email, string password, string field)
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        _ = (await admin.PutAsync("/api/v1/admin/settings", new { registration_enabled = true })).Data;
        var result = await app.Api().PostAsync("/api/v1/auth/register", new { email, password });
        result.ShouldFail(HttpStatusCode.BadRequest);
        Assert.Contains(field, result.Message);
    }

    [Fact]
    public async Task Refresh_RotatesToken_AndReuseRevokesTheFamily()
    {
        await using var app = new Sub2ApiFactory();
        var login = (await app.Api().PostAsync("/api/v1/auth/login", new { email = Sub2ApiFactory.AdminEmail, password = Sub2ApiFactory.AdminPassword })).Data;
        var first = login.GetProperty("refresh_token").GetString();

        var rotated = (await app.Api().PostAsync("/api/v1/auth/refresh", new { refresh_token = first })).Data;
        var second = rotated.GetProperty("refresh_token").GetString();
        Assert.NotEqual(first, second);
        var access = rotated.GetProperty("access_token").GetString()!;
        _ = (await app.Api().WithToken(access).GetAsync("/api/v1/auth/me")).Data;

        // Replaying the first token is theft or a replay: refused, and the family (incl. the second) is revoked.
        (await app.Api().PostAsync("/api/v1/auth/refresh", new { refresh_token = first })).ShouldFail(HttpStatusCode.Unauthorized);
        (await app.Api().PostAsync("/api/v1/auth/refresh", new { refresh_token = second })).ShouldFail(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Logout_RevokesRefreshToken()
    {
        await using var app = new Sub2ApiFactory();
        var login = (await app.Api().PostAsync("/api/v1/auth/login", new { email = Sub2ApiFactory.AdminEmail, password = Sub2ApiFactory.AdminPassword })).Data;
        var refresh = login.GetProperty("refresh_token").GetString();
        _ = (await app.Api().PostAsync("/api/v1/auth/logout", new { refresh_token = refresh })).Data;
        (await app.Api().PostAsync("/api/v1/auth/refresh", new { refresh_token = refresh })).ShouldFail(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Refresh_MissingToken_Is400()
    {
        await using var app = new Sub2ApiFactory();
        (await app.Api().PostAsync("/api/v1/auth/refresh", new { })).ShouldFail(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Login_OverThePerIpLimit_Is429()
    {
        await using var app = new Sub2ApiFactory(settings: new Dictionary<string, string?> { ["Auth:LoginPermitsPerMinute"] = "3" });
        var client = app.Api();
        for (var i = 0; i < 3; i++)
        {
            (await client.PostAsync("/api/v1/auth/login", new { email = "x@example.com", password = "wrong-pass" })).ShouldFail(HttpStatusCode.Unauthorized);
        }
        (await client.PostAsync("/api/v1/auth/login", new { email = "x@example.com", password = "wrong-pass" })).ShouldFail(HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task PublicSettings_AreAnonymous_AndHideAdminOnlyKeys()
    {
        await using var app = new Sub2ApiFactory();
        var data = (await app.Api().GetAsync("/api/v1/settings/public")).Data;
        Assert.False(data.GetProperty("registration_enabled").GetBoolean());
        Assert.True(data.TryGetProperty("version", out _));
        Assert.False(data.TryGetProperty("default_balance", out _));
    }

    [Fact]
    public async Task Health_IsOk()
    {
        await using var app = new Sub2ApiFactory();
        var response = await app.CreateClient().GetStringAsync("/health");
        Assert.Equal("""{"status":"ok"}""", response);
    }
}
