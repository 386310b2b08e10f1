using Microsoft.EntityFrameworkCore;
using Sub2Api.Common;
using Sub2Api.Data;
using Sub2Api.Data.Entities;

namespace Sub2Api.Ops.Dashboard;

/// <summary>
/// The request drilldown: successes (usage_logs) and failed requests (request-kind ops errors) of a window in one
/// list, newest first. The two tables have different shapes, so each is read newest first up to the end of the
/// asked page and the two are merged in memory; <see cref="MaxDepth"/> bounds how deep a page may reach.
/// </summary>
internal static class OpsRequestsQuery
{
    public const int MaxPageSize = 500;

    /// <summary>The deepest row a page may reach: deeper pages need a narrower window or a filter.</summary>
    public const int MaxDepth = 10_000;

    public static async Task<PagedResult<OpsRequestRow>> PageAsync(Sub2ApiDbContext db, HttpRequest request, OpsDashboardWindow window,
        CancellationToken ct)
    {
        var requested = PageRequest.From(request);
        var page = requested with { PageSize = Math.Min(requested.PageSize, MaxPageSize) };
        if ((long)page.Page * page.PageSize > MaxDepth)
        {
            throw ApiException.BadRequest($"a page may reach at most {MaxDepth} rows deep; narrow the time range or filter");
        }
        var kind = request.Query["kind"].ToString().Trim().ToLowerInvariant();
        if (kind is not ("" or "success" or "error"))
        {
            throw ApiException.BadRequest("kind must be success or error");
        }
        var model = request.Query["model"].ToString().Trim();
        var userId = OpsDashboardWindow.ReadId(request, "user_id");
        var requestId = request.Query["q"].ToString().Trim();

        var successes = OpsTrafficRows.Successes(db, window);
        var errors = OpsTrafficRows.RequestErrors(db, window);
        if (model.Length > 0)
        {
            successes = successes.Where(u => u.Model == model);
            errors = errors.Where(e => e.Model == model);
        }
        if (userId is { } user)
        {
            successes = successes.Where(u => u.UserId == user);
            errors = errors.Where(e => e.UserId == user);
        }
        if (requestId.Length > 0)
        {
            // A request id or its beginning (ids are long; admins paste a prefix).
            successes = successes.Where(u => u.RequestId.StartsWith(requestId));
            errors = errors.Where(e => e.RequestId.StartsWith(requestId));
        }

        var depth = page.Skip + page.PageSize;
        var successTotal = kind == "error" ? 0 : await successes.LongCountAsync(ct);
        var errorTotal = kind == "success" ? 0 : await errors.LongCountAsync(ct);
        var successRows = kind == "error" ? [] : await successes.OrderByDescending(u => u.CreatedAt).ThenByDescending(u => u.Id).Take(depth)
            .Select(u => new SuccessRow(u.RequestId, u.CreatedAt, u.Model, u.DurationMs, u.FirstTokenMs, u.UserId, u.ApiKeyId, u.AccountId,
                u.GroupId, u.Stream, u.InputTokens + u.OutputTokens + u.CacheCreationTokens + u.CacheReadTokens, u.ActualCost))
            .ToListAsync(ct);
        var errorRows = kind == "success" ? [] : await errors.OrderByDescending(e => e.CreatedAt).ThenByDescending(e => e.Id).Take(depth)
            .ToListAsync(ct);

        var merged = successRows.Select(u => (u.CreatedAt, Success: (SuccessRow?)u, Error: (OpsErrorLog?)null))
            .Concat(errorRows.Select(e => (e.CreatedAt, Success: (SuccessRow?)null, Error: (OpsErrorLog?)e)))
            .OrderByDescending(r => r.CreatedAt)
            .Skip(page.Skip).Take(page.PageSize)
            .ToList();

        var userIds = merged.Select(r => r.Success?.UserId ?? r.Error!.UserId).OfType<long>().Distinct().ToList();
        var accountIds = merged.Select(r => r.Success?.AccountId ?? r.Error!.AccountId).OfType<long>().Distinct().ToList();
        var emails = await db.Users.IgnoreQueryFilters().AsNoTracking().Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Email, ct);
        var accounts = await db.Accounts.IgnoreQueryFilters().AsNoTracking().Where(a => accountIds.Contains(a.Id))
            .ToDictionaryAsync(a => a.Id, a => new { a.Name, a.Platform }, ct);

        var items = merged.Select(r =>
        {
            if (r.Success is { } u)
            {
                var account = accounts.GetValueOrDefault(u.AccountId);
                return new OpsRequestRow(u.RequestId, u.CreatedAt, "success", account?.Platform, u.Model, 200, u.DurationMs, u.FirstTokenMs,
                    u.UserId, emails.GetValueOrDefault(u.UserId), u.ApiKeyId, u.AccountId, account?.Name, u.GroupId, u.Tokens, u.ActualCost,
                    null, null, u.Stream);
            }
            var e = r.Error!;
            return new OpsRequestRow(e.RequestId, e.CreatedAt, "error", e.Platform, e.Model, e.StatusCode, e.DurationMs, e.TimeToFirstTokenMs,
                e.UserId, e.UserId is { } uid ? emails.GetValueOrDefault(uid) : null, e.ApiKeyId, e.AccountId,
                e.AccountId is { } aid ? accounts.GetValueOrDefault(aid)?.Name : null, e.GroupId, null, null, e.Type, e.Message, e.Stream);
        }).ToList();
        return page.Wrap(items, successTotal + errorTotal);
    }

    private sealed record SuccessRow(string RequestId, DateTime CreatedAt, string Model, int? DurationMs, int? FirstTokenMs, long UserId,
        long ApiKeyId, long AccountId, long? GroupId, bool Stream, long Tokens, decimal ActualCost);
}
