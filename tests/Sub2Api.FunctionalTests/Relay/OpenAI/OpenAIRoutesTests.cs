using System.Net;
using System.Text.Json.Nodes;
using Sub2Api.FunctionalTests.Infrastructure;

namespace Sub2Api.FunctionalTests.Relay.OpenAI;

/// <summary>
/// Every OpenAI route on both kinds of account: API-key accounts get the client's request as it is, ChatGPT OAuth
/// accounts get a streamed, unstored Responses request at the Codex backend (chat translated, JSON clients answered by
/// collecting the stream). Each test also checks that every request was billed once, exactly, from the price table.
/// </summary>
public sealed class OpenAIRoutesTests
{
    private const string Model = "gpt-5.1";

    private static string ResponsesBody(bool stream, string text = "hi", string? extra = null) =>
        $$"""{"model":"{{Model}}","stream":{{(stream ? "true" : "false")}},"input":[{"role":"user","content":[{"type":"input_text","text":"{{text}}"}]}]{{(extra is null ? "" : "," + extra)}}}""";

    private static string ChatBody(bool stream, bool includeUsage = false, string text = "hi", string? extra = null) =>
        $$"""{"model":"{{Model}}","stream":{{(stream ? "true" : "false")}}{{(includeUsage ? ",\"stream_options\":{\"include_usage\":true}" : "")}},"messages":[{"role":"system","content":"be brief"},{"role":"user","content":"{{text}}"}]{{(extra is null ? "" : "," + extra)}}}""";

    private static void AssertResponseJson(HttpStatusCode status, string body, string? contentType)
    {
        Assert.True(status == HttpStatusCode.OK, body);
        Assert.Equal("application/json", contentType);
        var json = JsonNode.Parse(body)!;
        Assert.Equal("response", json["object"]!.GetValue<string>());
        Assert.Equal("completed", json["status"]!.GetValue<string>());
        Assert.Equal(FakeOpenAIUpstream.ResponseText, OpenAISse.ResponseObjectText(json));
        Assert.Equal(FakeOpenAIUpstream.InputTokens, json["usage"]!["input_tokens"]!.GetValue<int>());
        Assert.Equal(FakeOpenAIUpstream.CachedTokens, json["usage"]!["input_tokens_details"]!["cached_tokens"]!.GetValue<int>());
    }

    private static void AssertResponseStream(HttpStatusCode status, string body, string? contentType)
    {
        Assert.True(status == HttpStatusCode.OK, body);
        Assert.Equal("text/event-stream", contentType);
        var types = OpenAISse.Events(body).Select(OpenAISse.TypeOf).ToList();
        Assert.Equal("response.created", types[0]);
        Assert.Equal("response.completed", types[^1]);
        Assert.Equal(FakeOpenAIUpstream.ResponseText, OpenAISse.ResponsesText(body));
    }

    [Fact]
    public async Task Responses_ApiKeyAccount_BothPaths_JsonAndStream_PassedThroughAndBilled()
    {
        await using var upstream = await FakeOpenAIUpstream.StartAsync();
        await using var gateway = await OpenAIGateway.StartAsync(upstream);

        foreach (var path in (string[])["/v1/responses", "/responses"])
        {
            var (status, body, type) = await gateway.PostAsync(path, ResponsesBody(stream: false));
            AssertResponseJson(status, body, type);
            (status, body, type) = await gateway.PostAsync(path, ResponsesBody(stream: true));
            AssertResponseStream(status, body, type);
        }

        var seen = upstream.Received;
        Assert.Equal(4, seen.Count);
        Assert.All(seen, r => Assert.Equal(FakeOpenAIUpstream.ApiKeyResponsesPath, r.Path));
        Assert.All(seen, r => Assert.Equal(gateway.Target.UpstreamCredential, r.Credential));
        Assert.Equal([false, true, false, true], seen.Select(r => r.Json["stream"]!.GetValue<bool>()));
        await gateway.AssertBilledAsync(4, gateway.AccountId, Model);
    }

