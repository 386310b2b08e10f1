using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Sub2Api.Common;
using Sub2Api.Configuration;

namespace Sub2Api.Auth;

/// <summary>Per-client-IP limits on login/register and refresh, answered with a 429 envelope.</summary>
internal static class AuthRateLimits
{
    public const string Login = "auth-login";
    public const string Refresh = "auth-refresh";

    public static IServiceCollection AddAuthRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(AuthOptions.Section).Get<AuthOptions>() ?? new AuthOptions();
        return services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(Login, context => PerIp(context, options.LoginPermitsPerMinute));
            limiter.AddPolicy(Refresh, context => PerIp(context, options.RefreshPermitsPerMinute));
            limiter.OnRejected = (rejected, ct) =>
            {
                rejected.HttpContext.Response.Headers.RetryAfter = "60";
                return new ValueTask(Api.Error(429, "RATE_LIMITED", "too many attempts, please retry in a minute")
                    .ExecuteAsync(rejected.HttpContext));
            };
        });
    }

    private static RateLimitPartition<string> PerIp(HttpContext context, int permits) =>
        RateLimitPartition.GetFixedWindowLimiter(context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
            _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });
}
