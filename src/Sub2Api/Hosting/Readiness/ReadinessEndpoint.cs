using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Sub2Api.Hosting.Readiness;
using Sub2Api.Infrastructure.Redis;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// <c>GET /health/ready</c> for load balancers and Kubernetes readiness probes: the database, Redis (when configured)
/// and the usage writer, each with a 5-second limit; 200 when all are healthy or degraded, 503 otherwise, with a JSON
/// body naming each check. <c>/health</c> stays a constant answer (liveness) that touches nothing.
/// </summary>
internal static class ReadinessEndpoint
{
    public const string Path = "/health/ready";
    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(5);

    public static IServiceCollection AddReadinessChecks(this IServiceCollection services)
    {
        var checks = services.AddHealthChecks()
            .AddCheck<DatabaseReadinessCheck>("database", timeout: CheckTimeout)
            .AddCheck<UsageWriterReadinessCheck>("usage_writer", timeout: CheckTimeout);
        // Redis registers its connection only in multi-node mode; the check is added then and only then.
        if (services.Any(d => d.ServiceType == typeof(RedisConnection)))
        {
            checks.AddCheck<RedisReadinessCheck>("redis", timeout: CheckTimeout);
        }
        return services;
    }

    public static WebApplication MapReadiness(this WebApplication app)
    {
        app.MapHealthChecks(Path, new HealthCheckOptions
        {
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status200OK,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
            ResponseWriter = WriteAsync,
        });
        return app;
    }

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-store";
        var body = new Dictionary<string, object>
        {
            ["status"] = Name(report.Status),
            ["duration_ms"] = Math.Round(report.TotalDuration.TotalMilliseconds, 1),
            ["checks"] = report.Entries.ToDictionary(e => e.Key, e => new Dictionary<string, object?>
            {
                ["status"] = Name(e.Value.Status),
                ["duration_ms"] = Math.Round(e.Value.Duration.TotalMilliseconds, 1),
                // The description is ours; an exception's message could carry a connection string, so only its type goes out.
                ["detail"] = e.Value.Exception is { } error ? error.GetType().Name : e.Value.Description,
            }),
        };
        return JsonSerializer.SerializeAsync(context.Response.Body, body, cancellationToken: context.RequestAborted);
    }

    private static string Name(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => "healthy",
        HealthStatus.Degraded => "degraded",
        _ => "unhealthy",
    };
}
