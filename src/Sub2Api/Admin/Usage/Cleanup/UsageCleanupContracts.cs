using Sub2Api.Data.Entities;

namespace Sub2Api.Admin.Usage.Cleanup;

internal static class UsageCleanupStatuses
{
    public const string Pending = "pending";
    public const string Running = "running";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Canceled = "canceled";
}

/// <summary>
/// <c>POST /admin/usage/cleanup-tasks</c>. The range is either <c>start_time/end_time</c> (ISO-8601, end exclusive)
/// or, as the original's page sends it, <c>start_date/end_date</c> (YYYY-MM-DD, whole UTC days, both included).
/// </summary>
internal sealed record CreateUsageCleanupTaskRequest(
    string? StartTime, string? EndTime, string? StartDate, string? EndDate, long? UserId, long? ApiKeyId, long? AccountId,
    long? GroupId, string? Model, bool? Stream, short? BillingType);

internal sealed record UsageCleanupTaskDto(
    long Id, string Status, UsageCleanupFilters? Filters, long CreatedBy, long DeletedRows, string? ErrorMessage,
    long? CanceledBy, DateTime? CanceledAt, DateTime? StartedAt, DateTime? FinishedAt, DateTime CreatedAt, DateTime UpdatedAt)
{
    public static UsageCleanupTaskDto From(UsageCleanupTask t) => new(t.Id, t.Status, UsageCleanupFilters.FromJson(t.Filters),
        t.CreatedBy, t.DeletedRows, t.ErrorMessage, t.CanceledBy, t.CanceledAt, t.StartedAt, t.FinishedAt, t.CreatedAt, t.UpdatedAt);
}

/// <summary>Section "UsageCleanup": how the cleanup executor paces itself.</summary>
internal sealed class UsageCleanupOptions
{
    public const string Section = "UsageCleanup";
    /// <summary>How often the executor looks for pending tasks.</summary>
    public double IntervalSeconds { get; set; } = 10;
    /// <summary>Rows deleted per statement: small enough that no statement holds locks for long.</summary>
    public int ChunkSize { get; set; } = 5000;
    /// <summary>A pause between chunks, to leave the database room for live traffic during a large cleanup.</summary>
    public int ChunkPauseMilliseconds { get; set; }
}
