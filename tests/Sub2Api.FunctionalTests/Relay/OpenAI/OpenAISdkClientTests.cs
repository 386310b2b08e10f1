using System.Diagnostics;
using System.Text.Json;
using Sub2Api.FunctionalTests.Infrastructure;

namespace Sub2Api.FunctionalTests.Relay.OpenAI;

/// <summary>
/// A real client: the official <c>openai</c> npm package (6.49.0), unmodified: Responses JSON and streamed, a streamed
/// function call, Chat Completions JSON and streamed with usage, and a refused key. <c>./test.sh</c> installs it
/// (tests/clients/openai-sdk). Today the client talks to the fake upstream directly, which proves the harness; set
/// <see cref="ThroughGateway"/> to go through the gateway.
/// </summary>
public sealed class OpenAISdkClientTests
{
    private static readonly string ClientDir = RealClient.Dir("openai-sdk");

    /// <summary>
    /// False: the client talks to the fake upstream directly (proves the harness). True: through the gateway
    /// (<see cref="OpenAIGateway"/>: an OpenAI group and API-key account on the fake), which also checks the billing.
    /// </summary>
    private static bool ThroughGateway => false;

    [Fact]
    public async Task OfficialSdk_ResponsesAndChatCompletions_PlainAndStreamed_ParseTextAndUsage()
    {
        RealClient.RequireInstalled(Path.Combine(ClientDir, "node_modules/openai/package.json"),
            "the OpenAI SDK is not installed: run ./test.sh (it runs npm ci in tests/clients/openai-sdk)");
        await using var upstream = await FakeOpenAIUpstream.StartAsync();
        await using var gateway = ThroughGateway ? await OpenAIGateway.StartAsync(upstream) : null;
        var target = gateway?.Target ?? OpenAIClientTarget.DirectTo(upstream);

        var start = new ProcessStartInfo("node", "check.mjs")
        {
            WorkingDirectory = ClientDir,
            Environment =
            {
                ["OPENAI_BASE_URL"] = target.BaseUrl,
                ["OPENAI_KEY"] = target.ClientKey,
                ["OPENAI_BAD_KEY"] = target.BadKey,
                ["OPENAI_MODEL"] = "gpt-5.1",
            },
        };
        var (exitCode, stdout, stderr) = await RealClient.RunAsync(start, TimeSpan.FromSeconds(60));
        Assert.True(exitCode == 0, $"node exited {exitCode}: {stderr}");

        using var result = JsonDocument.Parse(stdout.Trim().Split('\n')[^1]);
        var root = result.RootElement;
        Assert.Equal(FakeOpenAIUpstream.ResponseText, root.GetProperty("responseJsonText").GetString());
        Assert.Equal("gpt-5.1", root.GetProperty("responseJsonModel").GetString());
        AssertResponsesUsage(root.GetProperty("responseJsonUsage"));
        Assert.Equal(FakeOpenAIUpstream.ResponseText, root.GetProperty("responseStreamText").GetString());
        Assert.Equal("gpt-5.1", root.GetProperty("responseStreamModel").GetString());
        AssertResponsesUsage(root.GetProperty("responseStreamUsage"));
        var eventTypes = root.GetProperty("responseEventTypes").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Equal("response.created", eventTypes[0]);
        Assert.Equal("response.completed", eventTypes[^1]);

        Assert.Equal(FakeOpenAIUpstream.FunctionArguments, root.GetProperty("toolArguments").GetString());
        var toolCall = root.GetProperty("toolCall");
        Assert.Equal(FakeOpenAIUpstream.FunctionName, toolCall.GetProperty("name").GetString());
        Assert.Equal(FakeOpenAIUpstream.FunctionCallId, toolCall.GetProperty("call_id").GetString());
        Assert.Equal(FakeOpenAIUpstream.FunctionArguments, toolCall.GetProperty("arguments").GetString());

        Assert.Equal(FakeOpenAIUpstream.ResponseText, root.GetProperty("chatJsonText").GetString());
        Assert.Equal("gpt-5.1", root.GetProperty("chatJsonModel").GetString());
        AssertChatUsage(root.GetProperty("chatJsonUsage"));
        Assert.Equal(FakeOpenAIUpstream.ResponseText, root.GetProperty("chatStreamText").GetString());
        Assert.Equal("stop", root.GetProperty("chatStreamFinish").GetString());
        AssertChatUsage(root.GetProperty("chatStreamUsage"));
        Assert.Equal(401, root.GetProperty("errorStatus").GetInt32());

        // What reached the upstream: the right credential, the SDK's identity and the stream flags it asked for.
        var seen = upstream.ReceivedFor(target.UpstreamCredential);
        Assert.Equal(
            [FakeOpenAIUpstream.ApiKeyResponsesPath, FakeOpenAIUpstream.ApiKeyResponsesPath, FakeOpenAIUpstream.ApiKeyResponsesPath,
                FakeOpenAIUpstream.ChatCompletionsPath, FakeOpenAIUpstream.ChatCompletionsPath],
            seen.Select(r => r.Path));
        Assert.All(seen, r => Assert.Equal(target.UpstreamCredential, r.Credential));
        Assert.All(seen, r => Assert.Equal("gpt-5.1", r.Json["model"]!.GetValue<string>()));
        Assert.Equal([false, true, true, false, true], seen.Select(r => r.Json["stream"]?.GetValue<bool>() == true));
        Assert.True(seen[4].Json["stream_options"]!["include_usage"]!.GetValue<bool>());
        Assert.Equal("get_weather", seen[2].Json["tools"]![0]!["name"]!.GetValue<string>());
        Assert.StartsWith("OpenAI/JS 6.49.0", seen[0].Header("user-agent"), StringComparison.Ordinal);
        if (gateway is not null)
        {
            await gateway.AssertBilledAsync(requests: 5);
        }
    }

    private static void AssertResponsesUsage(JsonElement usage)
    {
        Assert.Equal(FakeOpenAIUpstream.InputTokens, usage.GetProperty("input_tokens").GetInt32());
        Assert.Equal(FakeOpenAIUpstream.CachedTokens, usage.GetProperty("input_tokens_details").GetProperty("cached_tokens").GetInt32());
        Assert.Equal(FakeOpenAIUpstream.OutputTokens, usage.GetProperty("output_tokens").GetInt32());
        Assert.Equal(FakeOpenAIUpstream.ReasoningTokens, usage.GetProperty("output_tokens_details").GetProperty("reasoning_tokens").GetInt32());
        Assert.Equal(FakeOpenAIUpstream.TotalTokens, usage.GetProperty("total_tokens").GetInt32());
    }

    private static void AssertChatUsage(JsonElement usage)
    {
        Assert.Equal(FakeOpenAIUpstream.InputTokens, usage.GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(FakeOpenAIUpstream.OutputTokens, usage.GetProperty("completion_tokens").GetInt32());
        Assert.Equal(FakeOpenAIUpstream.CachedTokens, usage.GetProperty("prompt_tokens_details").GetProperty("cached_tokens").GetInt32());
    }
}
