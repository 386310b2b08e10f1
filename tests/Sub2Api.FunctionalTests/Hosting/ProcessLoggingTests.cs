using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Sub2Api.FunctionalTests.Infrastructure;

namespace Sub2Api.FunctionalTests.Hosting;

/// <summary>
/// The published gateway started the way an operator does — <c>dotnet /somewhere/Sub2Api.dll</c> from another
/// folder — with every log category turned up to Trace: appsettings.json still loads from the application's
/// folder, and no credential a client sends reaches stdout or stderr at any level.
/// </summary>
public sealed class ProcessLoggingTests : IAsyncLifetime
{
    private const string AdminPassword = "process-admin-password-1";
    private const string QueryKey = "query-key-secret-7f3a9c";
    private const string GatewayKey = "sk-5e1c0ffee0123456789abcdef0123456789abcdef0123456789abcdef012345";
    private const string CustomKey = "custom-api-key-secret-b6d2e8";
    private const string CookieValue = "cookie-secret-a4c1d9";
    private const string PricingToken = "pricing-url-token-secret-91ab";

    private readonly string _workingDirectory = Path.Combine(Path.GetTempPath(), "sub2api-cwd-" + Guid.NewGuid().ToString("N"));
    private GatewayChildProcess? _gateway;

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(_workingDirectory);
        _gateway = await GatewayChildProcess.StartAsync(_workingDirectory, new Dictionary<string, string>
        {
            ["DATA_DIR"] = Path.Combine(_workingDirectory, "data"),
            ["ADMIN_PASSWORD"] = AdminPassword,
            // Every category appsettings.json names is turned up too, except Microsoft.EntityFrameworkCore: it stays
            // at appsettings.json's Warning and shows whether that file was loaded (EF Core's categories log SQL
            // text and timings, never a request's URL or headers).
            ["Logging__LogLevel__Default"] = "Trace",
            ["Logging__LogLevel__Microsoft.AspNetCore"] = "Trace",
            ["Logging__LogLevel__Microsoft.AspNetCore.Hosting.Diagnostics"] = "Trace",
            ["Logging__LogLevel__System.Net.Http"] = "Trace",
            // An upstream URL with a secret in its query: the price table download (HttpClient's own logging),
            // pointed back at the gateway so it also arrives as an incoming request.
            ["Billing__PricingUrl"] = "http://127.0.0.1:{port}/health?token=" + PricingToken,
        }, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task FromAnotherWorkingDirectory_AtTrace_ConfigurationLoads_AndNoSecretIsLogged()
    {
        var gateway = _gateway!;
        var ct = TestContext.Current.CancellationToken;
        using var http = new HttpClient { BaseAddress = new Uri(gateway.Address) };

        // Real session credentials: an access JWT and a refresh token.
        using var login = await http.PostAsJsonAsync("/api/v1/auth/login", new { email = Sub2ApiFactory.AdminEmail, password = AdminPassword }, ct);
        var data = JsonDocument.Parse(await login.Content.ReadAsStringAsync(ct)).RootElement.GetProperty("data");
        var jwt = data.GetProperty("access_token").GetString()!;
        var refreshToken = data.GetProperty("refresh_token").GetString()!;
        Assert.StartsWith("eyJ", jwt, StringComparison.Ordinal);

        // A gateway route, a management route and an unknown route, each with credentials in the query string,
        // Authorization, x-api-key and Cookie.
        var statuses = new List<HttpStatusCode>();
        foreach (var (method, path) in new[]
        {
            (HttpMethod.Post, "/v1/messages"),
            (HttpMethod.Get, "/api/v1/admin/users"),
            (HttpMethod.Get, "/api/v1/auth/me"),
            (HttpMethod.Get, "/api/v1/no/such/route"),   // unknown: outside /api it would be the web app's page
        })
        {
            foreach (var authorization in new[] { GatewayKey, jwt })
            {
                using var request = new HttpRequestMessage(method, $"{path}?key={QueryKey}&token={jwt}&refresh_token={refreshToken}&page=1");
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", authorization);
                request.Headers.TryAddWithoutValidation("x-api-key", CustomKey);
                request.Headers.TryAddWithoutValidation("Cookie", $"session={CookieValue}; refresh_token={refreshToken}");
                if (method == HttpMethod.Post)
                {
                    request.Content = JsonContent.Create(new { model = "claude-sonnet-4-5", max_tokens = 8, messages = new[] { new { role = "user", content = "hi" } } });
                }
                using var response = await http.SendAsync(request, ct);
                statuses.Add(response.StatusCode);
            }
        }
        Assert.Contains(HttpStatusCode.OK, statuses);   // the JWT works on the management routes: they were really exercised
        Assert.Contains(HttpStatusCode.BadRequest, statuses);   // the gateway refuses ?key=
        Assert.Contains(HttpStatusCode.NotFound, statuses);

        // Console logging is asynchronous but ordered: once this request's last line is out, all earlier ones are.
        using (await http.GetAsync("/health?marker=end-of-test", ct))
        {
        }
        await gateway.WaitForOutputAsync("/health?marker=end-of-test - 200", ct);
        var output = gateway.Output;

        // The per-request lines with their URLs were written (so the check below could fail)…
        Assert.Contains("Request starting HTTP/1.1 GET http://127.0.0.1", output, StringComparison.Ordinal);
        Assert.Contains("/api/v1/no/such/route?key=[redacted]&token=[redacted]&refresh_token=[redacted]&page=1", output, StringComparison.Ordinal);
        // …and no credential made it into them, nor anywhere else.
        foreach (var secret in new[] { QueryKey, GatewayKey, CustomKey, CookieValue, PricingToken, jwt, refreshToken, AdminPassword })
        {
            Assert.False(output.Contains(secret, StringComparison.Ordinal),
                $"secret '{secret[..6]}…' in the gateway's output:\n{string.Join('\n', output.Split('\n').Where(l => l.Contains(secret, StringComparison.Ordinal)).Take(5))}");
        }

        // appsettings.json was read from the application's folder, not the working directory.
        var applicationFolder = Path.GetDirectoryName(gateway.Dll)!;
        Assert.Contains("Content root path: " + applicationFolder, output, StringComparison.Ordinal);
        Assert.DoesNotContain("dbug: Microsoft.EntityFrameworkCore", output, StringComparison.Ordinal);
        Assert.DoesNotContain("info: Microsoft.EntityFrameworkCore", output, StringComparison.Ordinal);
        // DATA_DIR stays where the operator said (here an absolute path under the working directory).
        Assert.True(File.Exists(Path.Combine(_workingDirectory, "data", "sub2api.db")));
    }

    public async ValueTask DisposeAsync()
    {
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_workingDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
