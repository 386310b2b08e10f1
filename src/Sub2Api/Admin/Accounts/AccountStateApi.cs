using Microsoft.EntityFrameworkCore;
using Sub2Api.Common;
using Sub2Api.Data;
using Sub2Api.Scheduling;

namespace Sub2Api.Admin.Accounts;

internal sealed record SchedulableRequest(bool? Schedulable);

/// <summary>
/// <c>POST /admin/accounts/:id/{clear-error, clear-rate-limit, schedulable}</c>: put a benched account back
/// (or take one out) at once, in the database and in the relay's runtime state.
/// </summary>
internal static class AccountStateApi
{
    public static void MapAdminAccountState(this RouteGroupBuilder admin)
    {
        var accounts = admin.MapGroup("/accounts/{id}");
        accounts.MapPost("/clear-error", async (long id, Sub2ApiDbContext db, AccountHealth health, CancellationToken ct) =>
        {
            if (!await db.Accounts.AnyAsync(a => a.Id == id, ct))
            {
                return Api.NotFound("account not found");
            }
            await health.ClearErrorAsync(id, ct);
            return Api.Ok(new { message = "error cleared" });
        });
        accounts.MapPost("/clear-rate-limit", async (long id, Sub2ApiDbContext db, AccountHealth health, CancellationToken ct) =>
        {
            if (!await db.Accounts.AnyAsync(a => a.Id == id, ct))
            {
                return Api.NotFound("account not found");
            }
            await health.ClearRateLimitAsync(id, ct);
            return Api.Ok(new { message = "rate limit cleared" });
        });
        accounts.MapPost("/schedulable", async (long id, SchedulableRequest req, Sub2ApiDbContext db, CancellationToken ct) =>
        {
            if (req.Schedulable is not { } schedulable)
            {
                return Api.BadRequest("schedulable is required (true or false)");
            }
            var account = await db.Accounts.FirstOrDefaultAsync(a => a.Id == id, ct);
            if (account is null)
            {
                return Api.NotFound("account not found");
            }
            account.Schedulable = schedulable;
            await db.SaveChangesAsync(ct);
            return Api.Ok(new { id, schedulable });
        });
    }
}
