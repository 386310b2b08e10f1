using System.Net;

namespace Sub2Api.FunctionalTests.Security;

/// <summary><c>/auth/revoke-all-sessions</c> and the hourly limit on failed custom API keys.</summary>
public sealed class SessionAndKeyLimitTests
{
    [Fact]
    public async Task RevokeAllSessions_EndsEveryAccessAndRefreshToken()
    {
        await using var app = await SecurityApp.StartAsync(new { }, smtp: false);
        await app.CreateUserAsync("many@example.com", "user-password-1");
        var laptop = (await app.LoginAsync("many@example.com", "user-password-1")).ShouldSucceed();
        var phone = (await app.LoginAsync("many@example.com", "user-password-1")).ShouldSucceed();
        var anon = app.Client();

        var answer = await app.Client(laptop.GetProperty("access_token").GetString()).PostAsync("/api/v1/auth/revoke-all-sessions");

        Assert.Contains("revoked", answer.ShouldSucceed().GetProperty("message").GetString(), StringComparison.Ordinal);
        foreach (var session in new[] { laptop, phone })
        {
            (await app.Client(session.GetProperty("access_token").GetString()).GetAsync("/api/v1/auth/me")).ShouldFail(HttpStatusCode.Unauthorized);
            (await anon.PostAsync("/api/v1/auth/refresh", new { refresh_token = session.GetProperty("refresh_token").GetString() }))
                .ShouldFail(HttpStatusCode.Unauthorized);
        }
        var fresh = (await app.LoginAsync("many@example.com", "user-password-1")).ShouldSucceed();
        (await app.Client(fresh.GetProperty("access_token").GetString()).GetAsync("/api/v1/auth/me")).ShouldSucceed();
        (await anon.PostAsync("/api/v1/auth/revoke-all-sessions")).ShouldFail(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task CustomKeyFailures_AreLimitedTo20PerUserPerHour()
    {
        await using var app = await SecurityApp.StartAsync(new { }, smtp: false);
        var owner = await app.UserAsync("owner@example.com", "user-password-1");
        var prober = await app.UserAsync("prober@example.com", "user-password-1");
        var taken = "taken_key_0123456789";
        (await owner.PostAsync("/api/v1/keys", new { name = "mine", custom_key = taken })).ShouldSucceed();

        for (var i = 0; i < 20; i++)
        {
            var result = (i % 3) switch
            {
                0 => await prober.PostAsync("/api/v1/keys", new { name = "k", custom_key = "short" }),
                1 => await prober.PostAsync("/api/v1/keys", new { name = "k", custom_key = "bad chars !! 0123456789" }),
                _ => await prober.PostAsync("/api/v1/keys", new { name = "k", custom_key = taken }),
            };
            Assert.True(result.Status is HttpStatusCode.BadRequest or HttpStatusCode.Conflict, $"attempt {i + 1}: {result.Body}");
        }

        // The 21st attempt is refused even with a good key; keys without custom_key and other users are not held up.
        (await prober.PostAsync("/api/v1/keys", new { name = "k", custom_key = "a_perfectly_fine_key_42" }))
            .ShouldFail(HttpStatusCode.TooManyRequests, "CUSTOM_KEY_RATE_LIMITED");
        (await prober.PostAsync("/api/v1/keys", new { name = "generated" })).ShouldSucceed();
        (await owner.PostAsync("/api/v1/keys", new { name = "k", custom_key = "owners_second_key_42" })).ShouldSucceed();

        app.Clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));
        (await prober.PostAsync("/api/v1/keys", new { name = "k", custom_key = "a_perfectly_fine_key_42" })).ShouldSucceed();
    }
}
