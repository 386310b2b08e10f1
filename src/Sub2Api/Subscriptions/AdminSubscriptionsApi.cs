using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Sub2Api.Auth;
using Sub2Api.Common;
using Sub2Api.Data;
using Sub2Api.Data.Entities;
using Sub2Api.Infrastructure.Caching;

namespace Sub2Api.Subscriptions;

/// <summary>
/// <c>/api/v1/admin/subscriptions</c>: list, assign (one or many users), extend, revoke, and the per-group and
/// per-user lists. Assignments go through <see cref="SubscriptionAssigner"/>, the rule redeemed codes share.
/// </summary>
internal static class AdminSubscriptionsApi
{
    public const int MaxBulkUsers = 1000;
    public const int MaxNotesLength = 2000;

    /// <summary>
    /// No expiry may pass this: repeated extensions would otherwise walk off the end of <see cref="DateTime"/>
    /// (year 9999) and every later read of the row would fail.
    /// </summary>
    private static readonly DateTime MaxExpiresAt = SubscriptionAssigner.MaxExpiresAt;

    public static void MapAdminSubscriptions(this RouteGroupBuilder admin)
    {
        var subscriptions = admin.MapGroup("/subscriptions");
        subscriptions.MapGet("", ListAsync);
        // No route constraint on {id}: a non-numeric id becomes a 400 envelope instead of an empty 404.
        subscriptions.MapGet("/{id}", GetAsync);
        subscriptions.MapGet("/{id}/progress", ProgressAsync);
        subscriptions.MapPost("/assign", AssignAsync);
        subscriptions.MapPost("/bulk-assign", BulkAssignAsync);
        subscriptions.MapPost("/{id}/extend", ExtendAsync);
        subscriptions.MapDelete("/{id}", RevokeAsync);
        admin.MapGet("/groups/{id}/subscriptions", ListByGroupAsync);
        admin.MapGet("/users/{id}/subscriptions", ListByUserAsync);
    }

    private static IResult NotFound(long id) => Api.NotFound($"subscription {id} not found", "SUBSCRIPTION_NOT_FOUND");

    private static DateTime Now(TimeProvider time) => time.GetUtcNow().UtcDateTime;

    private static async Task<IResult> ListAsync(HttpRequest request, Sub2ApiDbContext db, TimeProvider time,
        [FromQuery(Name = "user_id")] long? userId, [FromQuery(Name = "group_id")] long? groupId, string? status, string? search,
        CancellationToken ct)
    {
        var page = PageRequest.From(request);
        var now = Now(time);
        if (Validate.OneOf(string.IsNullOrEmpty(status) ? null : status, "status", SubscriptionView.FilterStatuses, required: false) is { } error)
        {
            return Api.BadRequest(error);
        }
        var query = db.UserSubscriptions.AsNoTracking();
        if (userId is { } u)
        {
            query = query.Where(s => s.UserId == u);
        }
        if (groupId is { } g)
        {
            query = query.Where(s => s.GroupId == g);
        }
        if (!string.IsNullOrEmpty(status))
        {
            query = query.Where(SubscriptionView.HasStatus(status, now));
        }
        if (!string.IsNullOrWhiteSpace(search))
        {
            var term = search.Trim().ToLowerInvariant();
            query = query.Where(s => db.Users.Any(x => x.Id == s.UserId && (x.Email.Contains(term) || x.Username.ToLower().Contains(term)))
                || db.Groups.Any(x => x.Id == s.GroupId && x.Name.ToLower().Contains(term)));
        }
        return Api.Ok(await SubscriptionQueries.PageAsync(db, query, page, r => AdminSubscriptionDto.From(r.Subscription, r.User, r.Group, now), ct));
    }

    private static async Task<IResult> ListByGroupAsync(long id, HttpRequest request, Sub2ApiDbContext db, TimeProvider time, CancellationToken ct)
    {
        var page = PageRequest.From(request);
        if (!await db.Groups.AnyAsync(g => g.Id == id, ct))
        {
            return Api.NotFound("group not found", "GROUP_NOT_FOUND");
        }
        var now = Now(time);
        var query = db.UserSubscriptions.AsNoTracking().Where(s => s.GroupId == id);
        return Api.Ok(await SubscriptionQueries.PageAsync(db, query, page, r => AdminSubscriptionDto.From(r.Subscription, r.User, r.Group, now), ct));
    }

