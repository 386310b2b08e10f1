using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Sub2Api.Data;
using Sub2Api.Data.Entities;

namespace Sub2Api.Auth.Challenges;

/// <summary>What checking a secret against its challenge found.</summary>
internal enum ChallengeCheck { Accepted, Invalid, TooManyAttempts }

/// <summary>
/// Short-lived secrets (email codes, reset tokens, 2FA temp tokens, setup tokens) as database rows, so whichever
/// node gets the next request can check them. Only a SHA-256 of a secret is stored; each may be used once and
/// dies after <see cref="MaxAttempts"/> wrong guesses.
/// </summary>
internal sealed class AuthChallenges(Sub2ApiDbContext db, TimeProvider time)
{
    public const int MaxAttempts = 5;

    public DateTime Now => time.GetUtcNow().UtcDateTime;

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>A random token of 32 bytes as 64 lower-case hex characters.</summary>
    public static string NewToken() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    /// <summary>
    /// Stores a new challenge and retires the live ones of the same purpose and email: only the newest code or link
    /// works. Expired rows of every purpose are swept on the way (cheap: <c>expires_at</c> is indexed).
    /// </summary>
    public async Task<AuthChallenge> IssueAsync(string purpose, string email, long? userId, string secret, TimeSpan ttl,
        CancellationToken cancellationToken)
    {
        var now = Now;
        await db.AuthChallenges.Where(c => c.ExpiresAt < now).ExecuteDeleteAsync(cancellationToken);
        await db.AuthChallenges.Where(c => c.Purpose == purpose && c.Email == email && c.ConsumedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.ConsumedAt, now), cancellationToken);
        var challenge = new AuthChallenge
        {
            Purpose = purpose, Email = email, UserId = userId, SecretHash = Hash(secret), ExpiresAt = now + ttl, CreatedAt = now,
        };
        db.AuthChallenges.Add(challenge);
        await db.SaveChangesAsync(cancellationToken);
        db.Entry(challenge).State = EntityState.Detached;
        return challenge;
    }

    /// <summary>When the newest challenge of this purpose and email was issued (for cooldowns), used or not.</summary>
    public Task<DateTime?> LastIssuedAtAsync(string purpose, string email, CancellationToken cancellationToken) =>
        db.AuthChallenges.AsNoTracking().Where(c => c.Purpose == purpose && c.Email == email)
            .OrderByDescending(c => c.CreatedAt).Select(c => (DateTime?)c.CreatedAt).FirstOrDefaultAsync(cancellationToken);

    /// <summary>The live (unused, unexpired) challenge a token belongs to.</summary>
    public Task<AuthChallenge?> FindLiveAsync(string purpose, string secret, CancellationToken cancellationToken)
    {
        var hash = Hash(secret);
        var now = Now;
        return db.AuthChallenges.AsNoTracking()
            .FirstOrDefaultAsync(c => c.Purpose == purpose && c.SecretHash == hash && c.ConsumedAt == null && c.ExpiresAt > now, cancellationToken);
    }

    /// <summary>Checks a code against the newest live challenge of this purpose and email, and uses it up when right.</summary>
    public async Task<ChallengeCheck> VerifyLatestAsync(string purpose, string email, string secret, CancellationToken cancellationToken)
    {
        var now = Now;
        var challenge = await db.AuthChallenges.AsNoTracking()
            .Where(c => c.Purpose == purpose && c.Email == email && c.ConsumedAt == null && c.ExpiresAt > now)
            .OrderByDescending(c => c.CreatedAt).FirstOrDefaultAsync(cancellationToken);
        if (challenge is null)
        {
            return ChallengeCheck.Invalid;
        }
        if (challenge.Attempts >= MaxAttempts)
        {
            return ChallengeCheck.TooManyAttempts;
        }
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(challenge.SecretHash), Encoding.ASCII.GetBytes(Hash(secret))))
        {
            return await FailAsync(challenge, cancellationToken) ? ChallengeCheck.TooManyAttempts : ChallengeCheck.Invalid;
        }
        return await ConsumeAsync(challenge.Id, cancellationToken) ? ChallengeCheck.Accepted : ChallengeCheck.Invalid;
    }

    /// <summary>Counts a wrong guess; true when that was the last one allowed (the challenge is dead now).</summary>
    public async Task<bool> FailAsync(AuthChallenge challenge, CancellationToken cancellationToken)
    {
        await db.AuthChallenges.Where(c => c.Id == challenge.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Attempts, c => c.Attempts + 1), cancellationToken);
        return challenge.Attempts + 1 >= MaxAttempts;
    }

    /// <summary>Marks a challenge used; false when another request used it first (or it died of wrong guesses).</summary>
    public async Task<bool> ConsumeAsync(long id, CancellationToken cancellationToken)
    {
        var now = Now;
        return await db.AuthChallenges.Where(c => c.Id == id && c.ConsumedAt == null && c.Attempts < MaxAttempts)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.ConsumedAt, now), cancellationToken) == 1;
    }

    public Task<int> DeleteAsync(long id, CancellationToken cancellationToken) =>
        db.AuthChallenges.Where(c => c.Id == id).ExecuteDeleteAsync(cancellationToken);
}
