namespace Sub2Api.BrowserTests.Harness;

/// <summary>
/// Where the browser tests' screenshots go: <c>SUB2API_SCREENSHOTS</c> (./test.sh points it at
/// artifacts/screenshots), else TestResults/screenshots beside the test binary.
/// </summary>
public static class Screenshots
{
    public static string Folder { get; } = Environment.GetEnvironmentVariable("SUB2API_SCREENSHOTS") is { Length: > 0 } folder
        ? Path.GetFullPath(folder)
        : Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");

    public static string PathFor(string name)
    {
        Directory.CreateDirectory(Folder);
        return Path.Combine(Folder, name + ".png");
    }
}
