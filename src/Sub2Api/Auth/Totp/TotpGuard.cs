using Microsoft.EntityFrameworkCore;
using Sub2Api.Data;
using Sub2Api.Data.Entities;
using Sub2Api.Security;

namespace Sub2Api.Auth.Totp;

/// <summary>
/// Checks a user's TOTP codes. A code works once: the start of the last accepted step is kept per user (a
/// <see cref="AuthChallengePurposes.TotpLastStep"/> row), and a code of that step or an earlier one is refused even
/// inside its window. Moving the mark forward is one conditional update, so two nodes cannot both accept a code.
/// </summary>
internal sealed class TotpGuard(Sub2ApiDbContext db, SecretProtector protector, TimeProvider time)
{
    public string Protect(string base32Secret) => protector.Protect(base32Secret);

    public string Unprotect(string protectedSecret) => protector.Unprotect(protectedSecret);

    /// <summary>True when <paramref name="code"/> is right for the stored secret and newer than the last one accepted.</summary>
    public async Task<bool> AcceptAsync(User user, string protectedSecret, string? code, CancellationToken cancellationToken)
    {
        var step = TotpCode.Match(protector.Unprotect(protectedSecret), code, time.GetUtcNow());
        return step is { } matched && await AdvanceAsync(user, matched, cancellationToken);
    }

    private async Task<bool> AdvanceAsync(User user, long step, CancellationToken cancellationToken)
    {
        var stepStart = DateTime.UnixEpoch.AddSeconds(step * TotpCode.StepSeconds);
        var moved = await db.AuthChallenges
            .Where(c => c.Purpose == AuthChallengePurposes.TotpLastStep && c.UserId == user.Id && c.CreatedAt < stepStart)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.CreatedAt, stepStart), cancellationToken);
        if (moved > 0)
        {
            return true;
        }
        if (await db.AuthChallenges.AnyAsync(c => c.Purpose == AuthChallengePurposes.TotpLastStep && c.UserId == user.Id, cancellationToken))
        {
            return false;   // this step (or a later one) was used already
        }
        db.AuthChallenges.Add(new AuthChallenge
        {
            Purpose = AuthChallengePurposes.TotpLastStep,
            Email = user.Email,
            UserId = user.Id,
            SecretHash = "",
            CreatedAt = stepStart,
            // Kept while TOTP stays on; the expired-row sweep must not take it.
            ExpiresAt = new DateTime(9998, 12, 31, 0, 0, 0, DateTimeKind.Utc),
        });
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>Forgets the replay mark (TOTP turned off: a later setup starts from a new secret).</summary>
    public Task ForgetAsync(long userId, CancellationToken cancellationToken) =>
        db.AuthChallenges.Where(c => c.Purpose == AuthChallengePurposes.TotpLastStep && c.UserId == userId)
            .ExecuteDeleteAsync(cancellationToken);
}