    [Fact]
    public async Task Responses_ChatGptAccount_BothPaths_UpstreamAlwaysStreamsUnstored_JsonClientGetsJson()
    {
        await using var upstream = await FakeOpenAIUpstream.StartAsync();
        await using var gateway = await OpenAIGateway.StartAsync(upstream, chatGpt: true);

        foreach (var path in (string[])["/v1/responses", "/responses"])
        {
            var (status, body, type) = await gateway.PostAsync(path, ResponsesBody(stream: false, extra: "\"store\":true"));
            AssertResponseJson(status, body, type);
            (status, body, type) = await gateway.PostAsync(path, ResponsesBody(stream: true));
            AssertResponseStream(status, body, type);
        }

        var seen = upstream.Received;
        Assert.Equal(4, seen.Count);
        Assert.All(seen, r =>
        {
            Assert.Equal(FakeOpenAIUpstream.CodexResponsesPath, r.Path);
            Assert.True(r.Json["stream"]!.GetValue<bool>());
            Assert.False(r.Json["store"]!.GetValue<bool>());
            Assert.Equal(gateway.Target.UpstreamCredential, r.Credential);
            Assert.Equal(OpenAIGateway.ChatGptAccountIdOf(gateway.CredentialOf(gateway.AccountId)), r.Header("chatgpt-account-id"));
        });
        await gateway.AssertBilledAsync(4, gateway.AccountId, Model);
    }

    [Theory]
    [InlineData(false, "/v1/responses/compact")]
    [InlineData(false, "/responses/compact")]
    [InlineData(true, "/v1/responses/compact")]
    [InlineData(true, "/responses/compact")]
    public async Task Compact_BothAccountKinds_ReachTheCompactEndpoint_AndAreBilled(bool chatGpt, string path)
    {
        await using var upstream = await FakeOpenAIUpstream.StartAsync();
        await using var gateway = await OpenAIGateway.StartAsync(upstream, chatGpt: chatGpt);

        var (status, body, type) = await gateway.PostAsync(path,
            $$"""{"model":"{{Model}}","input":[{"role":"user","content":[{"type":"input_text","text":"the first question"}]}]}""");

        Assert.True(status == HttpStatusCode.OK, body);
        Assert.Equal("application/json", type);
        var json = JsonNode.Parse(body)!;
        Assert.Equal("response.compaction", json["object"]!.GetValue<string>());
        Assert.Contains(FakeOpenAIUpstream.CompactionContent, body, StringComparison.Ordinal);
        Assert.Contains("the first question", body, StringComparison.Ordinal);
        var request = Assert.Single(upstream.Received);
        Assert.Equal((chatGpt ? FakeOpenAIUpstream.CodexResponsesPath : FakeOpenAIUpstream.ApiKeyResponsesPath) + "/compact", request.Path);
        Assert.Equal(gateway.Target.UpstreamCredential, request.Credential);
        await gateway.AssertBilledAsync(1, gateway.AccountId, Model);
    }

    [Fact]
    public async Task Chat_ApiKeyAccount_BothPaths_PassedThroughAsChat_JsonAndStreamWithUsage()
    {
        await using var upstream = await FakeOpenAIUpstream.StartAsync();
        await using var gateway = await OpenAIGateway.StartAsync(upstream);

        foreach (var path in (string[])["/v1/chat/completions", "/chat/completions"])
        {
            var (status, body, type) = await gateway.PostAsync(path, ChatBody(stream: false));
            Assert.True(status == HttpStatusCode.OK, body);
            Assert.Equal("application/json", type);
            var json = JsonNode.Parse(body)!;
            Assert.Equal("chat.completion", json["object"]!.GetValue<string>());
            Assert.Equal(FakeOpenAIUpstream.ResponseText, json["choices"]![0]!["message"]!["content"]!.GetValue<string>());

            (status, body, type) = await gateway.PostAsync(path, ChatBody(stream: true, includeUsage: true));
            Assert.True(status == HttpStatusCode.OK, body);
            Assert.Equal("text/event-stream", type);
            Assert.Equal("[DONE]", OpenAISse.DataLines(body)[^1]);
            Assert.Equal(FakeOpenAIUpstream.ResponseText, OpenAISse.ChatText(body));
            Assert.Equal(FakeOpenAIUpstream.InputTokens, OpenAISse.Events(body)[^1]["usage"]!["prompt_tokens"]!.GetValue<int>());
        }

        var seen = upstream.Received;
        Assert.Equal(4, seen.Count);
        Assert.All(seen, r => Assert.Equal(FakeOpenAIUpstream.ChatCompletionsPath, r.Path));
        Assert.All(seen, r => Assert.Equal("be brief", r.Json["messages"]![0]!["content"]!.GetValue<string>()));
        await gateway.AssertBilledAsync(4, gateway.AccountId, Model);
    }

