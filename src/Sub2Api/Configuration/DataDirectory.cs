namespace Sub2Api.Configuration;

/// <summary>DATA_DIR (default <c>./data</c>): the SQLite file and the generated secrets live here.</summary>
internal sealed record DataDirectory(string Path)
{
    public static DataDirectory From(IConfiguration configuration)
    {
        var path = System.IO.Path.GetFullPath(configuration["DATA_DIR"] is { Length: > 0 } dir ? dir : "data");
        Directory.CreateDirectory(path);
        return new DataDirectory(path);
    }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>
    /// Mode of every file written here (database, journal, secrets): read and write for the owner only, since
    /// they hold password hashes, credentials, keys and usage.
    /// </summary>
    public const UnixFileMode PrivateFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
}
