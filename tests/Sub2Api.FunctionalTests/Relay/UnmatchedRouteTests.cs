using System.Net;
using System.Text;
using System.Text.Json;
using Sub2Api.FunctionalTests.Infrastructure;

namespace Sub2Api.FunctionalTests.Relay;

/// <summary>
/// Unknown paths and wrong methods answer in the shape of their route family: Anthropic's error under /v1 (what an
/// Anthropic SDK can read), the management envelope under /api; other paths are left as routing answers them.
/// </summary>
public sealed class UnmatchedRouteTests
{
    [Fact]
    public async Task GatewayFamily_UnknownPath404_WrongMethod405_InAnthropicShape()
    {
        await using var app = new Sub2ApiFactory();
        var client = app.CreateClient();

        foreach (var (method, path) in new[]
        {
            ("GET", "/v1/nope"), ("POST", "/v1/nope"), ("POST", "/v1/messages/extra"), ("GET", "/v1"), ("POST", "/V1/Complete"),
            ("GET", "/v1/models/claude-sonnet-4-5/extra"),
        })
        {
            var (status, body, _) = await SendAsync(client, method, path);
            var message = MalformedInputTests.AssertAnthropicError(HttpStatusCode.NotFound, "not_found_error", status, body, $"{method} {path}");
            Assert.Equal("Not found", message);
        }

        foreach (var (method, path, allowed) in new[]
        {
            ("GET", "/v1/messages", "POST"), ("PUT", "/v1/messages/count_tokens", "POST"), ("DELETE", "/v1/models", "GET"),
            ("POST", "/v1/usage", "GET"),
        })
        {
            var (status, body, allow) = await SendAsync(client, method, path);
            var message = MalformedInputTests.AssertAnthropicError(HttpStatusCode.MethodNotAllowed, "invalid_request_error", status, body,
                $"{method} {path}");
            Assert.Contains(method, message, StringComparison.Ordinal);
            Assert.Equal(allowed, allow);
        }
    }

    [Fact]
    public async Task ManagementFamily_UnknownPath404_WrongMethod405_InTheEnvelope()
    {
        await using var app = new Sub2ApiFactory();
        var client = app.CreateClient();

        foreach (var (method, path) in new[]
        {
            ("GET", "/api/v1/nope"), ("GET", "/api"), ("POST", "/api/v2/auth/login"), ("GET", "/api/v1/admin/nope"), ("DELETE", "/api/v1/auth/login/extra"),
        })
        {
            var (status, body, _) = await SendAsync(client, method, path);
            AssertEnvelope(HttpStatusCode.NotFound, "NOT_FOUND", status, body, $"{method} {path}");
        }

        var (wrongStatus, wrongBody, allow) = await SendAsync(client, "GET", "/api/v1/auth/login");
        AssertEnvelope(HttpStatusCode.MethodNotAllowed, "METHOD_NOT_ALLOWED", wrongStatus, wrongBody, "GET /api/v1/auth/login");
        Assert.Equal("POST", allow);
    }

    [Fact]
    public async Task ManagementFamily_BodyThatIsNotJson415_InTheEnvelope()
    {
        await using var app = new Sub2ApiFactory();
        var client = app.CreateClient();

        // Routing answers these with its own 415 endpoint, which sets an empty body of length 0.
        foreach (var contentType in new[] { "text/plain", "application/xml", "application/x-www-form-urlencoded" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/login")
            {
                Content = new StringContent("{\"email\":\"a@b.c\",\"password\":\"x\"}", Encoding.UTF8, contentType),
            };
            using var response = await client.SendAsync(request);
            AssertEnvelope(HttpStatusCode.UnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE", response.StatusCode,
                await response.Content.ReadAsStringAsync(), contentType);
        }
    }

    [Fact]
    public async Task OtherPaths_AndMatchedRoutes_AreLeftAsTheyWere()
    {
        await using var app = new Sub2ApiFactory();
        var client = app.CreateClient();

        // "/", "/v1x" and "/apix/y" are the web app's pages now (see WebAppHostingTests); a missing file is still a bare 404.
        foreach (var path in new[] { "/favicon.ico", "/robots.txt" })
        {
            var (status, body, _) = await SendAsync(client, "GET", path);
            Assert.True(status == HttpStatusCode.NotFound, $"{path}: {(int)status}");
            Assert.Equal("", body);
        }

        // Matched routes answer as before: the health check, and the gateway's own 401 for a missing key.
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(client, "GET", "/health")).Status);
        var (messagesStatus, messagesBody, _) = await SendAsync(client, "POST", "/v1/messages");
        MalformedInputTests.AssertAnthropicError(HttpStatusCode.Unauthorized, "authentication_error", messagesStatus, messagesBody, "no key");
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(client, "GET", "/api/v1/auth/me")).Status);
    }

    private static void AssertEnvelope(HttpStatusCode expected, string reason, HttpStatusCode status, string body, string because)
    {
        Assert.True(status == expected, $"{because}: expected {(int)expected}, got {(int)status}: {body}");
        using var json = JsonDocument.Parse(body);
        Assert.Equal((int)expected, json.RootElement.GetProperty("code").GetInt32());
        Assert.Equal(reason, json.RootElement.GetProperty("reason").GetString());
        Assert.False(string.IsNullOrWhiteSpace(json.RootElement.GetProperty("message").GetString()), because);
    }

    private static async Task<(HttpStatusCode Status, string Body, string Allow)> SendAsync(HttpClient client, string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method is "POST" or "PUT")
        {
            request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        }
        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), string.Join(",", response.Content.Headers.Allow));
    }
}
