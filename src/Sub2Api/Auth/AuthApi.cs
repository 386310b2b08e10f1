using Microsoft.EntityFrameworkCore;
using Sub2Api.Auth.Recovery;
using Sub2Api.Auth.Totp;
using Sub2Api.Common;
using Sub2Api.Configuration;
using Sub2Api.Data;
using Sub2Api.Data.Entities;
using Sub2Api.Security;
using Sub2Api.Settings;

namespace Sub2Api.Auth;

internal sealed record LoginRequest(string? Email, string? Password);
internal sealed record RegisterRequest(string? Email, string? Password, string? Username, string? PromoCode = null,
    string? InvitationCode = null, string? VerifyCode = null);
internal sealed record RefreshRequest(string? RefreshToken);

/// <summary>The public auth routes (SPEC §2.3) and <c>GET /auth/me</c>.</summary>
internal static class AuthApi
{
    public static void MapAuthApi(this RouteGroupBuilder api)
    {
        var auth = api.MapGroup("/auth");

        auth.MapPost("/login", async (LoginRequest req, HttpContext context, Sub2ApiDbContext db, AuthSessions sessions, CancellationToken ct) =>
        {
            if (Validate.Email(req.Email) is { } emailError)
            {
                return Api.BadRequest(emailError);
            }
            if (string.IsNullOrEmpty(req.Password))
            {
                return Api.BadRequest("password is required");
            }
            var email = req.Email!.Trim().ToLowerInvariant();
            var user = await db.Users.Include(u => u.AllowedGroups).FirstOrDefaultAsync(u => u.Email == email, ct);
            // Same answer for unknown email and wrong password: don't reveal which accounts exist.
            if (user is null || !PasswordHasher.Verify(req.Password, user.PasswordHash))
            {
                return Api.Unauthorized("invalid email or password", "INVALID_CREDENTIALS");
            }
            if (user.Status != Statuses.Active)
            {
                return Api.Forbidden("user is disabled", "USER_DISABLED");
            }
            // TOTP users get a temp token for /auth/login/2fa instead of a session.
            if (await TwoFactorLogin.ChallengeAsync(context, user, ct) is { } secondStep)
            {
                return Api.Ok(secondStep);
            }
            return Api.Ok(await sessions.IssueAsync(user, null, ct));
        }).RequireRateLimiting(AuthRateLimits.Login);

        auth.MapPost("/register", async (RegisterRequest req, HttpContext context, Sub2ApiDbContext db, AuthSessions sessions,
            SettingsStore settings, Codes.RegistrationCodes codes, CancellationToken ct) =>
        {
            if (!await settings.GetBoolAsync(SettingDefinitions.RegistrationEnabled, ct))
            {
                return Api.Forbidden("registration is disabled", "REGISTRATION_DISABLED");
            }
            if (Validate.Email(req.Email) is { } emailError)
            {
                return Api.BadRequest(emailError);
            }
            if (PasswordHasher.Validate(req.Password) is { } passwordError)
            {
                return Api.BadRequest(passwordError);
            }
            var email = req.Email!.Trim().ToLowerInvariant();
            if (await db.Users.AnyAsync(u => u.Email == email, ct))
            {
                return Api.Conflict("email already registered", "EMAIL_EXISTS");
            }
            var (codePlan, codeError) = await codes.CheckAsync(db, req.PromoCode, req.InvitationCode, ct);
            if (codeError is not null)
            {
                return codeError;
            }
            // Last of the checks: a valid email code is used up here.
            if (await EmailVerificationApi.CheckRegistrationCodeAsync(context, email, req.VerifyCode, ct) is { } codeRefused)
            {
                return codeRefused;
            }
            var user = new User
            {
                Email = email,
                PasswordHash = PasswordHasher.Hash(req.Password!),
                Username = req.Username?.Trim() ?? "",
                Balance = decimal.Parse(await settings.GetAsync(SettingDefinitions.DefaultBalance, ct), System.Globalization.CultureInfo.InvariantCulture),
                Concurrency = int.Parse(await settings.GetAsync(SettingDefinitions.DefaultConcurrency, ct), System.Globalization.CultureInfo.InvariantCulture),
            };
            // One transaction: the user exists only if its promo/invitation codes were claimed too.
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            db.Users.Add(user);
            if (!await db.TrySaveUniqueAsync(ct))
            {
                return Api.Conflict("email already registered", "EMAIL_EXISTS");
            }
            if (await codes.ApplyAsync(db, user, codePlan, ct) is { } applyError)
            {
                return applyError;
            }
            await transaction.CommitAsync(ct);
            return Api.Ok(await sessions.IssueAsync(user, null, ct));
        }).RequireRateLimiting(AuthRateLimits.Login);

        auth.MapPost("/refresh", async (RefreshRequest req, AuthSessions sessions, CancellationToken ct) =>
        {
            if (string.IsNullOrWhiteSpace(req.RefreshToken))
            {
                return Api.BadRequest("refresh_token is required");
            }
            var pair = await sessions.RotateAsync(req.RefreshToken.Trim(), ct);
            return pair is null
                ? Api.Unauthorized("refresh token is invalid, expired or already used", "INVALID_REFRESH_TOKEN")
                : Api.Ok(pair);
        }).RequireRateLimiting(AuthRateLimits.Refresh);

        auth.MapPost("/logout", async (RefreshRequest req, AuthSessions sessions, CancellationToken ct) =>
        {
            if (!string.IsNullOrWhiteSpace(req.RefreshToken))
            {
                await sessions.RevokeAsync(req.RefreshToken.Trim(), ct);
            }
            return Api.Ok(new { message = "logged out" });
        });

        auth.MapGet("/me", async (CurrentUser me, Sub2ApiDbContext db, RunMode runMode, CancellationToken ct) =>
        {
            var user = await db.Users.AsNoTracking().Include(u => u.AllowedGroups).FirstAsync(u => u.Id == me.Id, ct);
            return Api.Ok(new MeDto(UserDto.From(user), runMode.Value));
        }).RequireAuthorization();
    }
}

/// <summary><c>/auth/me</c>: the user plus the run mode, flattened into one object as the original sends it.</summary>
internal sealed record MeDto(
    long Id, string Email, string Username, string Role, decimal Balance, int Concurrency,
    string Status, bool TotpEnabled, IReadOnlyList<long> AllowedGroups, DateTime CreatedAt, DateTime UpdatedAt, string RunMode)
{
    public MeDto(UserDto u, string runMode)
        : this(u.Id, u.Email, u.Username, u.Role, u.Balance, u.Concurrency, u.Status, u.TotpEnabled,
            u.AllowedGroups, u.CreatedAt, u.UpdatedAt, runMode)
    {
    }
}
