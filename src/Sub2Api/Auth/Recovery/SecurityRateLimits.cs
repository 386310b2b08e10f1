using Sub2Api.Configuration;

namespace Sub2Api.Auth.Recovery;

/// <summary>
/// Per-client-IP limits of the account-recovery and 2FA routes, on top of the per-address cooldowns: sending codes
/// 10/min, forgot-password 5/min, reset-password and the 2FA step 10/min. Overridable under <c>Auth:</c> (tests).
/// </summary>
internal static class SecurityRateLimits
{
    public const string SendCode = "auth-send-code";
    public const string ForgotPassword = "auth-forgot-password";
    public const string ResetPassword = "auth-reset-password";
    public const string SecondFactor = "auth-2fa";

    public static IServiceCollection AddAccountSecurity(this IServiceCollection services, IConfiguration configuration)
    {
        var shared = RedisOptions.From(configuration).Enabled;
        var auth = configuration.GetSection("Auth");
        var sendCode = auth.GetValue("SendCodePermitsPerMinute", 10);
        var forgot = auth.GetValue("ForgotPasswordPermitsPerMinute", 5);
        var reset = auth.GetValue("ResetPasswordPermitsPerMinute", 10);
        var secondFactor = auth.GetValue("SecondFactorPermitsPerMinute", 10);
        services.AddScoped<Challenges.AuthChallenges>();
        services.AddScoped<SecurityMail>();
        services.AddScoped<EmailCodes>();
        services.AddScoped<Totp.TotpGuard>();
        return services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(SendCode, context => AuthRateLimits.PerIp(context, SendCode, sendCode, shared));
            limiter.AddPolicy(ForgotPassword, context => AuthRateLimits.PerIp(context, ForgotPassword, forgot, shared));
            limiter.AddPolicy(ResetPassword, context => AuthRateLimits.PerIp(context, ResetPassword, reset, shared));
            limiter.AddPolicy(SecondFactor, context => AuthRateLimits.PerIp(context, SecondFactor, secondFactor, shared));
        });
    }
}
