using Microsoft.EntityFrameworkCore;
using Sub2Api.Common;
using Sub2Api.Data;
using Sub2Api.Data.Entities;

namespace Sub2Api.UserPortal;

/// <summary>
/// Failed custom API key attempts (too short, bad characters, already taken) are limited to 20 per user per hour,
/// so the "taken" answer cannot be used to probe for other users' keys. Each failure is a row (kept an hour) in the
/// challenge table, keyed "user-&lt;id&gt;", so every node counts the same failures.
/// </summary>
internal static class CustomKeyAttempts
{
    public const int MaxFailuresPerHour = 20;
    private static readonly TimeSpan Window = TimeSpan.FromHours(1);

    private static string Key(long userId) => "user-" + userId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static async Task<IResult?> RefuseWhenExhaustedAsync(Sub2ApiDbContext db, long userId, DateTime now, CancellationToken ct)
    {
        var key = Key(userId);
        var since = now - Window;
        var failures = await db.AuthChallenges.CountAsync(
            c => c.Purpose == AuthChallengePurposes.CustomKeyFailure && c.Email == key && c.CreatedAt > since, ct);
        return failures >= MaxFailuresPerHour
            ? Api.Error(429, "CUSTOM_KEY_RATE_LIMITED", $"too many failed custom key attempts ({MaxFailuresPerHour} per hour); try again later")
            : null;
    }

    public static async Task RecordFailureAsync(Sub2ApiDbContext db, long userId, DateTime now, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        db.AuthChallenges.Add(new AuthChallenge
        {
            Purpose = AuthChallengePurposes.CustomKeyFailure, Email = Key(userId), UserId = userId, SecretHash = "",
            CreatedAt = now, ExpiresAt = now + Window,
        });
        await db.SaveChangesAsync(ct);
    }
}
