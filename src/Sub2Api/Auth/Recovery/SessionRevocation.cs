using Microsoft.EntityFrameworkCore;
using Sub2Api.Common;
using Sub2Api.Data;
using Sub2Api.Data.Entities;

namespace Sub2Api.Auth.Recovery;

/// <summary>
/// "Log out everywhere": every refresh token of the user is revoked and the token version bumped, so access tokens
/// already handed out stop working at once (the bearer check compares versions on every call).
/// </summary>
internal static class SessionRevocation
{
    public static void MapRevokeAllSessions(this RouteGroupBuilder auth)
    {
        auth.MapPost("/revoke-all-sessions", async (CurrentUser me, Sub2ApiDbContext db, TimeProvider time, CancellationToken ct) =>
        {
            var user = await db.Users.FirstAsync(u => u.Id == me.Id, ct);
            await EndAllAsync(db, user, time.GetUtcNow().UtcDateTime, ct);
            return Api.Ok(new { message = "All sessions have been revoked. Please log in again." });
        }).RequireAuthorization();
    }

    /// <summary>Saves the tracked <paramref name="user"/> with a bumped version and revokes its refresh tokens, in one transaction.</summary>
    public static async Task EndAllAsync(Sub2ApiDbContext db, User user, DateTime now, CancellationToken cancellationToken)
    {
        user.TokenVersion++;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await db.RefreshTokens.Where(r => r.UserId == user.Id && r.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.RevokedAt, now), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}
