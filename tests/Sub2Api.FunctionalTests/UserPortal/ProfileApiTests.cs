using System.Net;
using Sub2Api.FunctionalTests.Infrastructure;

namespace Sub2Api.FunctionalTests.UserPortal;

public sealed class ProfileApiTests
{
    [Fact]
    public async Task Profile_GetAndUpdateUsername()
    {
        await using var app = new Sub2ApiFactory();
        var (user, _) = await app.CreateUserAsync("pat@example.com", balance: 3.25m);
        var profile = (await user.GetAsync("/api/v1/user/profile")).Data;
        Assert.Equal("pat@example.com", profile.GetProperty("email").GetString());
        Assert.Equal(3.25m, profile.GetProperty("balance").GetDecimal());
        var updated = (await user.PutAsync("/api/v1/user/profile", new { username = "Pat" })).Data;
        Assert.Equal("Pat", updated.GetProperty("username").GetString());
    }

    [Fact]
    public async Task Password_Change_RequiresOldPassword_AndEndsSessions()
    {
        await using var app = new Sub2ApiFactory();
        var (user, _) = await app.CreateUserAsync("quinn@example.com");
        (await user.PutAsync("/api/v1/user/password", new { old_password = "wrong-one", new_password = "new-password-1" })).ShouldFail(HttpStatusCode.BadRequest);
        (await user.PutAsync("/api/v1/user/password", new { old_password = "user-password-1", new_password = "12" })).ShouldFail(HttpStatusCode.BadRequest);
        _ = (await user.PutAsync("/api/v1/user/password", new { old_password = "user-password-1", new_password = "new-password-1" })).Data;
        (await user.GetAsync("/api/v1/user/profile")).ShouldFail(HttpStatusCode.Unauthorized);
        (await app.Api().PostAsync("/api/v1/auth/login", new { email = "quinn@example.com", password = "user-password-1" })).ShouldFail(HttpStatusCode.Unauthorized);
        _ = await app.LoginAsync("quinn@example.com", "new-password-1");
    }

    [Fact]
    public async Task Profile_WithoutToken_Is401()
    {
        await using var app = new Sub2ApiFactory();
        (await app.Api().GetAsync("/api/v1/user/profile")).ShouldFail(HttpStatusCode.Unauthorized);
    }
}
