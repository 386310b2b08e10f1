using Microsoft.EntityFrameworkCore;
using Sub2Api.Auth.Challenges;
using Sub2Api.Common;
using Sub2Api.Data;
using Sub2Api.Data.Entities;
using Sub2Api.Security;
using Sub2Api.Settings;

namespace Sub2Api.Auth.Recovery;

internal sealed record ForgotPasswordRequest(string? Email);
internal sealed record ResetPasswordRequest(string? Email, string? Token, string? NewPassword);

/// <summary>
/// <c>POST /auth/forgot-password</c> mails a single-use link (a 64-hex token, 30 minutes) and answers the same
/// whether or not the address has an account; <c>POST /auth/reset-password</c> sets the new password and ends
/// every session. Both need <c>password_reset_enabled</c> and email verification on.
/// </summary>
internal static partial class PasswordResetApi
{
    public static readonly TimeSpan Ttl = TimeSpan.FromMinutes(30);
    private const string PasswordResetEnabled = "password_reset_enabled";
    private const string SentMessage = "If your email is registered, you will receive a password reset link shortly.";

    public static void MapPasswordReset(this RouteGroupBuilder auth)
    {
        auth.MapPost("/forgot-password", ForgotAsync).RequireRateLimiting(SecurityRateLimits.ForgotPassword);
        auth.MapPost("/reset-password", ResetAsync).RequireRateLimiting(SecurityRateLimits.ResetPassword);
    }

    private static async Task<bool> EnabledAsync(SettingsStore settings, CancellationToken ct) =>
        await settings.GetBoolAsync(EmailVerificationApi.EmailVerifyEnabled, ct) && await settings.GetBoolAsync(PasswordResetEnabled, ct);

    private static IResult Disabled() => Api.Forbidden("password reset is not enabled", "PASSWORD_RESET_DISABLED");

    private static async Task<IResult> ForgotAsync(ForgotPasswordRequest req, HttpContext context, SettingsStore settings,
        SecurityMail mail, IServiceScopeFactory scopes, CancellationToken ct)
    {
        if (!await EnabledAsync(settings, ct))
        {
            return Disabled();
        }
        if (Validate.Email(req.Email) is { } emailError)
        {
            return Api.BadRequest(emailError);
        }
        if (await mail.ServerAsync(ct) is null)
        {
            return SecurityMail.NotConfigured();
        }
        var email = req.Email!.Trim().ToLowerInvariant();
        var linkBase = await LinkBaseAsync(settings, context.Request, ct);
        // The lookup and the mail happen after the answer, so neither the answer nor its timing tells whether the
        // address has an account.
        _ = Task.Run(() => SendLinkAsync(scopes, email, linkBase), CancellationToken.None);
        return Api.Ok(new { message = SentMessage });
    }

    /// <summary><c>api_base_url</c> when the admin set one, else the origin the request came to.</summary>
    private static async Task<string> LinkBaseAsync(SettingsStore settings, HttpRequest request, CancellationToken ct)
    {
        var configured = (await settings.GetAsync("api_base_url", ct)).Trim().TrimEnd('/');
        return Uri.TryCreate(configured, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? configured
            : $"{request.Scheme}://{request.Host}";
    }

    private static async Task SendLinkAsync(IServiceScopeFactory scopes, string email, string linkBase)
    {
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(PasswordResetApi));
        try
        {
            var db = services.GetRequiredService<Sub2ApiDbContext>();
            var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Email == email);
            var challenges = services.GetRequiredService<AuthChallenges>();
            if (user is null || user.Status != Statuses.Active)
            {
                return;
            }
            // One mail per address per minute: the form must not become a way to flood someone's inbox.
            if (await challenges.LastIssuedAtAsync(AuthChallengePurposes.PasswordReset, email, CancellationToken.None) is { } last
                && last + EmailCodes.Cooldown > challenges.Now)
            {
                return;
            }
            var mail = services.GetRequiredService<SecurityMail>();
            if (await mail.ServerAsync(CancellationToken.None) is not { } smtp)
            {
                return;
            }
            var token = AuthChallenges.NewToken();
            var challenge = await challenges.IssueAsync(AuthChallengePurposes.PasswordReset, email, user.Id, token, Ttl, CancellationToken.None);
            var link = $"{linkBase}/reset-password?token={token}&email={Uri.EscapeDataString(email)}";
            if (!await mail.SendResetLinkAsync(smtp, email, link, CancellationToken.None))
            {
                await challenges.DeleteAsync(challenge.Id, CancellationToken.None);
            }
        }
        catch (Exception e) when (e is DbUpdateException or InvalidOperationException or OperationCanceledException or System.Data.Common.DbException)
        {
            Log.ResetMailFailed(logger, e.GetType().Name);
        }
    }

    private static async Task<IResult> ResetAsync(ResetPasswordRequest req, Sub2ApiDbContext db, SettingsStore settings,
        AuthChallenges challenges, CancellationToken ct)
    {
        if (!await EnabledAsync(settings, ct))
        {
            return Disabled();
        }
        var error = Validate.First(
            Validate.Email(req.Email),
            string.IsNullOrWhiteSpace(req.Token) ? "token is required" : null,
            PasswordHasher.Validate(req.NewPassword, "new_password"));
        if (error is not null)
        {
            return Api.BadRequest(error);
        }
        var email = req.Email!.Trim().ToLowerInvariant();
        var challenge = await challenges.FindLiveAsync(AuthChallengePurposes.PasswordReset, req.Token!.Trim(), ct);
        if (challenge is null || challenge.Email != email || !await challenges.ConsumeAsync(challenge.Id, ct))
        {
            return InvalidToken();
        }
        var user = await db.Users.FirstOrDefaultAsync(u => u.Email == email && u.Id == challenge.UserId, ct);
        if (user is null)
        {
            return InvalidToken();
        }
        user.PasswordHash = PasswordHasher.Hash(req.NewPassword!);
        await SessionRevocation.EndAllAsync(db, user, challenges.Now, ct);
        return Api.Ok(new { message = "Your password has been reset successfully. You can now log in with your new password." });
    }

    private static IResult InvalidToken() => Api.BadRequest("invalid or expired password reset token", "INVALID_RESET_TOKEN");

    private static partial class Log
    {
        [LoggerMessage(1450, LogLevel.Warning, "Password reset mail could not be prepared ({Error})")]
        public static partial void ResetMailFailed(ILogger logger, string error);
    }
}
