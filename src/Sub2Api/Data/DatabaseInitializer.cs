using System.Data.Common;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Options;
using Sub2Api.Configuration;
using Sub2Api.Data.Entities;
using Sub2Api.Security;

namespace Sub2Api.Data;

/// <summary>
/// Runs before the server accepts requests: applies migrations (retrying while the database is not yet
/// reachable — the original exited instead) and creates the first admin.
/// </summary>
internal static partial class DatabaseInitializer
{
    public const string DefaultAdminEmail = "admin@sub2api.local";

    public static async Task InitializeDatabaseAsync(this WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DatabaseInitializer).FullName!);
        var options = app.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
        var factory = app.Services.GetRequiredService<IDbContextFactory<Sub2ApiDbContext>>();
        var deadline = DateTime.UtcNow.AddSeconds(options.StartupRetrySeconds);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var db = await factory.CreateDbContextAsync();
                if (db.Database.IsSqlite())
                {
                    SqliteFiles.MakePrivate(db.Database.GetConnectionString());
                    // WAL lets the usage writer and readers work side by side.
                    await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
                    await db.Database.MigrateAsync();
                    await EnsureAdminAsync(app, factory, logger);
                }
                else
                {
                    await MigratePostgresAsync(db, logger, () => EnsureAdminAsync(app, factory, logger));
                }
                break;
            }
            catch (Exception e) when (DateTime.UtcNow < deadline && IsTransient(e))
            {
                // EF's execution strategy wraps connection failures in InvalidOperationException: look inside.
                Log.DatabaseNotReady(logger, attempt, (e.InnerException ?? e).Message);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(attempt, 5)));
            }
        }
    }

    /// <summary>Key of the session-level advisory lock that serialises migrations of all nodes starting at once.</summary>
    public const long MigrationLockKey = 694208311321144027;

    /// <summary>
    /// Several nodes may start at the same moment: the database is created if missing (a concurrent creator's
    /// "already exists" is fine), then migrations — and the first admin — run under <c>pg_advisory_lock</c> on
    /// one held connection, so one node migrates while the others wait and then find nothing left to do.
    /// Session-level, so the lock also ends if this process dies mid-migration.
    /// </summary>
    private static async Task MigratePostgresAsync(Sub2ApiDbContext db, ILogger logger, Func<Task> thenUnderTheLock)
    {
        var creator = db.GetService<Microsoft.EntityFrameworkCore.Storage.IRelationalDatabaseCreator>();
        if (!await creator.ExistsAsync())
        {
            try
            {
                await creator.CreateAsync();
            }
            catch (Npgsql.PostgresException e) when (e.SqlState is "42P04" or "23505") // created by another node meanwhile
            {
            }
        }
        await db.Database.OpenConnectionAsync();
        try
        {
            Log.WaitingForMigrationLock(logger);
            await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_lock({MigrationLockKey})");
            try
            {
                await db.Database.MigrateAsync();
                await thenUnderTheLock();
            }
            finally
            {
                await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_unlock({MigrationLockKey})");
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// Whether start-up should wait and retry: the server is unreachable (refused, reset, timed out), still
    /// starting or shutting down, or the database does not exist yet. Anything else (bad password, bad SQL) fails
    /// at once. Looks through wrappers (EF's execution strategy reports "likely due to a transient failure" as an
    /// InvalidOperationException around the provider's exception).
    /// </summary>
    internal static bool IsTransient(Exception e)
    {
        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is DbException db)
            {
                return IsTransient(db);
            }
        }
        return false;
    }

    private static bool IsTransient(DbException e) => e switch
    {
        Npgsql.PostgresException p => p.SqlState is "57P03" or "57P01" or "57P02" or "3D000" or "53300" // starting / shutting down / db missing / too many connections
            || p.SqlState.StartsWith("08", StringComparison.Ordinal), // connection exceptions
        Npgsql.NpgsqlException n => n.IsTransient || n.InnerException is System.Net.Sockets.SocketException or IOException or TimeoutException,
        _ => e.InnerException is System.Net.Sockets.SocketException,
    };

    private static async Task EnsureAdminAsync(WebApplication app, IDbContextFactory<Sub2ApiDbContext> factory, ILogger logger)
    {
        await using var db = await factory.CreateDbContextAsync();
        var configuration = app.Configuration;
        if (await db.Users.IgnoreQueryFilters().AnyAsync(u => u.Role == Roles.Admin))
        {
            WarnIfAdminSettingsIgnored(configuration, logger);
            return;
        }
        var email = (configuration["ADMIN_EMAIL"] is { Length: > 0 } e ? e : DefaultAdminEmail).Trim().ToLowerInvariant();
        var given = configuration["ADMIN_PASSWORD"];
        var password = string.IsNullOrEmpty(given) ? GeneratePassword() : given;
        var defaults = app.Services.GetRequiredService<IOptions<DefaultOptions>>().Value;
        db.Users.Add(new User
        {
            Email = email,
            PasswordHash = PasswordHasher.Hash(password),
            Role = Roles.Admin,
            Username = "admin",
            Concurrency = defaults.UserConcurrency,
        });
        try
        {
            await db.SaveChangesAsync();
        }
        catch (DbUpdateException)
        {
            // Nodes starting together: another one created the admin (unique e-mail) between our check and insert.
            await using var check = await factory.CreateDbContextAsync();
            if (await check.Users.IgnoreQueryFilters().AnyAsync(u => u.Role == Roles.Admin))
            {
                return;
            }
            throw;
        }
        Log.AdminCreated(logger, email);
        if (string.IsNullOrEmpty(given))
        {
            // Printed once to the console only (not through the logger, so log sinks never store it).
            Console.WriteLine($"""

                ==================================================================
                  Sub2Api admin created
                    email:    {email}
                    password: {password}
                  This password is shown only once. Log in with:
                    curl -s -X POST http://localhost:8080/api/v1/auth/login \
                      -H 'Content-Type: application/json' \
                      -d '{"{"}"email":"{email}","password":"<password above>"{"}"}'
                ==================================================================

                """);
        }
    }

    /// <summary>
    /// ADMIN_EMAIL and ADMIN_PASSWORD only create the first admin. An operator who sets them later (e.g. to reset a
    /// forgotten password) would otherwise see nothing happen and not know why; the values themselves are never logged.
    /// </summary>
    private static void WarnIfAdminSettingsIgnored(IConfiguration configuration, ILogger logger)
    {
        string[] ignored = [.. new[] { "ADMIN_EMAIL", "ADMIN_PASSWORD" }.Where(name => !string.IsNullOrEmpty(configuration[name]))];
        if (ignored.Length > 0)
        {
            Log.AdminSettingsIgnored(logger, string.Join(" and ", ignored));
        }
    }

    private static string GeneratePassword()
    {
        const string alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        return RandomNumberGenerator.GetString(alphabet, 20);
    }

    private static partial class Log
    {
        [LoggerMessage(100, LogLevel.Warning, "Database not ready (attempt {Attempt}): {Reason}; retrying")]
        public static partial void DatabaseNotReady(ILogger logger, int attempt, string reason);

        [LoggerMessage(101, LogLevel.Information, "Created admin user {Email}")]
        public static partial void AdminCreated(ILogger logger, string email);

        [LoggerMessage(103, LogLevel.Warning, "{Settings} ignored: an admin already exists, and these settings only create the first admin on an empty database. To change the admin's password, log in and change it on the profile page (PUT /api/v1/user/password), or have another admin set it under Admin > Users (PUT /api/v1/admin/users/{{id}}).")]
        public static partial void AdminSettingsIgnored(ILogger logger, string settings);

        [LoggerMessage(102, LogLevel.Debug, "Waiting for the migration lock")]
        public static partial void WaitingForMigrationLock(ILogger logger);
    }
}
