using Microsoft.EntityFrameworkCore;
using Sub2Api.Common;
using Sub2Api.Data;
using Sub2Api.Data.Entities;

namespace Sub2Api.Auth.Challenges;

/// <summary>
/// A per-user allowance of failed attempts per hour (custom API keys, redeem codes), so an answer such as "taken" or
/// "not found" cannot be used to probe or guess. Each failure is a row (kept an hour) in the challenge table, keyed
/// "user-&lt;id&gt;", so every node counts the same failures.
/// </summary>
internal sealed record FailureBudget(string Purpose, int MaxPerHour, string Reason, string Message)
{
    public static readonly FailureBudget CustomKey = new(AuthChallengePurposes.CustomKeyFailure, 20, "CUSTOM_KEY_RATE_LIMITED",
        "too many failed custom key attempts (20 per hour); try again later");

    public static readonly FailureBudget Redeem = new(AuthChallengePurposes.RedeemFailure, 20, "REDEEM_RATE_LIMITED",
        "too many failed attempts, please try again later");

    private static readonly TimeSpan Window = TimeSpan.FromHours(1);

    private static string Key(long userId) => "user-" + userId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A 429 in the envelope once the user has used up the hour's allowance; null while some is left.</summary>
    public async Task<IResult?> RefuseWhenExhaustedAsync(Sub2ApiDbContext db, long userId, DateTime now, CancellationToken ct)
    {
        var key = Key(userId);
        var since = now - Window;
        var failures = await db.AuthChallenges.CountAsync(c => c.Purpose == Purpose && c.Email == key && c.CreatedAt > since, ct);
        return failures >= MaxPerHour ? Api.Error(429, Reason, Message) : null;
    }

    /// <summary>Counts one failure; call it outside any transaction that is rolled back.</summary>
    public async Task RecordFailureAsync(Sub2ApiDbContext db, long userId, DateTime now, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        db.AuthChallenges.Add(new AuthChallenge
        {
            Purpose = Purpose, Email = Key(userId), UserId = userId, SecretHash = "", CreatedAt = now, ExpiresAt = now + Window,
        });
        await db.SaveChangesAsync(ct);
    }
}
