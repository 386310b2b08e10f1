using System.Data.Common;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
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
                    // WAL lets the usage writer and readers work side by side.
                    await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
                }
                await db.Database.MigrateAsync();
                break;
            }
            catch (DbException e) when (DateTime.UtcNow < deadline && IsTransient(e))
            {
                Log.DatabaseNotReady(logger, attempt, e.Message);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(attempt, 5)));
            }
        }
        await EnsureAdminAsync(app, factory, logger);
    }

    private static bool IsTransient(DbException e) => e is Npgsql.NpgsqlException { IsTransient: true }
        or Npgsql.PostgresException { SqlState: "57P03" or "3D000" } // starting up / database missing yet
        || e.InnerException is System.Net.Sockets.SocketException;

    private static async Task EnsureAdminAsync(WebApplication app, IDbContextFactory<Sub2ApiDbContext> factory, ILogger logger)
    {
        await using var db = await factory.CreateDbContextAsync();
        if (await db.Users.IgnoreQueryFilters().AnyAsync(u => u.Role == Roles.Admin))
        {
            return;
        }
        var configuration = app.Configuration;
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
        await db.SaveChangesAsync();
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
    }
}
