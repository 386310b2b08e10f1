using System.Net;
using System.Net.Http.Json;
using Sub2Api.FunctionalTests.Infrastructure;

namespace Sub2Api.FunctionalTests.Hosting;

/// <summary>
/// A first run from a source checkout, the way the README starts it (<c>dotnet run --project src/Sub2Api</c> runs in
/// the project's folder): the data lands in the checkout's <c>data/</c>, the console's address is printed, and
/// admin settings given after the admin exists are reported as ignored instead of silently doing nothing.
/// </summary>
public sealed class FirstRunTests : IAsyncDisposable
{
    private const string FirstPassword = "first-run-password-1";
    private const string LaterPassword = "later-password-never-logged-2";

    private readonly string _checkout = Directory.CreateTempSubdirectory("sub2api-checkout-").FullName;

    [Fact]
    public async Task FromTheProjectFolder_DataGoesToTheCheckout_TheAddressIsPrinted_AndLaterAdminSettingsAreReportedIgnored()
    {
        var ct = TestContext.Current.CancellationToken;
        await File.WriteAllTextAsync(Path.Combine(_checkout, "Sub2Api.slnx"), "<Solution />", ct);
        var projectFolder = Path.Combine(_checkout, "src", "Sub2Api");
        Directory.CreateDirectory(projectFolder);

        await using (var first = await GatewayChildProcess.StartAsync(projectFolder, new Dictionary<string, string>
        {
            ["ADMIN_PASSWORD"] = FirstPassword,
        }, ct))
        {
            await first.WaitForOutputAsync($"Sub2Api is listening on {first.Address} — open it in a browser for the web console", ct);
            Assert.True(File.Exists(Path.Combine(_checkout, "data", "sub2api.db")), first.Output);
            Assert.False(Directory.Exists(Path.Combine(projectFolder, "data")), "the data must not land in the project's folder");
            Assert.DoesNotContain("ignored: an admin already exists", first.Output, StringComparison.Ordinal);
        }

        await using var second = await GatewayChildProcess.StartAsync(projectFolder, new Dictionary<string, string>
        {
            ["ADMIN_PASSWORD"] = LaterPassword,
            ["ADMIN_EMAIL"] = "someone-else@example.com",
        }, ct);
        await second.WaitForOutputAsync("Sub2Api is listening on", ct);
        Assert.Contains("ADMIN_EMAIL and ADMIN_PASSWORD ignored: an admin already exists", second.Output, StringComparison.Ordinal);
        Assert.Contains("PUT /api/v1/user/password", second.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(LaterPassword, second.Output, StringComparison.Ordinal);

        // The first password still works (same data folder), the later one was not applied.
        using var http = new HttpClient { BaseAddress = new Uri(second.Address) };
        using var withFirst = await http.PostAsJsonAsync("/api/v1/auth/login", new { email = Sub2ApiFactory.AdminEmail, password = FirstPassword }, ct);
        Assert.Equal(HttpStatusCode.OK, withFirst.StatusCode);
        using var withLater = await http.PostAsJsonAsync("/api/v1/auth/login", new { email = Sub2ApiFactory.AdminEmail, password = LaterPassword }, ct);
        Assert.Equal(HttpStatusCode.Unauthorized, withLater.StatusCode);
    }

    public ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_checkout, recursive: true);
        }
        catch (IOException)
        {
        }
        return ValueTask.CompletedTask;
    }
}
