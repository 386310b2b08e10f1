using Microsoft.EntityFrameworkCore;
using Sub2Api.Auth;
using Sub2Api.Common;
using Sub2Api.Data;
using Sub2Api.Data.Entities;
using Sub2Api.Infrastructure.Caching;
using Sub2Api.Scheduling.Concurrency;
using Sub2Api.Security;

namespace Sub2Api.Admin.Users;

/// <summary><c>/api/v1/admin/users</c>: CRUD, balance adjustments and their history.</summary>
internal static class UsersApi
{
    public static void MapAdminUsers(this RouteGroupBuilder admin)
    {
        var users = admin.MapGroup("/users");
        users.MapGet("", ListAsync);
        users.MapGet("/{id}", GetAsync);
        users.MapPost("", CreateAsync);
        users.MapPut("/{id}", UpdateAsync);
        users.MapDelete("/{id}", DeleteAsync);
        users.MapPost("/{id}/balance", UserBalance.AdjustAsync);
        users.MapGet("/{id}/balance-history", UserBalance.HistoryAsync);
    }

    private static IQueryable<User> WithGroups(Sub2ApiDbContext db) =>
        db.Users.AsNoTracking().Include(u => u.AllowedGroups).Include(u => u.GroupRates).AsSplitQuery();

    private static async Task<IResult> ListAsync(HttpRequest request, Sub2ApiDbContext db, IConcurrencySlots slots,
        string? search, string? status, string? role, CancellationToken ct)
    {
        var query = WithGroups(db);
        if (!string.IsNullOrWhiteSpace(search))
        {
            var term = search.Trim().ToLowerInvariant();
            query = query.Where(u => u.Email.Contains(term) || u.Username.ToLower().Contains(term));
        }
        if (!string.IsNullOrEmpty(status))
        {
            query = query.Where(u => u.Status == status);
        }
        if (!string.IsNullOrEmpty(role))
        {
            query = query.Where(u => u.Role == role);
        }
        var page = PageRequest.From(request);
        var found = await query.OrderByDescending(u => u.Id).ToPageAsync(page, AdminUserDto.From, ct);
        return Api.Ok(page.Wrap(await UserConcurrency.WithCurrentAsync(found.Items, slots), found.Total));
    }

    private static async Task<IResult> GetAsync(long id, Sub2ApiDbContext db, IConcurrencySlots slots, CancellationToken ct) =>
        await WithGroups(db).FirstOrDefaultAsync(u => u.Id == id, ct) is { } user
            ? Api.Ok((await UserConcurrency.WithCurrentAsync([AdminUserDto.From(user)], slots))[0])
            : Api.NotFound("user not found");

    private static async Task<IResult> CreateAsync(CreateUserRequest req, Sub2ApiDbContext db, CancellationToken ct)
    {
        var error = Validate.First(
            Validate.Email(req.Email),
            PasswordHasher.Validate(req.Password),
            Validate.OneOf(req.Role, "role", Roles.All, required: false),
            MoneyBounds.Amount(req.Balance, "balance"),
            Validate.Range(req.Concurrency, "concurrency", 0, 100_000),
            req.Username?.Length > 100 ? "username must be at most 100 characters" : null,
            req.Notes?.Length > 2000 ? "notes must be at most 2000 characters" : null);
        error ??= await CheckGroupsExistAsync(db, req.AllowedGroups, "allowed_groups", ct);
        if (error is not null)
        {
            return Api.BadRequest(error);
        }
        var user = new User
        {
            Email = req.Email!.Trim().ToLowerInvariant(),
            PasswordHash = PasswordHasher.Hash(req.Password!),
            Username = req.Username?.Trim() ?? "",
            Notes = req.Notes ?? "",
            Balance = req.Balance ?? 0m,
            Concurrency = req.Concurrency ?? 5,
            Role = req.Role ?? Roles.User,
            AllowedGroups = (req.AllowedGroups ?? []).Distinct().Select(g => new UserAllowedGroup { GroupId = g, CreatedAt = DateTime.UtcNow }).ToList(),
        };
        db.Users.Add(user);
        if (!await db.TrySaveUniqueAsync(ct))
        {
            return Api.Conflict("email already exists", "EMAIL_EXISTS");
        }
        return Api.Ok(AdminUserDto.From(user));
    }