    private static async Task<IResult> ListByUserAsync(long id, HttpRequest request, Sub2ApiDbContext db, TimeProvider time, CancellationToken ct)
    {
        var page = PageRequest.From(request);
        if (!await db.Users.AnyAsync(u => u.Id == id, ct))
        {
            return Api.NotFound("user not found", "USER_NOT_FOUND");
        }
        var now = Now(time);
        var query = db.UserSubscriptions.AsNoTracking().Where(s => s.UserId == id);
        return Api.Ok(await SubscriptionQueries.PageAsync(db, query, page, r => AdminSubscriptionDto.From(r.Subscription, r.User, r.Group, now), ct));
    }

    private static async Task<IResult> GetAsync(long id, Sub2ApiDbContext db, TimeProvider time, CancellationToken ct) =>
        await SubscriptionQueries.FindAsync(db, id, ownerId: null, ct) is { } row
            ? Api.Ok(AdminSubscriptionDto.From(row.Subscription, row.User, row.Group, Now(time)))
            : NotFound(id);

    private static async Task<IResult> ProgressAsync(long id, Sub2ApiDbContext db, TimeProvider time, CancellationToken ct) =>
        await SubscriptionQueries.FindAsync(db, id, ownerId: null, ct) is { Group: { } group } row
            ? Api.Ok(SubscriptionProgressDto.From(row.Subscription, group, Now(time)))
            : NotFound(id);

    private static string? CheckCommon(long? groupId, int? validityDays, string? notes) => Validate.First(
        groupId is null ? "group_id is required" : null,
        Validate.Range(validityDays, "validity_days", 1, SubscriptionAssigner.MaxValidityDays),
        notes?.Length > MaxNotesLength ? $"notes must be at most {MaxNotesLength} characters" : null);

    private static IResult Refused(AssignError error) => Api.Error(error.Status, error.Code, error.Message);

    /// <summary>The group to assign, with the validity to use (the group's default when none was sent).</summary>
    private static async Task<(Group? Group, int ValidityDays, IResult? Error)> LoadGroupAsync(Sub2ApiDbContext db, long groupId,
        int? validityDays, CancellationToken ct)
    {
        var group = await db.Groups.AsNoTracking().FirstOrDefaultAsync(g => g.Id == groupId, ct);
        if (group is null)
        {
            return (null, 0, Api.NotFound("group not found", "GROUP_NOT_FOUND"));
        }
        if (group.SubscriptionType != SubscriptionTypes.Subscription)
        {
            return (null, 0, Api.BadRequest("group is not a subscription group", "GROUP_NOT_SUBSCRIPTION"));
        }
        var days = validityDays ?? group.DefaultValidityDays;
        return days is < 1 or > SubscriptionAssigner.MaxValidityDays
            ? (null, 0, Api.BadRequest($"validity_days must be between 1 and {SubscriptionAssigner.MaxValidityDays}", "INVALID_VALIDITY_DAYS"))
            : (group, days, null);
    }

    private static async Task<IResult> AssignAsync(AssignSubscriptionRequest req, CurrentUser me, Sub2ApiDbContext db,
        ConfigGeneration generation, TimeProvider time, CancellationToken ct)
    {
        if (Validate.First(req.UserId is null ? "user_id is required" : null, CheckCommon(req.GroupId, req.ValidityDays, req.Notes)) is { } error)
        {
            return Api.BadRequest(error);
        }
        var (group, days, refused) = await LoadGroupAsync(db, req.GroupId!.Value, req.ValidityDays, ct);
        if (refused is not null)
        {
            return refused;
        }
        var now = Now(time);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var (subscription, assignError) = await SubscriptionAssigner.AssignAsync(db, req.UserId!.Value, group!.Id, days, me.Id, req.Notes, now, ct);
        if (assignError is not null)
        {
            return Refused(assignError);
        }
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        generation.Bump(ConfigScope.Callers);
        var user = await db.Users.AsNoTracking().FirstAsync(u => u.Id == subscription!.UserId, ct);
        return Api.Ok(AdminSubscriptionDto.From(subscription!, user, group, now));
    }

