using System.Net.Http.Headers;

namespace Sub2Api.FunctionalTests.Observability;

/// <summary>
/// A real Prometheus scrapes the running gateway (a child process, <c>Metrics__Token</c> set, so the scrape config
/// needs its bearer token): the relayed requests, the token and duration histograms and the gauges arrive under the
/// names the README lists.
/// </summary>
public sealed class PrometheusScrapeTests
{
    private const string MetricsToken = "metrics-token-5b1f0e7a";
    private const int Requests = 5;

    [Fact]
    public async Task Prometheus_ScrapesTheRelayedRequests_TheHistograms_AndTheGauges()
    {
        PrometheusServer.RequireInstalled();
        // Group 0: one healthy account. Group 1: its first account answers 500, so its request fails over once.
        await using var gateway = await SeededGateway.StartAsync([["ok"], ["err500", "ok"]],
            new Dictionary<string, string> { ["Metrics__Token"] = MetricsToken });
        for (var i = 0; i < Requests; i++)
        {
            var (status, body) = await gateway.SendAsync(gateway.Keys[i == 0 ? 1 : 0], $"hello {i}", stream: i % 2 == 0);
            Assert.True(status == 200, body);
        }
        var exposition = await ScrapeAsync(gateway);

        await using var prometheus = await PrometheusServer.StartAsync(new Uri(gateway.Process.Address), "/metrics", MetricsToken);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        double relayed = -1;
        while (relayed != Requests)
        {
            Assert.True(DateTime.UtcNow < deadline,
                $"Prometheus saw {relayed} requests with status 200, not {Requests}, within 60 s.\ntargets: {await prometheus.TargetsAsync()}\n/metrics:\n{exposition}");
            await Task.Delay(250, TestContext.Current.CancellationToken);
            var result = await prometheus.QueryAsync("sum(sub2api_gateway_requests_total{status=\"200\"})");
            relayed = result.Count == 0 ? -1 : result[0].Value;
        }

        var tokens = await prometheus.QueryAsync("sum by (gen_ai_token_type) (gen_ai_client_token_usage_sum)");
        Assert.True(tokens.Count > 0, exposition);
        Assert.Equal(Requests * (double)Infrastructure.FakeUpstream.InputTokens, tokens.Single(t => t.Labels["gen_ai_token_type"] == "input").Value);
        Assert.Equal(Requests * (double)Infrastructure.FakeUpstream.OutputTokens, tokens.Single(t => t.Labels["gen_ai_token_type"] == "output").Value);
        var durations = await prometheus.QueryAsync("sum(gen_ai_server_request_duration_seconds_count)");
        Assert.Equal(Requests, Assert.Single(durations).Value);
        var accounts = await prometheus.QueryAsync("sum by (state) (sub2api_accounts)");
        Assert.Equal(3, accounts.Single(a => a.Labels["state"] == "schedulable").Value);
        var failovers = await prometheus.QueryAsync("sum by (reason) (sub2api_upstream_failovers_total)");
        Assert.Equal(("server_error", 1d), (Assert.Single(failovers).Labels["reason"], failovers[0].Value));
        var attempts = await prometheus.QueryAsync("sum by (outcome) (sub2api_upstream_attempts_total)");
        Assert.Equal(Requests, attempts.Single(a => a.Labels["outcome"] == "success").Value);
        Assert.Single(await prometheus.QueryAsync("sub2api_usage_writer_lag_seconds"));
    }

    private static async Task<string> ScrapeAsync(SeededGateway gateway)
    {
        using var http = gateway.Client();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", MetricsToken);
        return await http.GetStringAsync("/metrics", TestContext.Current.CancellationToken);
    }
}