    [Fact]
    public async Task Chat_ChatGptAccount_ConvertedToResponses_ClientGetsChatCompletionAndChunks()
    {
        await using var upstream = await FakeOpenAIUpstream.StartAsync();
        await using var gateway = await OpenAIGateway.StartAsync(upstream, chatGpt: true);

        var (status, body, type) = await gateway.PostAsync("/v1/chat/completions", ChatBody(stream: false));
        Assert.True(status == HttpStatusCode.OK, body);
        Assert.Equal("application/json", type);
        var json = JsonNode.Parse(body)!;
        Assert.Equal("chat.completion", json["object"]!.GetValue<string>());
        Assert.Equal(Model, json["model"]!.GetValue<string>());
        Assert.Equal("assistant", json["choices"]![0]!["message"]!["role"]!.GetValue<string>());
        Assert.Equal(FakeOpenAIUpstream.ResponseText, json["choices"]![0]!["message"]!["content"]!.GetValue<string>());
        Assert.Equal("stop", json["choices"]![0]!["finish_reason"]!.GetValue<string>());
        Assert.Equal(FakeOpenAIUpstream.InputTokens, json["usage"]!["prompt_tokens"]!.GetValue<int>());
        Assert.Equal(FakeOpenAIUpstream.OutputTokens, json["usage"]!["completion_tokens"]!.GetValue<int>());

        // Streamed with include_usage: chunks, usage in the last chunk only, then [DONE].
        (status, body, type) = await gateway.PostAsync("/chat/completions", ChatBody(stream: true, includeUsage: true));
        Assert.True(status == HttpStatusCode.OK, body);
        Assert.Equal("text/event-stream", type);
        Assert.Equal("[DONE]", OpenAISse.DataLines(body)[^1]);
        var chunks = OpenAISse.Events(body);
        Assert.All(chunks, c => Assert.Equal("chat.completion.chunk", c["object"]!.GetValue<string>()));
        Assert.Equal(FakeOpenAIUpstream.ResponseText, OpenAISse.ChatText(body));
        Assert.Equal(FakeOpenAIUpstream.InputTokens, chunks[^1]["usage"]!["prompt_tokens"]!.GetValue<int>());
        Assert.Equal(FakeOpenAIUpstream.CachedTokens, chunks[^1]["usage"]!["prompt_tokens_details"]!["cached_tokens"]!.GetValue<int>());
        Assert.All(chunks.Take(chunks.Count - 1), c => Assert.True(c["usage"] is null, c.ToJsonString()));
        Assert.Contains(chunks, c => c["choices"] is JsonArray { Count: > 0 } choices && choices[0]!["finish_reason"]?.GetValue<string>() == "stop");

        // Streamed without include_usage: no usage anywhere.
        (status, body, _) = await gateway.PostAsync("/v1/chat/completions", ChatBody(stream: true));
        Assert.True(status == HttpStatusCode.OK, body);
        Assert.Equal("[DONE]", OpenAISse.DataLines(body)[^1]);
        Assert.All(OpenAISse.Events(body), c => Assert.True(c["usage"] is null, c.ToJsonString()));
        Assert.Equal(FakeOpenAIUpstream.ResponseText, OpenAISse.ChatText(body));

        var seen = upstream.Received;
        Assert.Equal(3, seen.Count);
        Assert.All(seen, r =>
        {
            Assert.Equal(FakeOpenAIUpstream.CodexResponsesPath, r.Path);
            Assert.True(r.Json["stream"]!.GetValue<bool>());
            Assert.False(r.Json["store"]!.GetValue<bool>());
            Assert.Null(r.Json["messages"]);
            Assert.Contains("hi", r.Json["input"]!.ToJsonString(), StringComparison.Ordinal);
            Assert.Contains("be brief", r.Json.ToJsonString(), StringComparison.Ordinal);
        });
        await gateway.AssertBilledAsync(3, gateway.AccountId, Model);
    }

