using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Sub2Api.Common;
using Sub2Api.Configuration;
using Sub2Api.Infrastructure.Redis;

namespace Sub2Api.Auth;

/// <summary>
/// Per-client-IP limits on login/register and refresh, answered with a 429 envelope. Fixed one-minute windows:
/// in this process by default, in Redis when multi-node mode is on (so N nodes do not allow N times the limit).
/// </summary>
internal static class AuthRateLimits
{
    public const string Login = "auth-login";
    public const string Refresh = "auth-refresh";
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    public static IServiceCollection AddAuthRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(AuthOptions.Section).Get<AuthOptions>() ?? new AuthOptions();
        var shared = RedisOptions.From(configuration).Enabled;
        return services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(Login, context => PerIp(context, Login, options.LoginPermitsPerMinute, shared));
            limiter.AddPolicy(Refresh, context => PerIp(context, Refresh, options.RefreshPermitsPerMinute, shared));
            limiter.OnRejected = (rejected, ct) =>
            {
                rejected.HttpContext.Response.Headers.RetryAfter =
                    rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
                        ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture)
                        : "60";
                return new ValueTask(Api.Error(429, "RATE_LIMITED", "too many attempts, please retry in a minute")
                    .ExecuteAsync(rejected.HttpContext));
            };
        });
    }

    internal static RateLimitPartition<string> PerIp(HttpContext context, string policy, int permits, bool shared)
    {
        var ip = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        return shared
            ? RateLimitPartition.Get(ip, key => context.RequestServices.GetRequiredService<RedisRateLimiterFactory>().Create(policy, key, permits, Window))
            : RateLimitPartition.GetFixedWindowLimiter(ip,
                _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = Window, QueueLimit = 0 });
    }
}
