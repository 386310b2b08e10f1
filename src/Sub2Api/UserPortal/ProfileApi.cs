using Microsoft.EntityFrameworkCore;
using Sub2Api.Auth;
using Sub2Api.Common;
using Sub2Api.Data;
using Sub2Api.Security;

namespace Sub2Api.UserPortal;

internal sealed record UpdateProfileRequest(string? Username);
internal sealed record ChangePasswordRequest(string? OldPassword, string? NewPassword);

/// <summary><c>/api/v1/user/profile</c> (also <c>/user</c>) and <c>/api/v1/user/password</c>.</summary>
internal static class ProfileApi
{
    public static void MapProfileApi(this RouteGroupBuilder user)
    {
        user.MapGet("/user/profile", GetAsync);
        user.MapGet("/user", GetAsync);
        user.MapPut("/user/profile", UpdateAsync);
        user.MapPut("/user", UpdateAsync);
        user.MapPut("/user/password", ChangePasswordAsync);
    }

    private static async Task<IResult> GetAsync(CurrentUser me, Sub2ApiDbContext db, CancellationToken ct) =>
        Api.Ok(UserDto.From(await db.Users.AsNoTracking().Include(u => u.AllowedGroups).FirstAsync(u => u.Id == me.Id, ct)));

    private static async Task<IResult> UpdateAsync(UpdateProfileRequest req, CurrentUser me, Sub2ApiDbContext db, CancellationToken ct)
    {
        if (req.Username is { Length: > 100 })
        {
            return Api.BadRequest("username must be at most 100 characters");
        }
        var user = await db.Users.Include(u => u.AllowedGroups).FirstAsync(u => u.Id == me.Id, ct);
        user.Username = req.Username?.Trim() ?? user.Username;
        await db.SaveChangesAsync(ct);
        return Api.Ok(UserDto.From(user));
    }

    /// <summary>Changing the password ends every session: access tokens by version, refresh tokens by revocation.</summary>
    private static async Task<IResult> ChangePasswordAsync(ChangePasswordRequest req, CurrentUser me, Sub2ApiDbContext db, CancellationToken ct)
    {
        var error = Validate.First(
            string.IsNullOrEmpty(req.OldPassword) ? "old_password is required" : null,
            PasswordHasher.Validate(req.NewPassword, "new_password"));
        if (error is not null)
        {
            return Api.BadRequest(error);
        }
        var user = await db.Users.FirstAsync(u => u.Id == me.Id, ct);
        if (!PasswordHasher.Verify(req.OldPassword!, user.PasswordHash))
        {
            return Api.BadRequest("old_password is incorrect", "INVALID_PASSWORD");
        }
        user.PasswordHash = PasswordHasher.Hash(req.NewPassword!);
        user.TokenVersion++;
        var now = DateTime.UtcNow;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.SaveChangesAsync(ct);
        await db.RefreshTokens.Where(r => r.UserId == user.Id && r.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.RevokedAt, now), ct);
        await transaction.CommitAsync(ct);
        return Api.Ok(new { message = "password changed; please log in again" });
    }
}
