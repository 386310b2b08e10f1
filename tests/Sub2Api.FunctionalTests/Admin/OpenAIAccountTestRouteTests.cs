using System.Net;
using System.Text.Json.Nodes;
using Sub2Api.FunctionalTests.Infrastructure;
using Sub2Api.FunctionalTests.Relay.OpenAI;

namespace Sub2Api.FunctionalTests.Admin;

/// <summary><c>POST /admin/accounts/:id/test</c> on an OpenAI account: a streamed Responses "hi", shown as the test events.</summary>
public sealed class OpenAIAccountTestRouteTests
{
    [Fact]
    public async Task Test_OpenAIApiKeyAccount_StreamsTheResponsesText_AndBillsNobody()
    {
        await using var upstream = await FakeOpenAIUpstream.StartAsync();
        await using var gateway = await OpenAIGateway.StartAsync(upstream);
        var admin = await gateway.App.AdminAsync();

        using var response = await admin.Http.PostAsync($"/api/v1/admin/accounts/{gateway.AccountId}/test", null);
        var text = await response.Content.ReadAsStringAsync();
        var events = text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Where(e => e.StartsWith("data: ", StringComparison.Ordinal))
            .Select(e => JsonNode.Parse(e["data: ".Length..])!.AsObject())
            .ToList();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("test_start", events[0]["type"]!.GetValue<string>());
        Assert.Equal(FakeOpenAIUpstream.ResponseText,
            string.Concat(events.Where(e => e["type"]!.GetValue<string>() == "content").Select(e => e["text"]!.GetValue<string>())));
        Assert.Equal("test_complete", events[^1]["type"]!.GetValue<string>());
        Assert.True(events[^1]["success"]!.GetValue<bool>());
        var sent = Assert.Single(upstream.Received);
        Assert.Equal(FakeOpenAIUpstream.ApiKeyResponsesPath, sent.Path);
        Assert.Equal(gateway.Target.UpstreamCredential, sent.Credential);
        await gateway.FlushUsageAsync();
        Assert.Empty(await gateway.UsageRowsAsync());
    }
}
