using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Sub2Api.Data.Entities;
using Sub2Api.FunctionalTests.Infrastructure;

namespace Sub2Api.FunctionalTests.Accounts.OpenAI;

/// <summary>
/// A ChatGPT account onboarded through <c>/admin/openai/create-from-oauth</c> serves the relay: the Codex backend
/// receives its access token and its <c>chatgpt-account-id</c>; when the backend refuses the token, the gateway
/// refreshes it through the ChatGPT token endpoint and retries with the new one.
/// </summary>
public sealed class OpenAIOAuthRelayTests
{
    [Fact]
    public async Task OnboardedAccount_ServesWithItsTokenAndAccountId_AndA401RefreshesAndRetries()
    {
        await using var oauth = await FakeOpenAIOAuthServer.StartAsync();
        await using var upstream = await FakeOpenAIUpstream.StartAsync();
        var settings = new Dictionary<string, string?>(oauth.Settings)
        {
            ["Gateway:OpenAI:CodexBaseUrl"] = upstream.BaseUrl + "/backend-api/codex",
            ["TokenRefresh:CheckIntervalSeconds"] = "3600",
            ["TokenRefresh:RetryBackoffMilliseconds"] = "5",
        };
        await using var app = new Sub2ApiFactory(settings: settings);
        var groupId = await app.WithDbAsync(async db =>
        {
            var group = new Group { Name = "codex", Platform = Platforms.OpenAI };
            db.Groups.Add(group);
            await db.SaveChangesAsync();
            return group.Id;
        });
        var admin = await app.AdminAsync();
        var started = (await admin.PostAsync($"{OpenAIOAuthScenario.Routes}/generate-auth-url", new { })).Data;
        await admin.PostAsync($"{OpenAIOAuthScenario.Routes}/create-from-oauth", new
        {
            session_id = started.GetProperty("session_id").GetString(),
            code = oauth.Authorize(started.GetProperty("auth_url").GetString()!),
            group_ids = new[] { groupId },
        });
        var (key, _, _) = await TestSeed.UserWithKeyAsync(app, groupId, 5m, concurrency: 5);
        var client = app.CreateClient();

        async Task<(HttpStatusCode Status, string Body)> SendAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/responses")
            {
                Content = new StringContent("""{"model":"gpt-5.1","input":"hello","stream":true}""", Encoding.UTF8, "application/json"),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
            return (response.StatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }

        var (status, body) = await SendAsync();

        Assert.True(status == HttpStatusCode.OK, body);
        var first = upstream.Received.Single();
        Assert.Equal(FakeOpenAIUpstream.CodexResponsesPath, first.Path);
        Assert.Equal("Bearer " + oauth.IssuedAccessTokens.Single(), first.Header("authorization"));
        Assert.Equal(FakeOpenAIOAuthServer.AccountId, first.Header("chatgpt-account-id"));

        // The backend now accepts only a token the OAuth server has not issued yet: the stored one is refused once,
        // the gateway refreshes (rotating the refresh token) and the retry carries the new token.
        upstream.BearerIsValid = token => token != oauth.IssuedAccessTokens[0];
        (status, body) = await SendAsync();

        Assert.True(status == HttpStatusCode.OK, body);
        Assert.Equal(1, oauth.GrantCount("refresh_token"));
        Assert.Equal("Bearer " + oauth.IssuedAccessTokens[^1], upstream.Received[^1].Header("authorization"));
        Assert.Equal(FakeOpenAIOAuthServer.AccountId, upstream.Received[^1].Header("chatgpt-account-id"));
    }
}
