using System.Security.Claims;

namespace Sub2Api.Auth;

/// <summary>The authenticated management-API caller, read from the principal the auth handler built.</summary>
internal sealed record CurrentUser(long Id, string Email, string Role)
{
    public bool IsAdmin => Role == Data.Entities.Roles.Admin;

    public static CurrentUser From(ClaimsPrincipal principal) => new(
        long.Parse(principal.FindFirstValue(ClaimTypes.NameIdentifier)!, System.Globalization.CultureInfo.InvariantCulture),
        principal.FindFirstValue(ClaimTypes.Email) ?? "",
        principal.FindFirstValue(ClaimTypes.Role) ?? "");

    /// <summary>Lets handlers take <c>CurrentUser user</c> as a parameter.</summary>
    public static ValueTask<CurrentUser?> BindAsync(HttpContext context) =>
        ValueTask.FromResult(context.User.Identity?.IsAuthenticated == true ? From(context.User) : null);
}
