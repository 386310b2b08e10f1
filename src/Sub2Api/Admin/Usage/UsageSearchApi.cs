using Microsoft.EntityFrameworkCore;
using Sub2Api.Common;
using Sub2Api.Data;

namespace Sub2Api.Admin.Usage;

internal sealed record UsageSearchUserDto(long Id, string Email, bool Deleted);

internal sealed record UsageSearchKeyDto(long Id, string Name, long UserId);

/// <summary>
/// The usage page's filter pickers: <c>GET /admin/usage/search-users?q=</c> (by email or username) and
/// <c>GET /admin/usage/search-api-keys?q=&amp;user_id=</c> (by name, optionally one user's). At most
/// <see cref="Limit"/> results each. Deleted users and keys are found too: their usage history remains.
/// </summary>
internal static class UsageSearchApi
{
    public const int Limit = 20;
    private const int MaxQueryLength = 100;

    public static void MapAdminUsageSearch(this RouteGroupBuilder admin)
    {
        admin.MapGet("/usage/search-users", async (HttpRequest request, Sub2ApiDbContext db, CancellationToken ct) =>
        {
            var term = Term(request);
            if (term.Length == 0)
            {
                return Api.Ok(Array.Empty<UsageSearchUserDto>());
            }
            var users = await db.Users.IgnoreQueryFilters().AsNoTracking()
                .Where(u => u.Email.ToLower().Contains(term) || u.Username.ToLower().Contains(term))
                .OrderBy(u => u.Email).ThenBy(u => u.Id)
                .Take(Limit)
                .Select(u => new UsageSearchUserDto(u.Id, u.Email, u.DeletedAt != null))
                .ToListAsync(ct);
            return Api.Ok(users);
        });

        admin.MapGet("/usage/search-api-keys", async (HttpRequest request, Sub2ApiDbContext db, CancellationToken ct) =>
        {
            var term = Term(request);
            var rawUser = request.Query["user_id"].ToString().Trim();
            long? userId = null;
            if (rawUser.Length > 0)
            {
                if (!long.TryParse(rawUser, out var parsed) || parsed < 1)
                {
                    return Api.BadRequest("user_id must be a positive integer");
                }
                userId = parsed;
            }
            var keys = db.ApiKeys.IgnoreQueryFilters().AsNoTracking();
            if (userId is { } owner)
            {
                keys = keys.Where(k => k.UserId == owner);
            }
            if (term.Length > 0)
            {
                keys = keys.Where(k => k.Name.ToLower().Contains(term));
            }
            var found = await keys.OrderBy(k => k.Name).ThenBy(k => k.Id)
                .Take(Limit)
                .Select(k => new UsageSearchKeyDto(k.Id, k.Name, k.UserId))
                .ToListAsync(ct);
            return Api.Ok(found);
        });
    }

    /// <summary>The search term, trimmed, lower-cased and cut to a sane length (a longer one matches nothing anyway).</summary>
    private static string Term(HttpRequest request)
    {
        var term = request.Query["q"].ToString().Trim().ToLowerInvariant();
        return term.Length > MaxQueryLength ? term[..MaxQueryLength] : term;
    }
}
