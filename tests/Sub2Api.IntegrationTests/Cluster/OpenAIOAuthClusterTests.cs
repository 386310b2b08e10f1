using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Sub2Api.FunctionalTests.Infrastructure;

namespace Sub2Api.IntegrationTests.Cluster;

/// <summary>A ChatGPT OAuth login started on one node is finished on another (login sessions live in Redis).</summary>
public sealed class OpenAIOAuthClusterTests
{
    private static async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(HttpClient client, string path, object body)
    {
        using var response = await client.PostAsJsonAsync(path, body);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    private static async Task<HttpClient> AdminAsync(Sub2ApiFactory node)
    {
        var client = GatewayCluster.Client(node);
        var (_, login) = await PostAsync(client, "/api/v1/auth/login", new { email = Sub2ApiFactory.AdminEmail, password = Sub2ApiFactory.AdminPassword });
        client.DefaultRequestHeaders.Authorization =
            new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", login.GetProperty("data").GetProperty("access_token").GetString());
        return client;
    }

    [Fact]
    public async Task AuthUrlFromNodeA_ExchangedOnNodeB_ThenTheSessionIsGoneOnBothNodes()
    {
        await using var oauth = await FakeOpenAIOAuthServer.StartAsync();
        await using var cluster = await GatewayCluster.StartAsync(settings: oauth.Settings);
        using var adminOnA = await AdminAsync(cluster.A);
        using var adminOnB = await AdminAsync(cluster.B);

        var (_, started) = await PostAsync(adminOnA, "/api/v1/admin/openai/generate-auth-url", new { });
        var authUrl = started.GetProperty("data").GetProperty("auth_url").GetString()!;
        var sessionId = started.GetProperty("data").GetProperty("session_id").GetString()!;
        var callback = oauth.Authorize(authUrl);

        var (status, exchanged) = await PostAsync(adminOnB, "/api/v1/admin/openai/exchange-code", new { session_id = sessionId, code = callback });

        Assert.True(status == HttpStatusCode.OK, exchanged.ToString());
        Assert.Equal(oauth.IssuedAccessTokens.Single(), exchanged.GetProperty("data").GetProperty("access_token").GetString());
        Assert.Equal(FakeOpenAIOAuthServer.AccountId, exchanged.GetProperty("data").GetProperty("chatgpt_account_id").GetString());
        var (againOnA, _) = await PostAsync(adminOnA, "/api/v1/admin/openai/exchange-code", new { session_id = sessionId, code = callback });
        var (againOnB, _) = await PostAsync(adminOnB, "/api/v1/admin/openai/exchange-code", new { session_id = sessionId, code = callback });
        Assert.Equal(HttpStatusCode.BadRequest, againOnA);
        Assert.Equal(HttpStatusCode.BadRequest, againOnB);
        Assert.Equal(1, oauth.GrantCount("authorization_code"));
    }
}
