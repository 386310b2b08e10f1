using Microsoft.Data.Sqlite;
using Sub2Api.Configuration;

namespace Sub2Api.Data;

/// <summary>
/// The SQLite database holds password hashes, encrypted credentials and every user's usage, so it is readable by
/// its owner only, like <c>secrets.json</c> beside it. SQLite would create the file 0644 (less the umask); it
/// creates its <c>-wal</c>, <c>-shm</c> and <c>-journal</c> files with the database file's mode, so creating the
/// database file owner-only first is enough for new installs. Files of older installs are tightened at start.
/// </summary>
internal static class SqliteFiles
{
    private static readonly string[] Companions = ["", "-wal", "-shm", "-journal"];

    public static void MakePrivate(string? connectionString)
    {
        if (OperatingSystem.IsWindows() || string.IsNullOrEmpty(connectionString))
        {
            return;
        }
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (builder.Mode == SqliteOpenMode.Memory || builder.DataSource is "" or ":memory:")
        {
            return;
        }
        var database = Path.GetFullPath(builder.DataSource);
        if (!File.Exists(database) && builder.Mode != SqliteOpenMode.ReadOnly)
        {
            using var created = new FileStream(database, new FileStreamOptions
            {
                Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = DataDirectory.PrivateFileMode,
            });
        }
        foreach (var suffix in Companions)
        {
            var path = database + suffix;
            if (File.Exists(path) && (File.GetUnixFileMode(path) & ~DataDirectory.PrivateFileMode) != 0)
            {
                File.SetUnixFileMode(path, DataDirectory.PrivateFileMode);
            }
        }
    }
}
