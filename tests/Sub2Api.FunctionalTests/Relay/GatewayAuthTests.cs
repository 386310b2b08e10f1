using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Sub2Api.Data.Entities;
using Sub2Api.FunctionalTests.Infrastructure;

namespace Sub2Api.FunctionalTests.Relay;

/// <summary>
/// Gateway authentication (SPEC §2.2): key extraction, the checks in the original's order with their codes, in
/// Anthropic's error shape plus the machine-readable code; authentication before the body is read; body limits
/// and request parsing (SPEC §4.1 steps 1–2).
/// </summary>
public sealed class GatewayAuthTests
{
    /// <summary>Asserts <c>{"type":"error","error":{"type","message","code"}}</c> with this status, type and code.</summary>
    private static void AssertAuthError(HttpStatusCode expectedStatus, string expectedType, string expectedCode, HttpStatusCode status,
        string body)
    {
        Assert.True(status == expectedStatus, $"expected {(int)expectedStatus}, got {(int)status}: {body}");
        using var json = JsonDocument.Parse(body);
        Assert.Equal("error", json.RootElement.GetProperty("type").GetString());
        var error = json.RootElement.GetProperty("error");
        Assert.Equal(expectedType, error.GetProperty("type").GetString());
        Assert.Equal(expectedCode, error.GetProperty("code").GetString());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
    }