    private static async Task<IResult> UpdateAsync(long id, UpdateUserRequest req, CurrentUser me, Sub2ApiDbContext db, CancellationToken ct)
    {
        var error = Validate.First(
            req.Email is null ? null : Validate.Email(req.Email),
            req.Password is null ? null : PasswordHasher.Validate(req.Password),
            Validate.OneOf(req.Role, "role", Roles.All, required: false),
            Validate.OneOf(req.Status, "status", [Statuses.Active, Statuses.Disabled], required: false),
            Validate.Range(req.Concurrency, "concurrency", 0, 100_000),
            req.GroupRates?.Values.Select(r => MoneyBounds.Multiplier(r, "group_rates values")).FirstOrDefault(e => e is not null),
            req.Username?.Length > 100 ? "username must be at most 100 characters" : null,
            req.Notes?.Length > 2000 ? "notes must be at most 2000 characters" : null);
        var rateGroupIds = new List<long>();
        foreach (var key in req.GroupRates?.Keys ?? Enumerable.Empty<string>())
        {
            if (!long.TryParse(key, out var groupId))
            {
                error ??= $"group_rates key '{key}' is not a group id";
            }
            rateGroupIds.Add(groupId);
        }
        error ??= await CheckGroupsExistAsync(db, req.AllowedGroups, "allowed_groups", ct);
        error ??= await CheckGroupsExistAsync(db, rateGroupIds, "group_rates", ct);
        if (error is not null)
        {
            return Api.BadRequest(error);
        }
        var user = await db.Users.Include(u => u.AllowedGroups).Include(u => u.GroupRates).AsSplitQuery()
            .FirstOrDefaultAsync(u => u.Id == id, ct);
        if (user is null)
        {
            return Api.NotFound("user not found");
        }
        if (user.Id == me.Id && (req.Status == Statuses.Disabled || req.Role == Roles.User))
        {
            return Api.BadRequest("you cannot disable or demote your own account");
        }
        Apply(user, req);
        if (!await db.TrySaveUniqueAsync(ct))
        {
            return Api.Conflict("email already exists", "EMAIL_EXISTS");
        }
        return Api.Ok(AdminUserDto.From(user));
    }

    private static void Apply(User user, UpdateUserRequest req)
    {
        var now = DateTime.UtcNow;
        user.Email = req.Email?.Trim().ToLowerInvariant() ?? user.Email;
        user.Username = req.Username?.Trim() ?? user.Username;
        user.Notes = req.Notes ?? user.Notes;
        user.Concurrency = req.Concurrency ?? user.Concurrency;
        user.Role = req.Role ?? user.Role;
        if (req.Status is not null && req.Status != user.Status)
        {
            user.Status = req.Status;
        }
        if (req.Password is not null)
        {
            user.PasswordHash = PasswordHasher.Hash(req.Password);
            user.TokenVersion++; // a new password ends every existing session
        }
        if (req.AllowedGroups is not null)
        {
            user.AllowedGroups.Clear();
            user.AllowedGroups.AddRange(req.AllowedGroups.Distinct().Select(g => new UserAllowedGroup { GroupId = g, CreatedAt = now }));
        }
        foreach (var (key, rate) in req.GroupRates ?? [])
        {
            var groupId = long.Parse(key, System.Globalization.CultureInfo.InvariantCulture);
            var existing = user.GroupRates.FirstOrDefault(r => r.GroupId == groupId);
            if (rate is null)
            {
                if (existing is not null)
                {
                    user.GroupRates.Remove(existing);
                }
            }
            else if (existing is null)
            {
                user.GroupRates.Add(new UserGroupRateMultiplier { GroupId = groupId, Rate = rate.Value, CreatedAt = now, UpdatedAt = now });
            }
            else
            {
                existing.Rate = rate.Value;
                existing.UpdatedAt = now;
            }
        }
    }

    private static async Task<IResult> DeleteAsync(long id, CurrentUser me, Sub2ApiDbContext db, ConfigGeneration generation,
        CancellationToken ct)
    {
        if (id == me.Id)
        {
            return Api.BadRequest("you cannot delete your own account");
        }
        var now = DateTime.UtcNow;
        var deleted = await db.Users.Where(u => u.Id == id)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.DeletedAt, now).SetProperty(u => u.UpdatedAt, now), ct);
        if (deleted == 0)
        {
            return Api.NotFound("user not found");
        }
        generation.Bump(ConfigScope.Callers); // the user's keys stop working on the next request
        return Api.Ok(new { message = "user deleted" });
    }

    private static async Task<string?> CheckGroupsExistAsync(Sub2ApiDbContext db, IReadOnlyCollection<long>? ids, string field, CancellationToken ct)
    {
        if (ids is not { Count: > 0 })
        {
            return null;
        }
        var distinct = ids.Distinct().ToList();
        var found = await db.Groups.Where(g => distinct.Contains(g.Id)).Select(g => g.Id).ToListAsync(ct);
        var missing = distinct.Except(found).ToList();
        return missing.Count == 0 ? null : $"{field}: group {missing[0]} does not exist";
    }
}
