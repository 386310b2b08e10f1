using Microsoft.EntityFrameworkCore;

namespace Sub2Api.Data;

internal static class DbContextExtensions
{
    /// <summary>
    /// Saves, reporting a unique-index violation as <c>false</c> instead of throwing: the database, not a
    /// racy pre-check, is what guarantees "duplicate email → 409".
    /// </summary>
    public static async Task<bool> TrySaveUniqueAsync(this DbContext db, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException e) when (IsUniqueViolation(e))
        {
            db.ChangeTracker.Clear();
            return false;
        }
    }

    public static bool IsUniqueViolation(DbUpdateException e) => e.InnerException switch
    {
        Microsoft.Data.Sqlite.SqliteException sqlite => sqlite.SqliteErrorCode == 19 && sqlite.Message.Contains("UNIQUE", StringComparison.Ordinal),
        Npgsql.PostgresException pg => pg.SqlState == "23505",
        _ => false,
    };
}
