using Microsoft.Extensions.DependencyInjection;
using Sub2Api.FunctionalTests.Infrastructure;
using Sub2Api.Providers.Anthropic.OAuth;

namespace Sub2Api.FunctionalTests.Admin;

/// <summary>The gateway's Claude OAuth client against <see cref="FakeOAuthServer"/>: grants, rotation and error kinds.</summary>
public sealed class ClaudeOAuthClientTests : IAsyncLifetime
{
    private FakeOAuthServer _oauth = null!;
    private Sub2ApiFactory _app = null!;

    public async ValueTask InitializeAsync()
    {
        _oauth = await FakeOAuthServer.StartAsync();
        _app = new Sub2ApiFactory(settings: _oauth.Settings);
        _ = _app.Server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        await _oauth.DisposeAsync();
    }

    private ClaudeOAuthClient Client => _app.Services.GetRequiredService<ClaudeOAuthClient>();

    [Fact]
    public async Task Refresh_RotatesTheRefreshToken_AndTheOldOneIsDeadAfterwards()
    {
        var (_, refresh) = _oauth.IssueTokens();
        _oauth.ExpiresIn = 3600;

        var first = await Client.RefreshAsync(refresh, null, TestContext.Current.CancellationToken);

        Assert.StartsWith("sk-ant-oat01-ok-", first.AccessToken, StringComparison.Ordinal);
        Assert.NotNull(first.RefreshToken);
        Assert.NotEqual(refresh, first.RefreshToken);
        Assert.Equal(3600, first.ExpiresIn);
        Assert.InRange((first.ExpiresAt - DateTimeOffset.UtcNow).TotalSeconds, 3590, 3601);
        var request = _oauth.TokenRequests.Single();
        Assert.Equal("refresh_token", request["grant_type"]!.GetValue<string>());
        Assert.Equal(FakeOAuthServer.ClientId, request["client_id"]!.GetValue<string>());

        var reuse = await Assert.ThrowsAsync<ClaudeOAuthException>(() => Client.RefreshAsync(refresh, null, TestContext.Current.CancellationToken));
        Assert.True(reuse.IsFinal);
        Assert.Equal("invalid_grant", reuse.ErrorCode);
        Assert.Equal(400, reuse.Status);
        Assert.DoesNotContain(refresh, reuse.Message, StringComparison.Ordinal);

        var second = await Client.RefreshAsync(first.RefreshToken!, null, TestContext.Current.CancellationToken);
        Assert.NotEqual(first.AccessToken, second.AccessToken);
        Assert.Equal(3, _oauth.GrantCount("refresh_token"));
        Assert.Equal(2, _oauth.RefreshCount(refresh));
        Assert.Equal(1, _oauth.RefreshCount(first.RefreshToken!));
    }

    [Fact]
    public async Task Refresh_ServerErrorIsTransient_ForcedInvalidGrantIsFinal_NetworkFailureIsTransient()
    {
        var (_, refresh) = _oauth.IssueTokens();

        _oauth.FailNextGrants(1, FakeOAuthFailure.ServerError);
        var outage = await Assert.ThrowsAsync<ClaudeOAuthException>(() => Client.RefreshAsync(refresh, null, TestContext.Current.CancellationToken));
        Assert.True(outage.IsTransient);
        Assert.Equal(500, outage.Status);
        Assert.True(_oauth.IsLive(refresh), "a failed grant does not consume the refresh token");

        _oauth.FailNextGrants(1, FakeOAuthFailure.InvalidGrant);
        var dead = await Assert.ThrowsAsync<ClaudeOAuthException>(() => Client.RefreshAsync(refresh, null, TestContext.Current.CancellationToken));
        Assert.True(dead.IsFinal);

        // The failures are used up: the token still works.
        Assert.NotNull((await Client.RefreshAsync(refresh, null, TestContext.Current.CancellationToken)).RefreshToken);

        // A proxy nobody listens on: no answer at all.
        var unreachable = await Assert.ThrowsAsync<ClaudeOAuthException>(() =>
            Client.RefreshAsync("sk-ant-ort01-whatever", "http://127.0.0.1:1", TestContext.Current.CancellationToken));
        Assert.True(unreachable.IsTransient);
        Assert.Equal(0, unreachable.Status);
    }
}
