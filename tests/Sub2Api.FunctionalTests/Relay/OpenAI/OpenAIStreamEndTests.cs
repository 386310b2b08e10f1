using System.Net;
using Sub2Api.FunctionalTests.Infrastructure;

namespace Sub2Api.FunctionalTests.Relay.OpenAI;

/// <summary>An upstream stream whose last line has no line end (a static-file server's way): still relayed and billed.</summary>
public sealed class OpenAIStreamEndTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task LastLineWithoutLineEnd_ReachesTheClient_AndItsUsageIsBilled(bool chatGpt)
    {
        await using var upstream = await FakeOpenAIUpstream.StartAsync();
        await using var gateway = await OpenAIGateway.StartAsync(upstream, chatGpt: chatGpt, accountWord: "nolineend");

        var (status, body, _) = await gateway.PostAsync("/v1/responses", """{"model":"gpt-5.1-codex","input":"hi","stream":true}""");

        Assert.True(status == HttpStatusCode.OK, body);
        Assert.Contains("\"type\":\"response.completed\"", body, StringComparison.Ordinal); // the unterminated last event
        await gateway.AssertBilledAsync(1); // its usage was read
    }
}