    private static async Task<(HttpStatusCode Status, string Body)> PostAsync(HttpClient client, string path = "/v1/messages",
        HttpContent? content = null)
    {
        using var response = await client.PostAsync(path, content ?? RelayScenario.MessageBody(stream: false));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Messages_NoKey_Returns401ApiKeyRequired()
    {
        await using var s = await RelayScenario.StartAsync();
        await s.AddApiKeyAccountAsync("ok");

        var (status, body) = await PostAsync(s.App.CreateClient());

        AssertAuthError(HttpStatusCode.Unauthorized, "authentication_error", "API_KEY_REQUIRED", status, body);
        Assert.Empty(s.Upstream.Received);
    }

    [Fact]
    public async Task Messages_UnknownKey_Returns401InvalidApiKey()
    {
        await using var s = await RelayScenario.StartAsync();
        await s.AddApiKeyAccountAsync("ok");

        var (status, body) = await s.SendAsync("sk-" + new string('0', 64));

        AssertAuthError(HttpStatusCode.Unauthorized, "authentication_error", "INVALID_API_KEY", status, body);
        Assert.Empty(s.Upstream.Received);
    }

    [Theory]
    [InlineData("authorization")]
    [InlineData("x-api-key")]
    [InlineData("x-goog-api-key")]
    public async Task Messages_KeyInEachSupportedHeader_IsAccepted(string header)
    {
        await using var s = await RelayScenario.StartAsync();
        await s.AddApiKeyAccountAsync("ok");
        var (key, _, _) = await s.AddUserWithKeyAsync();
        var client = s.App.CreateClient();
        if (header == "authorization")
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
        else
        {
            client.DefaultRequestHeaders.Add(header, key);
        }

        var (status, body) = await PostAsync(client);

        Assert.True(status == HttpStatusCode.OK, body);
        Assert.Single(s.Upstream.Received);
    }

    [Fact]
    public async Task Messages_BearerKeyIsNotForwardedUpstream_TheAccountKeyIs()
    {
        await using var s = await RelayScenario.StartAsync();
        var account = await s.AddApiKeyAccountAsync("ok");
        var (key, _, _) = await s.AddUserWithKeyAsync();
        var client = s.App.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);

        var (status, _) = await PostAsync(client);

        Assert.Equal(HttpStatusCode.OK, status);
        var received = Assert.Single(s.Upstream.Received);
        Assert.Equal(s.CredentialOf(account), received.Header("x-api-key"));
        Assert.Null(received.Header("authorization"));
        Assert.DoesNotContain(key, string.Join("\n", received.Headers.Values), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("key")]
    [InlineData("api_key")]
    public async Task Messages_KeyInQueryString_Returns400(string parameter)
    {
        await using var s = await RelayScenario.StartAsync();
        await s.AddApiKeyAccountAsync("ok");
        var (key, _, _) = await s.AddUserWithKeyAsync();

        // Even with a valid header key: a key in a URL leaks into logs, so it is refused outright.
        var (status, body) = await PostAsync(s.Client(key), $"/v1/messages?{parameter}={key}");

        AssertAuthError(HttpStatusCode.BadRequest, "invalid_request_error", "api_key_in_query_deprecated", status, body);
        Assert.Empty(s.Upstream.Received);
    }

    [Fact]
    public async Task Messages_DisabledKey_Returns401ApiKeyDisabled()
    {
        await using var s = await RelayScenario.StartAsync();
        await s.AddApiKeyAccountAsync("ok");
        var (key, _, _) = await s.AddUserWithKeyAsync(configureKey: k => k.Status = Statuses.Disabled);

        var (status, body) = await s.SendAsync(key);

        AssertAuthError(HttpStatusCode.Unauthorized, "authentication_error", "API_KEY_DISABLED", status, body);
    }

    [Fact]
    public async Task Messages_ExpiresAtInThePast_Returns403ApiKeyExpired()
    {
        await using var s = await RelayScenario.StartAsync();
        await s.AddApiKeyAccountAsync("ok");
        var (key, _, _) = await s.AddUserWithKeyAsync(configureKey: k => k.ExpiresAt = DateTime.UtcNow.AddMinutes(-1));

        var (status, body) = await s.SendAsync(key);

        AssertAuthError(HttpStatusCode.Forbidden, "permission_error", "API_KEY_EXPIRED", status, body);
        Assert.Empty(s.Upstream.Received);
    }

    [Fact]
    public async Task Messages_ExpiredStatus_Returns403ApiKeyExpired()
    {
        await using var s = await RelayScenario.StartAsync();
        await s.AddApiKeyAccountAsync("ok");
        var (key, _, _) = await s.AddUserWithKeyAsync(configureKey: k => k.Status = Statuses.Expired);

        var (status, body) = await s.SendAsync(key);

        AssertAuthError(HttpStatusCode.Forbidden, "permission_error", "API_KEY_EXPIRED", status, body);
    }

    [Fact]
    public async Task Messages_QuotaUsedUp_Returns429QuotaExhausted()
    {
        await using var s = await RelayScenario.StartAsync();
        await s.AddApiKeyAccountAsync("ok");
        var (usedUp, _, _) = await s.AddUserWithKeyAsync(configureKey: k => { k.Quota = 1m; k.QuotaUsed = 1m; });
        var (exhausted, _, _) = await s.AddUserWithKeyAsync(configureKey: k => k.Status = Statuses.QuotaExhausted);

        var (status, body) = await s.SendAsync(usedUp);
        AssertAuthError(HttpStatusCode.TooManyRequests, "rate_limit_error", "API_KEY_QUOTA_EXHAUSTED", status, body);
        (status, body) = await s.SendAsync(exhausted);
        AssertAuthError(HttpStatusCode.TooManyRequests, "rate_limit_error", "API_KEY_QUOTA_EXHAUSTED", status, body);
        Assert.Empty(s.Upstream.Received);
    }

    [Fact]
    public async Task Messages_IpBlacklisted_Returns403AccessDenied_OtherIpsPass()
    {
        await using var s = await RelayScenario.StartAsync();
        await s.AddApiKeyAccountAsync("ok");
        var (key, _, _) = await s.AddUserWithKeyAsync(configureKey: k => k.IpBlacklist = ["10.1.0.0/16", "192.0.2.7"]);

        var (status, body) = await s.SendFromIpAsync(key, IPAddress.Parse("10.1.2.3"));
        AssertAuthError(HttpStatusCode.Forbidden, "permission_error", "ACCESS_DENIED", (HttpStatusCode)status, body);
        (status, body) = await s.SendFromIpAsync(key, IPAddress.Parse("192.0.2.7"));
        AssertAuthError(HttpStatusCode.Forbidden, "permission_error", "ACCESS_DENIED", (HttpStatusCode)status, body);

        (status, body) = await s.SendFromIpAsync(key, IPAddress.Parse("10.2.0.1"));
        Assert.True(status == 200, body);
        Assert.Single(s.Upstream.Received);
    }

    [Fact]
    public async Task Messages_IpNotWhitelisted_Returns403AccessDenied_WhitelistedIpPasses()
    {
        await using var s = await RelayScenario.StartAsync();
        await s.AddApiKeyAccountAsync("ok");
        var (key, _, _) = await s.AddUserWithKeyAsync(configureKey: k => k.IpWhitelist = ["203.0.113.0/24"]);

        var (status, body) = await s.SendFromIpAsync(key, IPAddress.Parse("198.51.100.1"));
        AssertAuthError(HttpStatusCode.Forbidden, "permission_error", "ACCESS_DENIED", (HttpStatusCode)status, body);

        (status, body) = await s.SendFromIpAsync(key, IPAddress.Parse("203.0.113.9"));
        Assert.True(status == 200, body);
        // An IPv4 client seen through a dual-stack socket is the same client.
        (status, body) = await s.SendFromIpAsync(key, IPAddress.Parse("203.0.113.9").MapToIPv6());
        Assert.True(status == 200, body);
        Assert.Equal(2, s.Upstream.Received.Count);
    }

    [Fact]
    public async Task Messages_DisabledUser_Returns401UserInactive()
    {
        await using var s = await RelayScenario.StartAsync();
        await s.AddApiKeyAccountAsync("ok");
        var (key, userId, _) = await s.AddUserWithKeyAsync();
        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(key)).Status); // caches the caller