    private static async Task<IResult> BulkAssignAsync(BulkAssignSubscriptionRequest req, CurrentUser me, Sub2ApiDbContext db,
        ConfigGeneration generation, TimeProvider time, CancellationToken ct)
    {
        var error = Validate.First(
            req.UserIds is not { Count: > 0 } ? "user_ids must list at least one user" : null,
            req.UserIds?.Count > MaxBulkUsers ? $"user_ids must list at most {MaxBulkUsers} users" : null,
            CheckCommon(req.GroupId, req.ValidityDays, req.Notes));
        if (error is not null)
        {
            return Api.BadRequest(error);
        }
        var (group, days, refused) = await LoadGroupAsync(db, req.GroupId!.Value, req.ValidityDays, ct);
        if (refused is not null)
        {
            return refused;
        }
        var now = Now(time);
        var assigned = new List<(UserSubscription Subscription, bool Created)>();
        var errors = new List<string>();
        var statuses = new Dictionary<string, string>();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // Each user once: the assigner looks for an existing row in the database, which cannot see one added earlier in this batch.
        foreach (var userId in req.UserIds!.Distinct())
        {
            var key = userId.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var (subscription, failure) = await SubscriptionAssigner.AssignAsync(db, userId, group!.Id, days, me.Id, req.Notes, now, ct);
            if (failure is not null)
            {
                errors.Add($"user {userId}: {failure.Message}");
                statuses[key] = "failed";
                continue;
            }
            var isNew = db.Entry(subscription!).State == EntityState.Added;
            assigned.Add((subscription!, isNew));
            statuses[key] = isNew ? "created" : "reused";
        }
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        if (assigned.Count > 0)
        {
            generation.Bump(ConfigScope.Callers);
        }
        var rows = await SubscriptionQueries.WithRelationsAsync(db, assigned.Select(a => a.Subscription).ToList(), ct);
        var created = assigned.Count(a => a.Created);
        return Api.Ok(new BulkAssignResultDto(assigned.Count, created, assigned.Count - created, errors.Count,
            rows.Select(r => AdminSubscriptionDto.From(r.Subscription, r.User, r.Group, now)).ToList(), errors, statuses));
    }

    private static async Task<IResult> ExtendAsync(long id, ExtendSubscriptionRequest req, Sub2ApiDbContext db, TimeProvider time,
        CancellationToken ct)
    {
        var max = SubscriptionAssigner.MaxValidityDays;
        var error = req.Days switch
        {
            null => "days is required",
            0 => "days must not be 0",
            { } d when d < -max || d > max => $"days must be between -{max} and {max}",
            _ => null,
        };
        if (error is not null)
        {
            return Api.BadRequest(error);
        }
        var subscription = await db.UserSubscriptions.FirstOrDefaultAsync(s => s.Id == id, ct);
        if (subscription is null)
        {
            return NotFound(id);
        }
        var now = Now(time);
        var expiresAt = subscription.ExpiresAt.AddDays(req.Days!.Value);
        if (expiresAt <= now)
        {
            return Api.BadRequest($"the new expiry {expiresAt:yyyy-MM-dd HH:mm:ss}Z would be in the past", "INVALID_EXPIRY");
        }
        if (expiresAt > MaxExpiresAt)
        {
            return Api.BadRequest($"the new expiry would pass {MaxExpiresAt:yyyy-MM-dd}", "INVALID_EXPIRY");
        }
        subscription.ExpiresAt = expiresAt;
        // An expired subscription brought back into its term runs again; a suspended one stays suspended.
        if (subscription.Status == Statuses.Expired)
        {
            subscription.Status = Statuses.Active;
        }
        await db.SaveChangesAsync(ct);
        var row = (await SubscriptionQueries.WithRelationsAsync(db, [subscription], ct))[0];
        return Api.Ok(AdminSubscriptionDto.From(row.Subscription, row.User, row.Group, now));
    }

    private static async Task<IResult> RevokeAsync(long id, Sub2ApiDbContext db, TimeProvider time, CancellationToken ct)
    {
        var subscription = await db.UserSubscriptions.FirstOrDefaultAsync(s => s.Id == id, ct);
        if (subscription is null)
        {
            return NotFound(id);
        }
        subscription.DeletedAt = Now(time);
        await db.SaveChangesAsync(ct);
        return Api.Ok(new { message = "Subscription revoked successfully" });
    }
}
