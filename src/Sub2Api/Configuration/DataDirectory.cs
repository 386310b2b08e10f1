namespace Sub2Api.Configuration;

/// <summary>
/// Where the SQLite file, the generated secrets and the usage journal live: <c>DATA_DIR</c> when set (a relative path
/// is taken from the working directory, like any path typed on a command line); otherwise, in a source checkout
/// (the working directory or one of its parents holds <see cref="SolutionFile"/>), the checkout's <c>data</c>
/// folder — so <c>dotnet run --project src/Sub2Api</c> uses the same <c>./data</c> whether it runs in the checkout's
/// root or in the project's folder; otherwise <c>./data</c>.
/// </summary>
internal sealed record DataDirectory(string Path)
{
    /// <summary>The file that marks the root of a source checkout.</summary>
    public const string SolutionFile = "Sub2Api.slnx";

    public static DataDirectory From(IConfiguration configuration)
    {
        var path = Resolve(configuration["DATA_DIR"], Directory.GetCurrentDirectory());
        Directory.CreateDirectory(path);
        return new DataDirectory(path);
    }

    /// <summary>The rule above, without touching the disk beyond looking for the solution file.</summary>
    internal static string Resolve(string? dataDir, string workingDirectory)
    {
        if (!string.IsNullOrEmpty(dataDir))
        {
            return System.IO.Path.GetFullPath(dataDir, workingDirectory);
        }
        for (var folder = new DirectoryInfo(workingDirectory); folder is not null; folder = folder.Parent)
        {
            if (System.IO.File.Exists(System.IO.Path.Combine(folder.FullName, SolutionFile)))
            {
                return System.IO.Path.Combine(folder.FullName, "data");
            }
        }
        return System.IO.Path.GetFullPath("data", workingDirectory);
    }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>
    /// Mode of every file written here (database, journal, secrets): read and write for the owner only, since
    /// they hold password hashes, credentials, keys and usage.
    /// </summary>
    public const UnixFileMode PrivateFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
}
