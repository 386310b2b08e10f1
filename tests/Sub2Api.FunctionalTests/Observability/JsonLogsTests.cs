using System.Net.Http.Headers;
using System.Text.Json;

namespace Sub2Api.FunctionalTests.Observability;

/// <summary>
/// The gateway as a child process with <c>Logging__Console__FormatterName=json</c> and no OTLP variables: every
/// console line is a JSON object (with a timestamp), credentials are still redacted in the message and in the
/// structured state, and the relay's tracing is off (nothing listens to its ActivitySource, so it creates no span).
/// </summary>
public sealed class JsonLogsTests(JsonLogsTests.Gateway fixture) : IClassFixture<JsonLogsTests.Gateway>
{
    private const string QueryKey = "query-key-secret-c81e5a";
    private const string HeaderKey = "sk-header-secret-0d9b2f44";

    [Fact]
    public async Task EveryConsoleLine_IsAJsonObject_WithTimestampLevelCategoryAndMessage_AndNoSecret()
    {
        var gateway = fixture.Seeded;
        var ct = TestContext.Current.CancellationToken;
        using var http = gateway.Client();
        using (var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/no/such/route?key={QueryKey}&page=1"))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", HeaderKey);
            using var response = await http.SendAsync(request, ct);
        }
        var (status, body) = await gateway.SendAsync(gateway.Keys[0], "hello json logs");
        Assert.True(status == 200, body);
        using (await http.GetAsync("/health?marker=json-end", ct))
        {
        }
        await gateway.Process.WaitForOutputAsync("json-end", ct);

        var lines = gateway.Process.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(lines.Length > 5, gateway.Process.Output);
        var entries = new List<JsonElement>();
        foreach (var line in lines)
        {
            JsonElement entry;
            try
            {
                entry = JsonDocument.Parse(line).RootElement;
            }
            catch (JsonException e)
            {
                throw new Xunit.Sdk.XunitException($"not a JSON line ({e.Message}): {line}");
            }
            Assert.Equal(JsonValueKind.Object, entry.ValueKind);
            Assert.True(DateTimeOffset.TryParse(entry.GetProperty("Timestamp").GetString(), out _), line);
            Assert.False(string.IsNullOrEmpty(entry.GetProperty("LogLevel").GetString()), line);
            Assert.False(string.IsNullOrEmpty(entry.GetProperty("Category").GetString()), line);
            Assert.True(entry.TryGetProperty("Message", out _), line);
            entries.Add(entry);
        }

        // The request line with the secret in its query was logged — redacted in the message and in the state.
        var requestLine = Assert.Single(entries, e => e.GetProperty("Message").GetString()!.Contains("/api/v1/no/such/route", StringComparison.Ordinal)
            && e.GetProperty("Message").GetString()!.StartsWith("Request starting", StringComparison.Ordinal));
        Assert.Contains("key=[redacted]&page=1", requestLine.GetProperty("Message").GetString(), StringComparison.Ordinal);
        Assert.Contains("key=[redacted]", requestLine.GetProperty("State").GetProperty("QueryString").GetString(), StringComparison.Ordinal);
        foreach (var secret in new[] { QueryKey, HeaderKey, gateway.Keys[0] }.Concat(gateway.AccountKeys))
        {
            Assert.DoesNotContain(secret, gateway.Process.Output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void WithoutAnOtlpEndpoint_TheRelaysActivitySourceHasNoListener()
    {
        // The gateway reads RelayTelemetry.Source.HasListeners() once started; with it false, RelayTelemetry.Start
        // never calls StartActivity, so a relayed request allocates no Activity at all.
        var messages = fixture.Seeded.Process.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement)
            .Where(e => e.GetProperty("Category").GetString() == "Sub2Api.Observability.TracingStatusReporter")
            .Select(e => e.GetProperty("Message").GetString())
            .ToList();
        Assert.Equal(["Relay tracing: off (set OTEL_EXPORTER_OTLP_ENDPOINT to export spans; the relay creates none)"], messages);
    }

    /// <summary>One child process for the class: JSON console logs, the per-request lines on, no OTLP variables.</summary>
    public sealed class Gateway : IAsyncLifetime
    {
        internal SeededGateway Seeded { get; private set; } = null!;

        public async ValueTask InitializeAsync() => Seeded = await SeededGateway.StartAsync([["ok"]], new Dictionary<string, string>
        {
            ["Logging__Console__FormatterName"] = "json",
            ["Logging__LogLevel__Microsoft.AspNetCore.Hosting.Diagnostics"] = "Information",
        });

        public async ValueTask DisposeAsync() => await Seeded.DisposeAsync();
    }
}
