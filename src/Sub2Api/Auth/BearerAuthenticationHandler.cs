using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Sub2Api.Common;
using Sub2Api.Data;
using Sub2Api.Data.Entities;

namespace Sub2Api.Auth;

/// <summary>
/// Authenticates the management API from <c>Authorization: Bearer &lt;jwt&gt;</c>. The user row is checked on
/// every call (management traffic is light): a disabled or deleted user, or a token older than the user's
/// <c>token_version</c> (password changed, logged out everywhere), is refused at once.
/// Failures are written in the envelope, not as bare 401/403. Admin routes also take the admin API key
/// (<see cref="AdminApiKeyAuthentication"/>).
/// </summary>
internal sealed class BearerAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    JwtTokens tokens)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Sub2Api";
    private const string FailureKey = "sub2api.auth.failure";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            if (AdminApiKeyAuthentication.Applies(Request))
            {
                var admin = await AdminApiKeyAuthentication.AuthenticateAsync(Context, SchemeName, message => Context.Items[FailureKey] = message);
                return admin is null
                    ? AuthenticateResult.Fail((string)Context.Items[FailureKey]!)
                    : AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(admin), SchemeName));
            }
            return AuthenticateResult.NoResult();
        }
        var claims = tokens.Validate(header["Bearer ".Length..].Trim(), out var failure);
        if (claims is null)
        {
            return Fail(failure!);
        }
        // Resolved only once a bearer token is present: building a DbContext for requests without one is waste.
        var db = Context.RequestServices.GetRequiredService<Sub2ApiDbContext>();
        var user = await db.Users.AsNoTracking()
            .Where(u => u.Id == claims.UserId)
            .Select(u => new { u.Email, u.Role, u.Status, u.TokenVersion })
            .FirstOrDefaultAsync(Context.RequestAborted);
        if (user is null)
        {
            return Fail("user not found");
        }
        if (user.Status != Statuses.Active)
        {
            return Fail("user is disabled");
        }
        if (user.TokenVersion != claims.TokenVersion)
        {
            return Fail("token revoked");
        }
        var identity = new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, claims.UserId.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new Claim(ClaimTypes.Email, user.Email),
            new Claim(ClaimTypes.Role, user.Role),
        ], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    private AuthenticateResult Fail(string message)
    {
        Context.Items[FailureKey] = message;
        return AuthenticateResult.Fail(message);
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var message = Context.Items[FailureKey] as string ?? "authorization required";
        return Api.Unauthorized(message).ExecuteAsync(Context);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Api.Forbidden("admin access required").ExecuteAsync(Context);
}
