using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Sub2Api.Configuration;
using Sub2Api.Data;
using Sub2Api.Data.Entities;

namespace Sub2Api.Auth;

/// <summary>The login response: <c>{access_token, refresh_token, expires_in, token_type, user}</c>.</summary>
internal sealed record TokenPair(string AccessToken, string RefreshToken, long ExpiresIn, string TokenType, UserDto User);

/// <summary>
/// Issues access/refresh token pairs and rotates refresh tokens (<c>rt_</c> + 64 hex, stored as SHA-256).
/// A refresh token works once; presenting a used one again revokes its whole family, because only a thief
/// or a replay would do that.
/// </summary>
internal sealed class AuthSessions(Sub2ApiDbContext db, JwtTokens jwt, IOptions<JwtOptions> options, TimeProvider time)
{
    public async Task<TokenPair> IssueAsync(User user, string? familyId, CancellationToken cancellationToken)
    {
        var refresh = "rt_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var now = time.GetUtcNow().UtcDateTime;
        db.RefreshTokens.Add(new RefreshToken
        {
            UserId = user.Id,
            TokenHash = HashToken(refresh),
            FamilyId = familyId ?? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
            TokenVersion = user.TokenVersion,
            CreatedAt = now,
            ExpiresAt = now.AddDays(options.Value.RefreshTokenExpireDays),
        });
        await db.SaveChangesAsync(cancellationToken);
        var access = jwt.Issue(user.Id, user.Email, user.Role, user.TokenVersion);
        return new TokenPair(access, refresh, (long)jwt.Lifetime.TotalSeconds, "Bearer", UserDto.From(user));
    }

    /// <summary>A new pair for a valid, unused refresh token; null when it is unknown, expired, used or revoked.</summary>
    public async Task<TokenPair?> RotateAsync(string refreshToken, CancellationToken cancellationToken)
    {
        var hash = HashToken(refreshToken);
        var row = await db.RefreshTokens.AsNoTracking().FirstOrDefaultAsync(r => r.TokenHash == hash, cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        if (row is null || row.RevokedAt is not null || row.ExpiresAt <= now)
        {
            return null;
        }
        // Claim the token with a conditional update so two concurrent refreshes cannot both succeed.
        var claimed = await db.RefreshTokens
            .Where(r => r.Id == row.Id && r.UsedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.UsedAt, now), cancellationToken);
        if (claimed == 0)
        {
            await RevokeFamilyAsync(row.FamilyId, now, cancellationToken);
            return null;
        }
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == row.UserId, cancellationToken);
        if (user is null || user.Status != Statuses.Active || user.TokenVersion != row.TokenVersion)
        {
            return null;
        }
        return await IssueAsync(user, row.FamilyId, cancellationToken);
    }

    public async Task RevokeAsync(string refreshToken, CancellationToken cancellationToken)
    {
        var hash = HashToken(refreshToken);
        var family = await db.RefreshTokens.Where(r => r.TokenHash == hash).Select(r => r.FamilyId).FirstOrDefaultAsync(cancellationToken);
        if (family is not null)
        {
            await RevokeFamilyAsync(family, time.GetUtcNow().UtcDateTime, cancellationToken);
        }
    }

    private Task<int> RevokeFamilyAsync(string familyId, DateTime now, CancellationToken cancellationToken) =>
        db.RefreshTokens.Where(r => r.FamilyId == familyId && r.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.RevokedAt, now), cancellationToken);

    private static string HashToken(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
