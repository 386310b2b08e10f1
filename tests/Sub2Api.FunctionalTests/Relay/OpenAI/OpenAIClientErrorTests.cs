using System.Net;
using System.Text.Json.Nodes;
using Sub2Api.Data.Entities;
using Sub2Api.FunctionalTests.Infrastructure;

namespace Sub2Api.FunctionalTests.Relay.OpenAI;

/// <summary>
/// Client mistakes on the OpenAI routes are a clear 4xx in OpenAI's error shape, never reach an upstream and are never
/// billed; keys of the wrong platform are told which platform their group serves.
/// </summary>
public sealed class OpenAIClientErrorTests
{
    private static JsonNode AssertOpenAIError(HttpStatusCode expected, HttpStatusCode status, string body)
    {
        Assert.True(status == expected, $"expected {(int)expected}, got {(int)status}: {body}");
        var json = JsonNode.Parse(body)!;
        Assert.Null(json["type"]); // OpenAI's {"error":{…}}, not Anthropic's {"type":"error",…}
        var error = json["error"]!;
        Assert.False(string.IsNullOrEmpty(error["type"]!.GetValue<string>()));
        Assert.False(string.IsNullOrEmpty(error["message"]!.GetValue<string>()));
        return error;
    }

    [Theory]
    [InlineData("/v1/responses", "this is not json", "json")]
    [InlineData("/v1/responses", "[1,2]", "object")]
    [InlineData("/v1/responses", """{"input":"hi"}""", "model")]
    [InlineData("/responses/compact", """{"input":"hi"}""", "model")]
    [InlineData("/v1/chat/completions", "{not json", "json")]
    [InlineData("/v1/chat/completions", """{"messages":[{"role":"user","content":"hi"}]}""", "model")]
    [InlineData("/v1/chat/completions", """{"model":"gpt-5.1"}""", "messages")]
    [InlineData("/v1/chat/completions", """{"model":"gpt-5.1","messages":[]}""", "messages")]
    public async Task MalformedRequest_400InOpenAIShape_NamingTheProblem(string path, string json, string mentioned)
    {
        await using var upstream = await FakeOpenAIUpstream.StartAsync();
        await using var gateway = await OpenAIGateway.StartAsync(upstream);

        var (status, body, _) = await gateway.PostAsync(path, json);

        var error = AssertOpenAIError(HttpStatusCode.BadRequest, status, body);
        Assert.Equal("invalid_request_error", error["type"]!.GetValue<string>());
        Assert.Contains(mentioned, error["message"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
        Assert.Empty(upstream.Received);
        await gateway.FlushUsageAsync();
        Assert.Empty(await gateway.UsageRowsAsync());
    }

    [Theory]
    [InlineData("""{"role":"wizard","content":"hi"}""")]
    [InlineData("""{"role":"user","content":[{"type":"video_url","video_url":{"url":"x"}}]}""")]
    [InlineData("""{"role":"tool","content":"no call id"}""")]
    public async Task ChatMessageTheConversionRefuses_OnChatGptAccount_400InOpenAIShape(string message)
    {
        await using var upstream = await FakeOpenAIUpstream.StartAsync();
        await using var gateway = await OpenAIGateway.StartAsync(upstream, chatGpt: true);

        var (status, body, _) = await gateway.PostAsync("/v1/chat/completions",
            $$"""{"model":"gpt-5.1","messages":[{{message}}]}""");

        var error = AssertOpenAIError(HttpStatusCode.BadRequest, status, body);
        Assert.Equal("invalid_request_error", error["type"]!.GetValue<string>());
        Assert.Empty(upstream.Received);
    }

    [Theory]
    [InlineData("/v1/responses")]
    [InlineData("/v1/chat/completions")]
    public async Task AnthropicGroupKey_OnOpenAIRoute_400NamingThePlatform(string path)
    {
        await using var upstream = await FakeOpenAIUpstream.StartAsync();
        await using var gateway = await OpenAIGateway.StartAsync(upstream);
        var anthropicGroup = await gateway.App.WithDbAsync(async db =>
        {
            var group = new Group { Name = "claude", Platform = Platforms.Anthropic, RateMultiplier = 1m };
            db.Groups.Add(group);
            await db.SaveChangesAsync();
            return group.Id;
        });
        var (claudeKey, _, _) = await TestSeed.UserWithKeyAsync(gateway.App, anthropicGroup, 5m, concurrency: 5);

        var (status, body, _) = await gateway.PostAsync(path, """{"model":"gpt-5.1","input":"hi","messages":[{"role":"user","content":"hi"}]}""", key: claudeKey);

        var error = AssertOpenAIError(HttpStatusCode.BadRequest, status, body);
        Assert.Contains(Platforms.Anthropic, error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(upstream.Received);
    }

    [Fact]
    public async Task OpenAIGroupKey_OnMessages_400InAnthropicShape()
    {
        await using var upstream = await FakeOpenAIUpstream.StartAsync();
        await using var gateway = await OpenAIGateway.StartAsync(upstream);

        var (status, body, _) = await gateway.PostAsync("/v1/messages",
            """{"model":"claude-sonnet-4-5","max_tokens":16,"messages":[{"role":"user","content":"hi"}]}""");

        Assert.True(status == HttpStatusCode.BadRequest, body);
        var json = JsonNode.Parse(body)!;
        Assert.Equal("error", json["type"]!.GetValue<string>());
        Assert.Contains(Platforms.OpenAI, json["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(upstream.Received);
    }

    [Theory]
    [InlineData("/v1/responses")]
    [InlineData("/responses")]
    [InlineData("/v1/chat/completions")]
    [InlineData("/v1/responses/compact")]
    public async Task BadKey_401InOpenAIShape(string path)
    {
        await using var upstream = await FakeOpenAIUpstream.StartAsync();
        await using var gateway = await OpenAIGateway.StartAsync(upstream);

        var (status, body, _) = await gateway.PostAsync(path, """{"model":"gpt-5.1","input":"hi"}""", key: gateway.Target.BadKey);

        AssertOpenAIError(HttpStatusCode.Unauthorized, status, body);
        Assert.Empty(upstream.Received);
    }

    [Fact]
    public async Task BadKey_OnModels_401InOpenAIShape()
    {
        await using var upstream = await FakeOpenAIUpstream.StartAsync();
        await using var gateway = await OpenAIGateway.StartAsync(upstream);
        using var client = gateway.Client(gateway.Target.BadKey);

        using var response = await client.GetAsync("/v1/models");

        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.NotNull(JsonNode.Parse(body)!["error"]?["message"]);
    }
}
