using System.Net;
using System.Text;
using Sub2Api.FunctionalTests.Infrastructure;

namespace Sub2Api.FunctionalTests.Admin;

/// <summary>
/// Bytes a JSON reader accepts but cannot turn into a string (invalid UTF-8, a lone surrogate escape) in the
/// raw JSON fields handlers read themselves, and a page far beyond the data: a 4xx envelope or an empty page.
/// </summary>
public sealed class MalformedInputTests
{
    private static readonly byte[] LoneSurrogate = Encoding.ASCII.GetBytes("\"\\ud800\"");
    private static readonly byte[] InvalidUtf8 = [(byte)'"', 0xC3, 0x28, 0xFF, (byte)'"'];

    private static byte[] Json(string before, byte[] text, string after = "") =>
        [.. Encoding.UTF8.GetBytes(before), .. text, .. Encoding.UTF8.GetBytes(after)];

    [Fact]
    public async Task UndecodableStrings_InRawJsonFields_Are400Envelopes()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var (user, _) = await app.CreateUserAsync("bytes@example.com");
        var account = (await admin.PostAsync("/api/v1/admin/accounts", new
        {
            name = "a", platform = "anthropic", type = "apikey", credentials = new { api_key = "sk-test" },
        })).Data.GetProperty("id").GetInt64();
        var key = (await user.PostAsync("/api/v1/keys", new { name = "k" })).Data.GetProperty("id").GetInt64();

        foreach (var text in new[] { LoneSurrogate, InvalidUtf8 })
        {
            var cases = new (ApiClient Client, HttpMethod Method, string Path, byte[] Body, string Field)[]
            {
                (admin, HttpMethod.Put, $"/api/v1/admin/accounts/{account}", Json("""{"credentials":{"api_key":""", text, "}}"), "credentials"),
                (admin, HttpMethod.Put, $"/api/v1/admin/accounts/{account}", Json("""{"extra":{""", text, ":1}}"), "extra"),
                (admin, HttpMethod.Post, "/api/v1/admin/accounts", Json("""{"name":"b","platform":"anthropic","type":"apikey","credentials":{"api_key":""", text, "}}"), "credentials.api_key"),
                (admin, HttpMethod.Put, "/api/v1/admin/settings", Json("""{"site_name":""", text, "}"), "site_name"),
                (user, HttpMethod.Put, $"/api/v1/keys/{key}", Json("""{"expires_at":""", text, "}"), "expires_at"),
                (user, HttpMethod.Put, $"/api/v1/keys/{key}", Json("""{"group_id":""", text, "}"), "group_id"),
            };
            foreach (var (client, method, path, body, field) in cases)
            {
                using var request = new HttpRequestMessage(method, path) { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = new("application/json");
                using var response = await client.Http.SendAsync(request);
                var answer = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{method} {path} {Encoding.Latin1.GetString(body)}: {(int)response.StatusCode} {answer}");
                Assert.Contains("\"code\":400", answer, StringComparison.Ordinal);
                Assert.Contains($"'{field}'", answer, StringComparison.Ordinal);
            }
        }
        Assert.Equal("Sub2API", (await admin.GetAsync("/api/v1/admin/settings")).Data.GetProperty("site_name").GetString());
    }

    /// <summary>PostgreSQL refuses U+0000 in text (the whole statement fails); the API refuses it for both databases.</summary>
    [Fact]
    public async Task NulCharacter_InBodiesAndQueries_Is400()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();

        var cases = new (HttpMethod Method, string Path, string Body, string Field)[]
        {
            (HttpMethod.Post, "/api/v1/admin/groups", """{"name":"a\u0000b"}""", "name"),
            (HttpMethod.Post, "/api/v1/admin/groups", """{"name":"g","description":"\u0000"}""", "description"),
            (HttpMethod.Put, "/api/v1/admin/settings", """{"site_name":"x\u0000"}""", "site_name"),
            (HttpMethod.Post, "/api/v1/admin/users", """{"email":"nul@example.com","password":"user-password-1","notes":"\u0000"}""", "notes"),
        };
        foreach (var (method, path, body, field) in cases)
        {
            var result = await admin.SendRawAsync(method, path, body);
            Assert.True(result.Status == HttpStatusCode.BadRequest, $"{method} {path} {body}: {(int)result.Status} {result.Body}");
            result.ShouldFail(HttpStatusCode.BadRequest);
            Assert.Contains($"'{field}'", result.Message);
        }
        var search = (await admin.GetAsync("/api/v1/admin/users?search=a%00b")).ShouldFail(HttpStatusCode.BadRequest);
        Assert.Contains("search", search.Message);
        Assert.Equal(0, (await admin.GetAsync("/api/v1/admin/groups")).Data.GetProperty("total").GetInt64());
        Assert.Equal("Sub2API", (await admin.GetAsync("/api/v1/admin/settings")).Data.GetProperty("site_name").GetString());
    }

    [Fact]
    public async Task PageBeyondInt32Offsets_IsAnEmptyPage()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        await app.CreateUserAsync("paged@example.com");

        var page = (await admin.GetAsync("/api/v1/admin/users?page=2147483647&page_size=1000")).Data;

        Assert.Empty(page.GetProperty("items").EnumerateArray());
        Assert.Equal(2, page.GetProperty("total").GetInt64());
        Assert.Equal(2147483647, page.GetProperty("page").GetInt32());
    }
}
