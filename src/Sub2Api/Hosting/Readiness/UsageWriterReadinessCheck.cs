using Microsoft.Extensions.Diagnostics.HealthChecks;
using Sub2Api.Billing;

namespace Sub2Api.Hosting.Readiness;

/// <summary>
/// The usage writer is running and keeping up. A node whose writer has stopped still journals every request (no
/// usage is lost), but it should not take traffic: its users' balances would stop moving. A backlog above
/// <see cref="DegradedBacklog"/> records is reported as degraded (still ready: the writer is catching up).
/// </summary>
internal sealed class UsageWriterReadinessCheck(IEnumerable<IHostedService> hostedServices, UsageJournal journal) : IHealthCheck
{
    public const long DegradedBacklog = 50_000;

    private readonly UsageWriterService? _writer = hostedServices.OfType<UsageWriterService>().FirstOrDefault();

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (_writer?.ExecuteTask is not { IsCompleted: false })
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("the usage writer is not running"));
        }
        var backlog = journal.Outstanding;
        return Task.FromResult(backlog > DegradedBacklog
            ? HealthCheckResult.Degraded($"{backlog} usage records wait to be written")
            : HealthCheckResult.Healthy($"{backlog} usage records wait to be written"));
    }
}
