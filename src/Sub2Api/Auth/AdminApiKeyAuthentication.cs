using System.Globalization;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Sub2Api.Data;
using Sub2Api.Data.Entities;
using Sub2Api.Settings;

namespace Sub2Api.Auth;

/// <summary>
/// <c>x-api-key: admin-…</c> on <c>/api/v1/admin/*</c> only: a request carrying the admin API key acts as the first
/// active admin (for scripts and automation). The stored hash is read from the database on every such request, so
/// a key regenerated or deleted on one node stops working on every node at once. User routes and the gateway never
/// accept it.
/// </summary>
internal static class AdminApiKeyAuthentication
{
    private static readonly PathString AdminRoutes = "/api/v1/admin";

    public static bool Applies(HttpRequest request) =>
        request.Path.StartsWithSegments(AdminRoutes, StringComparison.OrdinalIgnoreCase)
        && request.Headers.ContainsKey(AdminApiKeys.HeaderName);

    /// <summary>The admin's identity, or null with the reason when the key is wrong or no admin is active.</summary>
    public static async Task<ClaimsIdentity?> AuthenticateAsync(HttpContext context, string scheme, Action<string> fail)
    {
        var presented = context.Request.Headers[AdminApiKeys.HeaderName].ToString().Trim();
        var db = context.RequestServices.GetRequiredService<Sub2ApiDbContext>();
        var stored = await db.Settings.AsNoTracking()
            .Where(s => s.Key == SettingDefinitions.AdminApiKeyHash)
            .Select(s => s.Value)
            .FirstOrDefaultAsync(context.RequestAborted) ?? "";
        if (!AdminApiKeys.Matches(presented, stored))
        {
            fail("invalid admin API key");
            return null;
        }
        var admin = await db.Users.AsNoTracking()
            .Where(u => u.Role == Roles.Admin && u.Status == Statuses.Active)
            .OrderBy(u => u.Id)
            .Select(u => new { u.Id, u.Email, u.Role })
            .FirstOrDefaultAsync(context.RequestAborted);
        if (admin is null)
        {
            fail("no active admin user for the admin API key to act as");
            return null;
        }
        return new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, admin.Id.ToString(CultureInfo.InvariantCulture)),
            new Claim(ClaimTypes.Email, admin.Email),
            new Claim(ClaimTypes.Role, admin.Role),
        ], scheme);
    }
}