    /// <summary>On a ChatGPT account, where the gateway translates both ways (API-key accounts pass chat through untouched).</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Chat_ToolCallRoundTrip_OnChatGptAccount_CallReachesClient_ResultGoesBack(bool stream)
    {
        await using var upstream = await FakeOpenAIUpstream.StartAsync();
        await using var gateway = await OpenAIGateway.StartAsync(upstream, chatGpt: true);
        const string tools = """
            "tools":[{"type":"function","function":{"name":"get_weather","description":"weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}]
            """;

        var (status, body, _) = await gateway.PostAsync("/v1/chat/completions",
            ChatBody(stream, text: "weather? " + FakeOpenAIUpstream.ToolCallTrigger, extra: tools));
        Assert.True(status == HttpStatusCode.OK, body);
        string? callId, name, arguments, finish;
        if (stream)
        {
            Assert.Equal("[DONE]", OpenAISse.DataLines(body)[^1]);
            var deltas = OpenAISse.Events(body)
                .Where(c => c["choices"] is JsonArray { Count: > 0 } && c["choices"]![0]!["delta"]?["tool_calls"] is JsonArray)
                .SelectMany(c => c["choices"]![0]!["delta"]!["tool_calls"]!.AsArray()).ToList();
            Assert.NotEmpty(deltas);
            callId = deltas.Select(d => d!["id"]?.GetValue<string>()).First(id => id is not null);
            name = deltas.Select(d => d!["function"]?["name"]?.GetValue<string>()).First(n => n is not null);
            arguments = string.Concat(deltas.Select(d => d!["function"]?["arguments"]?.GetValue<string>()));
            finish = OpenAISse.Events(body).Select(c => c["choices"] is JsonArray { Count: > 0 } ch ? ch[0]!["finish_reason"]?.GetValue<string>() : null)
                .Last(f => f is not null);
        }
        else
        {
            var choice = JsonNode.Parse(body)!["choices"]![0]!;
            var call = choice["message"]!["tool_calls"]![0]!;
            callId = call["id"]!.GetValue<string>();
            name = call["function"]!["name"]!.GetValue<string>();
            arguments = call["function"]!["arguments"]!.GetValue<string>();
            finish = choice["finish_reason"]!.GetValue<string>();
        }
        Assert.Equal(FakeOpenAIUpstream.FunctionCallId, callId);
        Assert.Equal(FakeOpenAIUpstream.FunctionName, name);
        Assert.Equal(FakeOpenAIUpstream.FunctionArguments, arguments);
        Assert.Equal("tool_calls", finish);

        // The client sends the tool's result back: the conversation continues with text.
        var followUp = $$$"""
            {"model":"{{{Model}}}","stream":{{{(stream ? "true" : "false")}}},{{{tools}}},"messages":[
              {"role":"user","content":"weather? {{{FakeOpenAIUpstream.ToolCallTrigger}}}"},
              {"role":"assistant","content":null,"tool_calls":[{"id":"{{{callId}}}","type":"function","function":{"name":"{{{name}}}","arguments":{{{JsonValue.Create(arguments)!.ToJsonString()}}}}}]},
              {"role":"tool","tool_call_id":"{{{callId}}}","content":"sunny, 21C"}]}
            """;
        (status, body, _) = await gateway.PostAsync("/v1/chat/completions", followUp);
        Assert.True(status == HttpStatusCode.OK, body);
        Assert.Equal(FakeOpenAIUpstream.ResponseText,
            stream ? OpenAISse.ChatText(body) : JsonNode.Parse(body)!["choices"]![0]!["message"]!["content"]!.GetValue<string>());

        var second = upstream.Received[1].Json;
        // Translated: the call and its output are Responses input items.
        {
            var items = second["input"]!.AsArray();
            var call = items.Single(i => i!["type"]?.GetValue<string>() == "function_call")!;
            Assert.Equal(FakeOpenAIUpstream.FunctionCallId, call["call_id"]!.GetValue<string>());
            Assert.Equal(FakeOpenAIUpstream.FunctionName, call["name"]!.GetValue<string>());
            var output = items.Single(i => i!["type"]?.GetValue<string>() == "function_call_output")!;
            Assert.Equal(FakeOpenAIUpstream.FunctionCallId, output["call_id"]!.GetValue<string>());
            Assert.Equal("sunny, 21C", output["output"]!.GetValue<string>());
            Assert.Equal(FakeOpenAIUpstream.FunctionName, second["tools"]![0]!["name"]!.GetValue<string>());
        }
        await gateway.AssertBilledAsync(2, gateway.AccountId, Model);
    }

