using System.Net;
using System.Text;
using Sub2Api.FunctionalTests.Infrastructure;

namespace Sub2Api.FunctionalTests.Admin;

/// <summary>
/// Every management route with an id answers the same way: an id that is not a 64-bit integer is a 400
/// envelope naming <c>id</c>; a well-formed id that names nothing (0, -1) is a 404 envelope. Requests that
/// match no route, use the wrong method or do not send JSON get the envelope too, never an empty body.
/// </summary>
public sealed class RouteIdTests
{
    private static readonly (string Method, string Path, bool Admin)[] IdRoutes =
    [
        ("GET", "/api/v1/admin/users/{id}", true),
        ("PUT", "/api/v1/admin/users/{id}", true),
        ("DELETE", "/api/v1/admin/users/{id}", true),
        ("POST", "/api/v1/admin/users/{id}/balance", true),
        ("GET", "/api/v1/admin/users/{id}/balance-history", true),
        ("GET", "/api/v1/admin/groups/{id}", true),
        ("PUT", "/api/v1/admin/groups/{id}", true),
        ("DELETE", "/api/v1/admin/groups/{id}", true),
        ("GET", "/api/v1/admin/accounts/{id}", true),
        ("PUT", "/api/v1/admin/accounts/{id}", true),
        ("DELETE", "/api/v1/admin/accounts/{id}", true),
        ("POST", "/api/v1/admin/accounts/{id}/clear-error", true),
        ("POST", "/api/v1/admin/accounts/{id}/clear-rate-limit", true),
        ("POST", "/api/v1/admin/accounts/{id}/schedulable", true),
        ("GET", "/api/v1/admin/proxies/{id}", true),
        ("PUT", "/api/v1/admin/proxies/{id}", true),
        ("DELETE", "/api/v1/admin/proxies/{id}", true),
        ("GET", "/api/v1/keys/{id}", false),
        ("PUT", "/api/v1/keys/{id}", false),
        ("DELETE", "/api/v1/keys/{id}", false),
        ("GET", "/api/v1/usage/{id}", false),
    ];

    /// <summary>Bodies valid enough that only the id decides the answer.</summary>
    private static string? BodyFor(string method, string path) => method switch
    {
        "POST" when path.EndsWith("/balance", StringComparison.Ordinal) => """{"operation":"add","balance":1}""",
        "POST" when path.EndsWith("/schedulable", StringComparison.Ordinal) => """{"schedulable":true}""",
        "POST" or "PUT" => "{}",
        _ => null,
    };

    [Fact]
    public async Task MalformedOrOutOfRangeId_Is400NamingId_OnEveryRoute()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var (user, _) = await app.CreateUserAsync("ids@example.com");
        foreach (var (method, path, isAdmin) in IdRoutes)
        {
            foreach (var id in new[] { "abc", "99999999999999999999", "1.5", "0x10", "1e3" })
            {
                var url = path.Replace("{id}", id);
                var result = await SendAsync(isAdmin ? admin : user, method, url, BodyFor(method, path));
                Assert.True(result.Status == HttpStatusCode.BadRequest, $"{method} {url}: {(int)result.Status} {result.Body}");
                result.ShouldFail(HttpStatusCode.BadRequest);
                Assert.Equal("id must be an integer", result.Message);
            }
        }
    }

    [Fact]
    public async Task WellFormedIdOfNothing_Is404Envelope_OnEveryRoute()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var (user, _) = await app.CreateUserAsync("none@example.com");
        foreach (var (method, path, isAdmin) in IdRoutes)
        {
            foreach (var id in new[] { "-1", "0", "9223372036854775807" })
            {
                var url = path.Replace("{id}", id);
                var result = await SendAsync(isAdmin ? admin : user, method, url, BodyFor(method, path));
                Assert.True(result.Status == HttpStatusCode.NotFound, $"{method} {url}: {(int)result.Status} {result.Body}");
                result.ShouldFail(HttpStatusCode.NotFound);
            }
        }
    }

    [Fact]
    public async Task NoRoute_WrongMethod_NotJson_AnswerTheEnvelope()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();

        var missing = (await admin.GetAsync("/api/v1/admin/no-such-thing")).ShouldFail(HttpStatusCode.NotFound);
        Assert.Equal("NOT_FOUND", missing.Body.GetProperty("reason").GetString());
        (await admin.DeleteAsync("/api/v1/admin/settings")).ShouldFail(HttpStatusCode.MethodNotAllowed);

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/admin/users")
        {
            Content = new StringContent("email=a@b.c", Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        var notJson = await ReadAsync(await admin.Http.SendAsync(request));
        notJson.ShouldFail(HttpStatusCode.UnsupportedMediaType);
        Assert.Contains("application/json", notJson.Message);
    }

    private static async Task<ApiResult> SendAsync(ApiClient client, string method, string path, string? body)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }
        return await ReadAsync(await client.Http.SendAsync(request));
    }

    private static async Task<ApiResult> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.False(text.Length == 0, $"{(int)response.StatusCode} with an empty body");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return new ApiResult(response.StatusCode, System.Text.Json.JsonDocument.Parse(text).RootElement.Clone());
    }
}