        await s.UpdateUserAsync(userId, u => u.Status = Statuses.Disabled);
        var (status, body) = await s.SendAsync(key);

        // The cached caller must not outlive the admin's change.
        AssertAuthError(HttpStatusCode.Unauthorized, "authentication_error", "USER_INACTIVE", status, body);
        Assert.Single(s.Upstream.Received);
    }

    [Fact]
    public async Task Messages_ZeroBalance_Returns403InsufficientBalance()
    {
        await using var s = await RelayScenario.StartAsync();
        await s.AddApiKeyAccountAsync("ok");
        var (key, _, _) = await s.AddUserWithKeyAsync(balance: 0m);

        var (status, body) = await s.SendAsync(key);

        AssertAuthError(HttpStatusCode.Forbidden, "permission_error", "INSUFFICIENT_BALANCE", status, body);
        Assert.Empty(s.Upstream.Received);
    }

    [Fact]
    public async Task Messages_UnauthenticatedHugeBody_Returns401Not413()
    {
        await using var s = await RelayScenario.StartAsync(new Dictionary<string, string?> { ["Gateway:MaxBodySize"] = "1024" });
        await s.AddApiKeyAccountAsync("ok");
        var huge = RelayScenario.MessageBody(stream: false, text: new string('x', 200_000));

        var (status, body) = await PostAsync(s.App.CreateClient(), content: huge);
        AssertAuthError(HttpStatusCode.Unauthorized, "authentication_error", "API_KEY_REQUIRED", status, body);

        var bad = s.App.CreateClient();
        bad.DefaultRequestHeaders.Add("x-api-key", "sk-not-a-key");
        (status, body) = await PostAsync(bad, content: RelayScenario.MessageBody(stream: false, text: new string('x', 200_000)));
        AssertAuthError(HttpStatusCode.Unauthorized, "authentication_error", "INVALID_API_KEY", status, body);
    }

    [Fact]
    public async Task Messages_BodyOverMaxBodySize_Returns413AndNothingGoesUpstream()
    {
        await using var s = await RelayScenario.StartAsync(new Dictionary<string, string?> { ["Gateway:MaxBodySize"] = "1024" });
        await s.AddApiKeyAccountAsync("ok");
        var (key, _, _) = await s.AddUserWithKeyAsync();

        var (status, body) = await s.SendAsync(key, text: new string('x', 2000));
        Assert.True(status == HttpStatusCode.RequestEntityTooLarge, body);
        using (var json = JsonDocument.Parse(body))
        {
            Assert.Equal("error", json.RootElement.GetProperty("type").GetString());
            Assert.Equal("request_too_large", json.RootElement.GetProperty("error").GetProperty("type").GetString());
        }

        // Without Content-Length (chunked), the limit holds while reading.
        using var chunked = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(
            $"{{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":8,\"messages\":[{{\"role\":\"user\",\"content\":\"{new string('y', 5000)}\"}}]}}")));
        chunked.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = chunked };
        request.Headers.TransferEncodingChunked = true;
        using var response = await s.Client(key).SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);

        // Under the limit is fine.
        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(key, text: "small")).Status);
        Assert.Single(s.Upstream.Received);
    }

    [Theory]
    [InlineData("{\"model\":\"claude-sonnet-4-5\",\"messages\":[", "Failed to parse request body")]
    [InlineData("not json at all", "Failed to parse request body")]
    [InlineData("{\"max_tokens\":8,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "model is required")]
    [InlineData("{\"model\":\"\",\"messages\":[]}", "model is required")]
    [InlineData("{\"model\":42,\"messages\":[]}", "model must be a string")]
    [InlineData("{\"model\":\"claude-sonnet-4-5\",\"stream\":\"yes\",\"messages\":[]}", "stream must be a boolean")]
    public async Task Messages_InvalidBody_Returns400InvalidRequestError(string raw, string message)
    {
        await using var s = await RelayScenario.StartAsync();
        await s.AddApiKeyAccountAsync("ok");
        var (key, _, _) = await s.AddUserWithKeyAsync();

        var (status, body) = await PostAsync(s.Client(key), content: new StringContent(raw, Encoding.UTF8, "application/json"));

        Assert.True(status == HttpStatusCode.BadRequest, body);
        using var json = JsonDocument.Parse(body);
        Assert.Equal("error", json.RootElement.GetProperty("type").GetString());
        Assert.Equal("invalid_request_error", json.RootElement.GetProperty("error").GetProperty("type").GetString());
        Assert.Equal(message, json.RootElement.GetProperty("error").GetProperty("message").GetString());
        Assert.Empty(s.Upstream.Received);
    }

    [Fact]
    public async Task Messages_EmptyBody_Returns400()
    {
        await using var s = await RelayScenario.StartAsync();
        await s.AddApiKeyAccountAsync("ok");
        var (key, _, _) = await s.AddUserWithKeyAsync();

        var (status, body) = await PostAsync(s.Client(key), content: new StringContent("", Encoding.UTF8, "application/json"));

        Assert.True(status == HttpStatusCode.BadRequest, body);
        Assert.Contains("invalid_request_error", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Models_And_Usage_RequireAKey()
    {
        await using var s = await RelayScenario.StartAsync();
        var anonymous = s.App.CreateClient();

        foreach (var path in new[] { "/v1/models", "/v1/usage" })
        {
            using var response = await anonymous.GetAsync(path);
            AssertAuthError(HttpStatusCode.Unauthorized, "authentication_error", "API_KEY_REQUIRED", response.StatusCode,
                await response.Content.ReadAsStringAsync());
        }
        var (status, body) = await PostAsync(anonymous, "/v1/messages/count_tokens");
        AssertAuthError(HttpStatusCode.Unauthorized, "authentication_error", "API_KEY_REQUIRED", status, body);
    }
}
