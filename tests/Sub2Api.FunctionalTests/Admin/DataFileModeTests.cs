using Microsoft.EntityFrameworkCore;
using Sub2Api.FunctionalTests.Infrastructure;

namespace Sub2Api.FunctionalTests.Admin;

/// <summary>
/// The database (with its -wal and -shm), the usage journal and secrets.json hold password hashes, credentials
/// and usage: all are readable by their owner only, new or left by an older version.
/// </summary>
public sealed class DataFileModeTests
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private static string[] DataFiles(string dataDir) =>
    [
        .. new[] { "sub2api.db", "sub2api.db-wal", "sub2api.db-shm", "secrets.json" }.Select(name => Path.Combine(dataDir, name)),
        .. Directory.GetFiles(dataDir, "usage-journal*.jsonl"),
    ];

    [Fact]
    public async Task NewDataDirectory_FilesAreOwnerOnly()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Unix file modes");
        await using var app = new Sub2ApiFactory();
        await app.AdminAsync(); // starts the host: migrations, WAL, journal, the first login

        // Checked while a connection is open: when the last pooled connection closes (another test's factory
        // clears every pool), SQLite checkpoints and removes -wal and -shm, and the next one creates them again.
        await app.WithDbAsync(async db =>
        {
            await db.Database.OpenConnectionAsync();
            _ = await db.Users.CountAsync();
            var files = DataFiles(app.DataDir);
            Assert.Contains(files, f => Path.GetFileName(f).StartsWith("usage-journal", StringComparison.Ordinal));
            foreach (var file in files)
            {
                Assert.True(File.Exists(file), file);
                Assert.Equal(OwnerOnly, File.GetUnixFileMode(file));
            }
        });
    }

    [Fact]
    public async Task WorldReadableDatabaseOfAnOlderVersion_IsTightenedAtStart()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Unix file modes");
        var dataDir = Path.Combine(Path.GetTempPath(), "sub2api-test-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using (var first = new Sub2ApiFactory(dataDir))
            {
                await first.AdminAsync();
            }
            var database = Path.Combine(dataDir, "sub2api.db");
            File.SetUnixFileMode(database, OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

            await using var second = new Sub2ApiFactory(dataDir);
            await second.AdminAsync();

            Assert.Equal(OwnerOnly, File.GetUnixFileMode(database));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dataDir, recursive: true);
        }
    }
}
