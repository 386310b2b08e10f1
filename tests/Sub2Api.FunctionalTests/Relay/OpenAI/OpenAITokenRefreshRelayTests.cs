using System.Net;
using Sub2Api.FunctionalTests.Infrastructure;

namespace Sub2Api.FunctionalTests.Relay.OpenAI;

/// <summary>
/// A ChatGPT account whose access token the Codex backend refuses (401): the relay refreshes it once with the fake
/// OAuth server, retries with the new token, stores the rotated refresh token, and bills the request once.
/// </summary>
public sealed class OpenAITokenRefreshRelayTests
{
    private const string Model = "gpt-5.1";

    private static async Task<(FakeOpenAIOAuthServer OAuth, FakeOpenAIUpstream Upstream, OpenAIGateway Gateway, long Account, string Access)>
        StartAsync(int concurrency)
    {
        var oauth = await FakeOpenAIOAuthServer.StartAsync();
        var upstream = await FakeOpenAIUpstream.StartAsync();
        var settings = new Dictionary<string, string?>(oauth.Settings)
        {
            ["TokenRefresh:CheckIntervalSeconds"] = "3600",
            ["TokenRefresh:RetryBackoffMilliseconds"] = "5",
        };
        var gateway = await OpenAIGateway.StartAsync(upstream, chatGpt: true, accountWord: null, settings: settings);
        var (access, refresh, _) = oauth.IssueTokens();
        var account = await gateway.AddChatGptAccountAsync(access, refresh, concurrency: concurrency);
        // The stored token has been revoked: only tokens issued after it are accepted.
        upstream.BearerIsValid = token => token != access;
        return (oauth, upstream, gateway, account, access);
    }

    [Theory]
    [InlineData("/v1/responses", true)]
    [InlineData("/v1/responses", false)]
    [InlineData("/v1/chat/completions", false)]
    public async Task Codex401_RefreshesOnce_RetriesWithTheNewToken_StoresTheRotatedRefreshToken(string path, bool stream)
    {
        var (oauth, upstream, gateway, account, oldAccess) = await StartAsync(concurrency: 3);
        await using var _ = oauth;
        await using var __ = upstream;
        await using var ___ = gateway;
        var oldRefresh = (await gateway.CredentialsAsync(account))["refresh_token"]!.GetValue<string>();
        var json = path.Contains("chat", StringComparison.Ordinal)
            ? $$"""{"model":"{{Model}}","stream":{{(stream ? "true" : "false")}},"messages":[{"role":"user","content":"hi"}]}"""
            : $$"""{"model":"{{Model}}","stream":{{(stream ? "true" : "false")}},"input":"hi"}""";

        var (status, body, _) = await gateway.PostAsync(path, json);

        Assert.True(status == HttpStatusCode.OK, body);
        Assert.Contains(stream ? FakeOpenAIUpstream.TextDeltas[0] : FakeOpenAIUpstream.ResponseText, body, StringComparison.Ordinal);
        Assert.Equal(1, oauth.GrantCount("refresh_token"));
        var seen = upstream.Received;
        Assert.Equal(2, seen.Count);
        Assert.Equal("Bearer " + oldAccess, seen[0].Credential);
        var newAccess = oauth.IssuedAccessTokens[^1];
        Assert.Equal("Bearer " + newAccess, seen[1].Credential);

        var stored = await gateway.CredentialsAsync(account);
        Assert.Equal(newAccess, stored["access_token"]!.GetValue<string>());
        var newRefresh = stored["refresh_token"]!.GetValue<string>();
        Assert.NotEqual(oldRefresh, newRefresh);
        Assert.True(oauth.IsLive(newRefresh), "the stored refresh token is the one the last grant issued");
        Assert.Equal(Sub2Api.Data.Entities.Statuses.Active, (await gateway.AccountAsync(account)).Status);

        // The next request uses the new token at once: no second refresh.
        Assert.Equal(HttpStatusCode.OK, (await gateway.PostAsync(path, json)).Status);
        Assert.Equal(1, oauth.GrantCount("refresh_token"));
        Assert.Equal("Bearer " + newAccess, upstream.Received[^1].Credential);
        await gateway.AssertBilledAsync(2, account, Model);
    }

    [Fact]
    public async Task ConcurrentRequestsAllRefused_OneRefreshServesThemAll()
    {
        var (oauth, upstream, gateway, account, _) = await StartAsync(concurrency: 4);
        await using var _1 = oauth;
        await using var _2 = upstream;
        await using var _3 = gateway;

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(i =>
            gateway.PostAsync("/v1/responses", $$"""{"model":"{{Model}}","stream":{{(i % 2 == 0 ? "true" : "false")}},"input":"hi {{i}}"}""")));

        Assert.All(results, r => Assert.True(r.Status == HttpStatusCode.OK, r.Body));
        Assert.Equal(1, oauth.GrantCount("refresh_token"));
        var stored = await gateway.CredentialsAsync(account);
        Assert.True(oauth.IsLive(stored["refresh_token"]!.GetValue<string>()), "the stored refresh token must still be usable");
        await gateway.AssertBilledAsync(4, account, Model);
    }
}
