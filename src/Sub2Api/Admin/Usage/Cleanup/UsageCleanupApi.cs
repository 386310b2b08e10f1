using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Sub2Api.Auth;
using Sub2Api.Common;
using Sub2Api.Data;
using Sub2Api.Data.Entities;

namespace Sub2Api.Admin.Usage.Cleanup;

/// <summary>
/// <c>/admin/usage/cleanup-tasks</c>: list (newest first, paged), create (validated filters, at most
/// <see cref="MaxSpanDays"/> days), cancel (pending or running only). <see cref="UsageCleanupExecutor"/> does the deleting.
/// </summary>
internal static class UsageCleanupApi
{
    public const int MaxSpanDays = 31;
    private const int MaxModelLength = 100;

    public static void MapAdminUsageCleanup(this RouteGroupBuilder admin)
    {
        var tasks = admin.MapGroup("/usage/cleanup-tasks");

        tasks.MapGet("", async (HttpRequest request, Sub2ApiDbContext db, CancellationToken ct) =>
        {
            var page = PageRequest.From(request);
            var rows = db.UsageCleanupTasks.AsNoTracking().OrderByDescending(t => t.Id);
            return Api.Ok(await rows.ToPageAsync(page, UsageCleanupTaskDto.From, ct));
        });

        tasks.MapPost("", async (CreateUsageCleanupTaskRequest req, CurrentUser me, Sub2ApiDbContext db, CancellationToken ct) =>
        {
            if (Validate(req, out var filters) is { } error)
            {
                return Api.BadRequest(error);
            }
            var task = new UsageCleanupTask { Status = UsageCleanupStatuses.Pending, Filters = filters!.ToJson(), CreatedBy = me.Id };
            db.UsageCleanupTasks.Add(task);
            await db.SaveChangesAsync(ct);
            return Api.Ok(UsageCleanupTaskDto.From(task));
        });

        tasks.MapPost("/{id}/cancel", async (long id, CurrentUser me, Sub2ApiDbContext db, TimeProvider time, CancellationToken ct) =>
        {
            var now = time.GetUtcNow().UtcDateTime;
            // One conditional UPDATE: a task the executor finishes at the same moment is not also marked canceled.
            var canceled = await db.UsageCleanupTasks
                .Where(t => t.Id == id && (t.Status == UsageCleanupStatuses.Pending || t.Status == UsageCleanupStatuses.Running))
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, UsageCleanupStatuses.Canceled)
                    .SetProperty(t => t.CanceledBy, me.Id)
                    .SetProperty(t => t.CanceledAt, now)
                    .SetProperty(t => t.FinishedAt, now)
                    .SetProperty(t => t.UpdatedAt, now), ct);
            if (canceled == 1)
            {
                return Api.Ok(new { id, status = UsageCleanupStatuses.Canceled });
            }
            var status = await db.UsageCleanupTasks.Where(t => t.Id == id).Select(t => t.Status).FirstOrDefaultAsync(ct);
            return status is null
                ? Api.NotFound("cleanup task not found", "USAGE_CLEANUP_TASK_NOT_FOUND")
                : Api.Conflict($"only pending or running tasks can be canceled (this one is {status})", "USAGE_CLEANUP_TASK_NOT_CANCELABLE");
        });
    }

    private static string? Validate(CreateUsageCleanupTaskRequest req, out UsageCleanupFilters? filters)
    {
        filters = null;
        var error = Common.Validate.First(
            ReadBound(req.StartTime, req.StartDate, "start", endOfDay: false, out var start),
            ReadBound(req.EndTime, req.EndDate, "end", endOfDay: true, out var end),
            PositiveId(req.UserId, "user_id"),
            PositiveId(req.ApiKeyId, "api_key_id"),
            PositiveId(req.AccountId, "account_id"),
            PositiveId(req.GroupId, "group_id"),
            req.BillingType is null or BillingTypes.Balance or BillingTypes.Subscription ? null : "billing_type must be 0 (balance) or 1 (subscription)",
            req.Model?.Trim().Length > MaxModelLength ? $"model must be at most {MaxModelLength} characters" : null);
        if (error is not null)
        {
            return error;
        }
        if (start is null || end is null)
        {
            return "start_time and end_time (or start_date and end_date) are required";
        }
        if (start >= end)
        {
            return "start of the time range must be before its end";
        }
        if (end.Value - start.Value > TimeSpan.FromDays(MaxSpanDays))
        {
            return $"the time range may span at most {MaxSpanDays} days";
        }
        var model = req.Model?.Trim();
        filters = new UsageCleanupFilters(start.Value, end.Value, req.UserId, req.ApiKeyId, req.AccountId, req.GroupId,
            string.IsNullOrEmpty(model) ? null : model, req.Stream, req.BillingType);
        return null;
    }

    private static string? PositiveId(long? id, string name) => id is null or > 0 ? null : $"{name} must be a positive integer";

    private static string? ReadBound(string? time, string? date, string which, bool endOfDay, out DateTime? value)
    {
        value = null;
        time = time?.Trim();
        date = date?.Trim();
        if (!string.IsNullOrEmpty(time) && !string.IsNullOrEmpty(date))
        {
            return $"use either {which}_time or {which}_date, not both";
        }
        if (!string.IsNullOrEmpty(date))
        {
            if (!DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
                || (endOfDay && day == DateOnly.MaxValue))
            {
                return $"{which}_date must be YYYY-MM-DD";
            }
            value = (endOfDay ? day.AddDays(1) : day).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            return null;
        }
        if (!string.IsNullOrEmpty(time))
        {
            if (!DateTimeOffset.TryParse(time, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant))
            {
                return $"{which}_time must be an ISO-8601 time, e.g. 2026-01-31T12:00:00Z";
            }
            value = instant.UtcDateTime;
        }
        return null;
    }
}
