using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Sub2Api.FunctionalTests.Infrastructure;

/// <summary>A parsed management-API response: status plus the JSON body (envelope or error).</summary>
public sealed record ApiResult(HttpStatusCode Status, JsonElement Body)
{
    /// <summary><c>data</c> of a success envelope; fails the test with the body when it is not one.</summary>
    public JsonElement Data
    {
        get
        {
            Assert.True(Status == HttpStatusCode.OK && Body.GetProperty("code").GetInt32() == 0, $"expected success, got {(int)Status}: {Body}");
            return Body.GetProperty("data");
        }
    }

    public string Message => Body.GetProperty("message").GetString()!;

    /// <summary>Asserts an error envelope with this status (and code field equal to it).</summary>
    public ApiResult ShouldFail(HttpStatusCode status)
    {
        Assert.True(Status == status, $"expected {(int)status}, got {(int)Status}: {Body}");
        Assert.Equal((int)status, Body.GetProperty("code").GetInt32());
        Assert.False(string.IsNullOrEmpty(Body.GetProperty("message").GetString()));
        return this;
    }
}

/// <summary>Thin JSON helpers over an <see cref="HttpClient"/> with an optional bearer token.</summary>
public sealed class ApiClient(HttpClient http)
{
    public HttpClient Http { get; } = http;

    public ApiClient WithToken(string token)
    {
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return this;
    }

    public Task<ApiResult> GetAsync(string path) => SendAsync(HttpMethod.Get, path, null);
    public Task<ApiResult> PostAsync(string path, object? body = null) => SendAsync(HttpMethod.Post, path, body);
    public Task<ApiResult> PutAsync(string path, object? body = null) => SendAsync(HttpMethod.Put, path, body);
    public Task<ApiResult> DeleteAsync(string path) => SendAsync(HttpMethod.Delete, path, null);

    /// <summary>Sends raw text as the JSON body (for malformed-JSON cases).</summary>
    public async Task<ApiResult> SendRawAsync(HttpMethod method, string path, string rawJson)
    {
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(rawJson, Encoding.UTF8, "application/json") };
        return await ReadAsync(await Http.SendAsync(request));
    }

    private async Task<ApiResult> SendAsync(HttpMethod method, string path, object? body)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = body is string raw
                ? new StringContent(raw, Encoding.UTF8, "application/json")
                : JsonContent.Create(body);
        }
        return await ReadAsync(await Http.SendAsync(request));
    }

    private static async Task<ApiResult> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        var json = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        return new ApiResult(response.StatusCode, json);
    }
}

public static class FactoryClientExtensions
{
    public static ApiClient Api(this Sub2ApiFactory factory) => new(factory.CreateClient());

    public static async Task<string> LoginAsync(this Sub2ApiFactory factory, string email, string password)
    {
        var result = await factory.Api().PostAsync("/api/v1/auth/login", new { email, password });
        return result.Data.GetProperty("access_token").GetString()!;
    }

    public static async Task<ApiClient> AdminAsync(this Sub2ApiFactory factory) =>
        factory.Api().WithToken(await factory.LoginAsync(Sub2ApiFactory.AdminEmail, Sub2ApiFactory.AdminPassword));

    /// <summary>Creates a user through the admin API and returns a client logged in as that user, plus its id.</summary>
    public static async Task<(ApiClient Client, long UserId)> CreateUserAsync(this Sub2ApiFactory factory,
        string email, string password = "user-password-1", decimal balance = 0m)
    {
        var admin = await factory.AdminAsync();
        var created = await admin.PostAsync("/api/v1/admin/users", new { email, password, balance });
        var id = created.Data.GetProperty("id").GetInt64();
        return (factory.Api().WithToken(await factory.LoginAsync(email, password)), id);
    }
}
