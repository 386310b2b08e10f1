using System.Net;
using System.Net.Http.Json;
using Sub2Api.FunctionalTests.Infrastructure;

namespace Sub2Api.IntegrationTests.Cluster;

/// <summary>An error-passthrough rule saved on one node changes what the other node answers, at once.</summary>
public sealed class ErrorPassthroughClusterTests
{
    [Fact]
    public async Task RuleCreatedOnA_DecidesBsAnswer_WithoutWaitingForACacheLifetime()
    {
        await using var cluster = await GatewayCluster.StartAsync();
        await cluster.AddAccountAsync("err500");
        var (key, _, _) = await cluster.AddUserWithKeyAsync();
        Assert.Equal(HttpStatusCode.BadGateway, (await GatewayCluster.SendAsync(cluster.B, key)).Status); // B has loaded its (empty) rules

        using var adminOnA = GatewayCluster.Client(cluster.A);
        var login = await adminOnA.PostAsJsonAsync("/api/v1/auth/login", new { email = Sub2ApiFactory.AdminEmail, password = Sub2ApiFactory.AdminPassword });
        var token = (await login.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("data").GetProperty("access_token").GetString();
        adminOnA.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        var created = await adminOnA.PostAsJsonAsync("/api/v1/admin/error-passthrough-rules", new
        {
            name = "busy",
            error_codes = new[] { 500 },
            passthrough_code = false,
            response_code = 503,
            passthrough_body = false,
            custom_message = "busy, retry shortly",
        });
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);

        await GatewayCluster.WaitUntilAsync(async () =>
        {
            var (status, body) = await GatewayCluster.SendAsync(cluster.B, key);
            return status == HttpStatusCode.ServiceUnavailable && body.Contains("busy, retry shortly", StringComparison.Ordinal);
        }, "B applies the rule saved on A as soon as the bus message arrives", TimeSpan.FromSeconds(5));
    }
}
