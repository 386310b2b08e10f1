using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Sub2Api.FunctionalTests.Infrastructure;

namespace Sub2Api.FunctionalTests.Relay;

/// <summary>
/// SPEC §4.4 "400 signature errors": when the upstream rejects the history's thinking signatures, the request is
/// sent once more on the same account with the thinking blocks as text (and, if the error names tool blocks,
/// once more with those as text too); any other 400 goes back to the client untouched.
/// </summary>
public sealed class SignatureRetryTests
{
    private const string Signature = "EqQBCkYIBxgCKkDk+/Zx9Qh1c2ln==";

    private static string ConversationBody(bool withTools = false)
    {
        var answer = withTools
            ? """{"type":"tool_use","id":"toolu_1","name":"Bash","input":{"command":"ls"}}"""
            : """{"type":"text","text":"Hello!"}""";
        var next = withTools
            ? """{"type":"tool_result","tool_use_id":"toolu_1","content":"a.txt"}"""
            : """{"type":"text","text":"go on"}""";
        return $$"""
            {"model":"claude-sonnet-4-5","max_tokens":64,"thinking":{"type":"enabled","budget_tokens":1024},
             "metadata": {"user_id": "keep-me"},
             "messages":[
              {"role":"user","content":"hi {{Guid.NewGuid():N}}"},
              {"role":"assistant","content":[{"type":"thinking","thinking":"The user said hi.","signature":"{{Signature}}"},{"type":"redacted_thinking","data":"abc"},{{answer}}]},
              {"role":"user","content":[{{next}}]}
             ],"stream":false}
            """;
    }

    private static async Task<(HttpStatusCode Status, string Body)> PostAsync(RelayScenario s, string key, string json)
    {
        using var client = s.Client(key);
        using var content = new StringContent(json, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
        using var response = await client.PostAsync("/v1/messages", content);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static List<string?> BlockTypes(JsonNode json) =>
        [.. json["messages"]!.AsArray().SelectMany(m => m!["content"] is JsonArray a ? a : []).Select(b => b!["type"]!.GetValue<string>())];

    [Fact]
    public async Task Messages_Upstream400SignatureError_RetriedOnTheSameAccountWithThinkingAsText()
    {
        await using var s = await RelayScenario.StartAsync();
        var account = await s.AddApiKeyAccountAsync("sig400", priority: 1);
        var other = await s.AddApiKeyAccountAsync("ok", priority: 2);
        var (key, _, _) = await s.AddUserWithKeyAsync();
        var capture = s.CaptureLogs();

        var (status, body) = await PostAsync(s, key, ConversationBody());

        Assert.True(status == HttpStatusCode.OK, body);
        Assert.Contains("Hello from the fake upstream.", body, StringComparison.Ordinal);
        Assert.Equal(0, s.UpstreamCount(other));
        var sent = s.UpstreamRequests(account);
        Assert.Equal(2, sent.Count);
        Assert.Contains("thinking", BlockTypes(sent[0].Json));
        var retried = sent[1].Json;
        Assert.DoesNotContain("thinking", BlockTypes(retried));
        Assert.DoesNotContain("redacted_thinking", BlockTypes(retried));
        Assert.Null(retried["thinking"]);
        var assistant = retried["messages"]![1]!["content"]!.AsArray();
        Assert.Equal(["The user said hi.", "Hello!"], assistant.Select(b => b!["text"]!.GetValue<string>()));
        // Everything outside messages is the client's bytes.
        Assert.Contains("\"metadata\": {\"user_id\": \"keep-me\"}", Encoding.UTF8.GetString(sent[1].Body), StringComparison.Ordinal);
        Assert.Contains(capture.Messages, m => m.Contains("signature error", StringComparison.Ordinal));
        Assert.DoesNotContain(capture.Messages, m => m.Contains("The user said hi.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Messages_SignatureErrorNamingToolBlocks_SecondRetryTurnsToolBlocksIntoText()
    {
        await using var s = await RelayScenario.StartAsync();
        var account = await s.AddApiKeyAccountAsync("sigtool400");
        var (key, _, _) = await s.AddUserWithKeyAsync();

        var (status, body) = await PostAsync(s, key, ConversationBody(withTools: true));

        Assert.True(status == HttpStatusCode.OK, body);
        var sent = s.UpstreamRequests(account);
        Assert.Equal(3, sent.Count);
        Assert.Contains("tool_use", BlockTypes(sent[1].Json));
        Assert.DoesNotContain("thinking", BlockTypes(sent[1].Json));
        var last = sent[2].Json;
        Assert.All(BlockTypes(last), t => Assert.Equal("text", t));
        var texts = last["messages"]!.AsArray().SelectMany(m => m!["content"] is JsonArray a ? a : [])
            .Select(b => b!["text"]!.GetValue<string>()).ToList();
        Assert.Contains("(tool_use) name=Bash id=toolu_1 input={\"command\":\"ls\"}", texts);
        Assert.Contains("(tool_result) tool_use_id=toolu_1\n\"a.txt\"", texts);
    }

    [Fact]
    public async Task Messages_Upstream400NotASignatureError_PassedThroughUntouchedWithoutRetry()
    {
        await using var s = await RelayScenario.StartAsync();
        s.Upstream.BadRequestMessage = "max_tokens: must be at most 64000";
        var account = await s.AddApiKeyAccountAsync("bad400");
        var (key, _, _) = await s.AddUserWithKeyAsync();

        var (status, body) = await PostAsync(s, key, ConversationBody());

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"max_tokens: must be at most 64000\"}}", body);
        Assert.Equal(1, s.UpstreamCount(account));
    }

    [Fact]
    public async Task Messages_SignatureErrorPersists_OneRetryThenTheUpstream400PassedThrough()
    {
        await using var s = await RelayScenario.StartAsync();
        s.Upstream.BadRequestMessage = "messages.1.content.0: Invalid `signature` in `thinking` block";
        var account = await s.AddApiKeyAccountAsync("bad400");
        var (key, _, _) = await s.AddUserWithKeyAsync();

        var (status, body) = await PostAsync(s, key, ConversationBody());

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("Invalid `signature`", body, StringComparison.Ordinal);
        Assert.Equal(2, s.UpstreamCount(account)); // no tool blocks named: no second retry
    }
}
