using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Sub2Api.Data;

namespace Sub2Api.Hosting.Readiness;

/// <summary>The database answers a trivial query (SQLite file or PostgreSQL server).</summary>
internal sealed class DatabaseReadinessCheck(IDbContextFactory<Sub2ApiDbContext> dbFactory) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Database.CanConnectAsync(cancellationToken)
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("the database does not accept connections");
    }
}
