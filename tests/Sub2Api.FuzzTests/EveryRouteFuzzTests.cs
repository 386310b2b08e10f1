using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Sub2Api.FuzzTests.Checking;
using Sub2Api.FuzzTests.Generation;
using Sub2Api.FuzzTests.Infrastructure;

namespace Sub2Api.FuzzTests;

/// <summary>
/// The fuzz tier: malformed and extreme inputs to every route of the app, over real Kestrel, against a local fake
/// upstream. Fails on any 5xx, any error outside the route family's shape, any JSON-declared body that is not
/// JSON, and any known secret in any log line at any level — all of them collected, grouped, and reported at once.
/// Re-run by hand (see README.md in this folder): <c>FUZZ_SEED=… FUZZ_SECONDS=… FUZZ_REQUESTS=… dotnet test --project tests/Sub2Api.FuzzTests</c>.
/// </summary>
public sealed class EveryRouteFuzzTests(ITestOutputHelper output)
{
    private const int DefaultSeed = 20_261_206;
    private const int DefaultSeconds = 60;
    private const int DefaultRequests = 3_000;

    [Fact]
    public async Task EveryRoute_MalformedAndExtremeInputs_AnswerCleanly_AndNoSecretIsLogged()
    {
        var seed = FromEnvironment("FUZZ_SEED", DefaultSeed);
        var budget = TimeSpan.FromSeconds(FromEnvironment("FUZZ_SECONDS", DefaultSeconds));
        var maxRequests = FromEnvironment("FUZZ_REQUESTS", DefaultRequests);
        Say($"fuzz seed {seed} (override with FUZZ_SEED), at most {maxRequests} requests (FUZZ_REQUESTS) or {budget.TotalSeconds:0} s (FUZZ_SECONDS; the sweep always completes)");

        var logs = new LogRecorder();
        await using var upstream = await FuzzUpstream.StartAsync();
        await using var app = new FuzzApp(upstream.BaseUrl, logs);
        var address = app.ServerAddress.TrimEnd('/');
        using var http = new HttpClient(new SocketsHttpHandler
        {
            UseCookies = false,
            AllowAutoRedirect = false,
            // Header values go out as UTF-8 bytes, so non-ASCII credentials reach the server as a client would send them.
            RequestHeaderEncodingSelector = (_, _) => Encoding.UTF8,
        })
        { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(30) };

        var phase = Stopwatch.StartNew();
        var world = await FuzzWorld.SeedAsync(http, upstream.BaseUrl);
        Say($"app started and seeded in {phase.Elapsed.TotalSeconds:0.0} s");
        var routes = FuzzRoute.Discover(app.Services.GetRequiredService<EndpointDataSource>());
        Assert.Contains(routes, r => r.Name == "POST /v1/messages");
        Assert.Contains(routes, r => r.Family == RouteFamily.Management && r.Caller == RouteCaller.Admin);

        if (Environment.GetEnvironmentVariable("FUZZ_ROUTE") is { Length: > 0 } only)
        {
            // By hand: fuzz only the routes whose "METHOD /pattern" contains this text.
            routes = [.. routes.Where(r => r.Name.Contains(only, StringComparison.OrdinalIgnoreCase))];
            Assert.NotEmpty(routes);
        }
        var verbose = Environment.GetEnvironmentVariable("FUZZ_VERBOSE") == "1";
        var generator = new CaseGenerator(routes, world, upstream.BaseUrl, new Random(seed));
        var report = new FuzzReport(seed);
        Say($"{routes.Count} routes discovered; the first {generator.SweepLength} requests sweep every route with every kind of input");
        var sentCases = new Dictionary<int, string>();
        var clock = Stopwatch.StartNew();
        var followUps = new Queue<(FuzzCase Accepted, bool Repeat)>();
        // The sweep finishes even past the time budget (up to twice it, on a slow machine): a cut sweep would make
        // what a run finds depend on the machine's speed. The random phase after it fills the rest of the budget.
        for (var number = 0; number < maxRequests && (clock.Elapsed < budget || (!generator.SweepDone && clock.Elapsed < 2 * budget)); number++)
        {
            var sent = followUps.TryDequeue(out var followUp) ? generator.After(followUp.Accepted, followUp.Repeat, number) : generator.Next(number);
            sentCases[number] = sent.Describe();
            logs.CurrentCase = number;
            var started = clock.Elapsed;
            var (status, contentType, body, error) = await SendAsync(http, address, sent);
            var problem = error is not null ? "no answer: " + error : ResponseChecker.Check(sent, status, contentType, body);
            report.Add(sent, status, problem, Encoding.UTF8.GetString(body), clock.Elapsed - started);
            if (verbose)
            {
                Say($"#{number} {sent.Kind} -> {status} {problem}: {sent.Describe()} => {FuzzCase.Excerpt(Encoding.UTF8.GetString(body), 200)}");
            }
            if (sent.Kind == "huge-number" && status is >= 200 and < 300 && sent.Source is not null)
            {
                followUps.Enqueue((sent, true));
                followUps.Enqueue((sent, false));
            }
        }
        logs.CurrentCase = -1;
        var elapsed = clock.Elapsed;
        // Writers that log after the answer (usage recording) get a moment to finish before the log is read.
        await Task.Delay(200);

        phase.Restart();
        report.ScanLogs(logs.Lines, world.Secrets, number => sentCases.GetValueOrDefault(number));
        Say($"{logs.Lines.Count} log lines scanned for {world.Secrets.Count} secrets in {phase.Elapsed.TotalSeconds:0.0} s");
        if (Environment.GetEnvironmentVariable("FUZZ_LOG_FILE") is { Length: > 0 } logFile)
        {
            // Every captured line with the case that wrote it, to read what the app did around a failure.
            await File.WriteAllLinesAsync(logFile, logs.Lines.Select(l => $"#{l.CaseNumber} [{l.Level}] {l.Category}: {FuzzCase.Excerpt(l.Text, 2_000)}"));
        }
        var summary = report.Summary(elapsed, routes.Count, upstream.Requests);
        Say(summary);
        Assert.False(report.HasFailures, summary + Environment.NewLine + report.Details());
    }

    private static async Task<(int Status, string? ContentType, byte[] Body, string? Error)> SendAsync(HttpClient http, string address, FuzzCase sent)
    {
        using var request = new HttpRequestMessage(new HttpMethod(sent.Method), new Uri(address + sent.PathAndQuery));
        foreach (var (name, value) in sent.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        if (sent.Body is not null)
        {
            request.Content = new ByteArrayContent(sent.Body);
            if (sent.ContentType is not (null or "NONE"))
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", sent.ContentType);
            }
        }
        try
        {
            using var response = await http.SendAsync(request);
            var body = await response.Content.ReadAsByteArrayAsync();
            return ((int)response.StatusCode, response.Content.Headers.ContentType?.ToString(), body, null);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return (0, null, [], $"{e.GetType().Name}: {e.Message}");
        }
    }

    private static int FromEnvironment(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), out var value) ? value : fallback;

    /// <summary>To the console (seen while it runs and in test.sh's log) and to the test's own output.</summary>
    private void Say(string text)
    {
        Console.Error.WriteLine(text);
        output.WriteLine(text);
    }
}