    [Fact]
    public async Task ChatGptAccount_CodexBackendGetsItsHeaders_TheAccessTokenAndNeverTheClientKey()
    {
        await using var upstream = await FakeOpenAIUpstream.StartAsync();
        await using var gateway = await OpenAIGateway.StartAsync(upstream, chatGpt: true);

        var (status, body, _) = await gateway.PostAsync("/v1/responses", ResponsesBody(stream: true, extra: "\"prompt_cache_key\":\"pck-42\""),
            headers: new Dictionary<string, string> { ["originator"] = "codex_exec", ["user-agent"] = "codex_exec/0.169.0 (Linux)" });
        Assert.True(status == HttpStatusCode.OK, body);
        (status, body, _) = await gateway.PostAsync("/v1/chat/completions", ChatBody(stream: false),
            headers: new Dictionary<string, string> { ["session_id"] = "sess-7", ["user-agent"] = "my-app/1.0" });
        Assert.True(status == HttpStatusCode.OK, body);

        var token = gateway.CredentialOf(gateway.AccountId);
        var seen = upstream.Received;
        Assert.Equal(2, seen.Count);
        Assert.All(seen, r =>
        {
            Assert.Equal("Bearer " + token, r.Credential);
            Assert.Equal(OpenAIGateway.ChatGptAccountIdOf(token), r.Header("chatgpt-account-id"));
            Assert.Equal("responses=experimental", r.Header("openai-beta"));
            Assert.Equal("text/event-stream", r.Header("accept"));
            Assert.DoesNotContain(r.Headers, h => h.Value.Contains(gateway.ClientKey, StringComparison.Ordinal));
            Assert.DoesNotContain(gateway.ClientKey, System.Text.Encoding.UTF8.GetString(r.Body), StringComparison.Ordinal);
        });
        Assert.Equal("codex_exec", seen[0].Header("originator"));
        Assert.Equal("pck-42", seen[0].Header("session_id"));
        Assert.StartsWith("codex_exec/0.169.0", seen[0].Header("user-agent"), StringComparison.Ordinal);
        Assert.Equal("opencode", seen[1].Header("originator"));
        Assert.Equal("sess-7", seen[1].Header("session_id"));
        await gateway.AssertBilledAsync(2, gateway.AccountId, Model);
    }

    [Fact]
    public async Task Models_OpenAIGroupKey_OpenAIList_AndCodexCatalogWithClientVersion()
    {
        await using var upstream = await FakeOpenAIUpstream.StartAsync();
        await using var gateway = await OpenAIGateway.StartAsync(upstream);
        using var client = gateway.Client();

        using var list = await client.GetAsync("/v1/models");
        var body = await list.Content.ReadAsStringAsync();
        Assert.True(list.StatusCode == HttpStatusCode.OK, body);
        var json = JsonNode.Parse(body)!;
        Assert.Equal("list", json["object"]!.GetValue<string>());
        var data = json["data"]!.AsArray();
        Assert.NotEmpty(data);
        Assert.All(data, m => Assert.Equal("model", m!["object"]!.GetValue<string>()));
        Assert.Contains(data, m => m!["id"]!.GetValue<string>().StartsWith("gpt-", StringComparison.Ordinal));
        Assert.DoesNotContain(data, m => m!["id"]!.GetValue<string>().StartsWith("claude", StringComparison.Ordinal));

        using var codex = await client.GetAsync("/v1/models?client_version=0.169.0");
        body = await codex.Content.ReadAsStringAsync();
        Assert.True(codex.StatusCode == HttpStatusCode.OK, body);
        var models = JsonNode.Parse(body)!["models"]!.AsArray();
        Assert.NotEmpty(models);
        Assert.All(models, m =>
        {
            Assert.False(string.IsNullOrEmpty(m!["slug"]!.GetValue<string>()));
            Assert.NotNull(m["supported_reasoning_levels"]);
        });
        Assert.Empty(upstream.Received); // answered by the gateway itself
    }
}
