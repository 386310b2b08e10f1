using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Sub2Api.FunctionalTests.Infrastructure;

namespace Sub2Api.FunctionalTests.Relay;

/// <summary>
/// SPEC §6.2 step 5 / §6.3 / §6.5: an OAuth account serving a client that is not Claude Code makes the request
/// look like Claude Code's (forced default headers, merged beta without claude-code, the banner, normalised body,
/// dated model id mapped back in the answer); a real Claude Code client keeps its own shape.
/// </summary>
public sealed class OAuthMimicTests
{
    private const string Banner = "You are Claude Code, Anthropic's official CLI for Claude.";
    private const string BillingHeader = "x-anthropic-billing-header: cc_version=2.1.197.abc; cc_entrypoint=cli;";

    private static async Task<(HttpStatusCode Status, string Body)> PostAsync(RelayScenario s, string key, string json,
        IReadOnlyDictionary<string, string> headers, string path = "/v1/messages")
    {
        using var client = s.Client(key);
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(json, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static readonly Dictionary<string, string> SdkHeaders = new()
    {
        ["user-agent"] = "Anthropic/JS 1.14.0",
        ["anthropic-version"] = "2026-10-21",
        ["anthropic-beta"] = "claude-code-20250219, fine-grained-tool-streaming-2025-05-14,oauth-2025-04-20",
        ["x-stainless-os"] = "MacOS",
        ["x-stainless-package-version"] = "1.14.0",
        ["x-app"] = "sdk",
        ["accept"] = "text/event-stream",
    };

    private static string SdkBody(bool stream) => $$"""
        {"model":"claude-sonnet-4-5","max_tokens":64,"stream":{{(stream ? "true" : "false")}},"temperature":0.7,"tool_choice":{"type":"auto"},
         "system":"You are a helpful assistant.","messages":[{"role":"user","content":"hi {{Guid.NewGuid():N}}"}]}
        """;

    [Fact]
    public async Task Messages_OAuthAccountSdkClient_MimicsClaudeCode_DatedModelUpstream_ShortModelBack()
    {
        await using var s = await RelayScenario.StartAsync();
        var accountUuid = Guid.NewGuid().ToString();
        var account = await s.AddOAuthAccountAsync("ok", accountUuid);
        var (key, _, _) = await s.AddUserWithKeyAsync();

        var (status, body) = await PostAsync(s, key, SdkBody(stream: false), SdkHeaders);

        Assert.True(status == HttpStatusCode.OK, body);
        Assert.Equal("claude-sonnet-4-5", JsonNode.Parse(body)!["model"]!.GetValue<string>());
        var received = Assert.Single(s.UpstreamRequests(account));
        // :: headers: the official client's defaults, whatever the SDK sent
        Assert.Equal("claude-cli/2.1.22 (external, cli)", received.Header("user-agent"));
        Assert.Equal("Linux", received.Header("x-stainless-os"));
        Assert.Equal("0.70.0", received.Header("x-stainless-package-version"));
        Assert.Equal("cli", received.Header("x-app"));
        Assert.Equal("true", received.Header("anthropic-dangerous-direct-browser-access"));
        Assert.Equal("application/json", received.Header("accept"));
        Assert.Equal("oauth-2025-04-20,interleaved-thinking-2025-05-14,fine-grained-tool-streaming-2025-05-14",
            received.Header("anthropic-beta"));
        // :: body
        var json = received.Json;
        Assert.Equal("claude-sonnet-4-5-20250929", json["model"]!.GetValue<string>());
        var system = json["system"]!.AsArray();
        Assert.Equal(2, system.Count);
        Assert.Equal(Banner, system[0]!["text"]!.GetValue<string>());
        Assert.Equal("ephemeral", system[0]!["cache_control"]!["type"]!.GetValue<string>());
        Assert.Equal(Banner + "\n\nYou are a helpful assistant.", system[1]!["text"]!.GetValue<string>());
        Assert.Null(json["temperature"]);
        Assert.Null(json["tool_choice"]);
        Assert.Empty(json["tools"]!.AsArray());
        Assert.Matches($"^user_[a-f0-9]{{64}}_account_{accountUuid}_session_[a-f0-9-]{{36}}$",
            json["metadata"]!["user_id"]!.GetValue<string>());
        Assert.Equal(64, json["max_tokens"]!.GetValue<int>());
    }

    [Fact]
    public async Task Messages_OAuthAccountSdkClientStreaming_HelperHeaderAndShortModelInMessageStart()
    {
        await using var s = await RelayScenario.StartAsync();
        var account = await s.AddOAuthAccountAsync("ok");
        var (key, _, _) = await s.AddUserWithKeyAsync();

        var (status, body) = await PostAsync(s, key, SdkBody(stream: true), SdkHeaders);

        Assert.True(status == HttpStatusCode.OK, body);
        Assert.Contains("\"model\":\"claude-sonnet-4-5\"", body, StringComparison.Ordinal);
        Assert.DoesNotContain("20250929", body, StringComparison.Ordinal);
        var received = Assert.Single(s.UpstreamRequests(account));
        Assert.Equal("stream", received.Header("x-stainless-helper-method"));
        Assert.Equal("application/json", received.Header("accept"));
        // Without account_uuid the account part stays empty.
        Assert.Matches("^user_[a-f0-9]{64}_account__session_[a-f0-9-]{36}$", received.Json["metadata"]!["user_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task CountTokens_OAuthAccountSdkClient_NormalisedButNoBanner()
    {
        await using var s = await RelayScenario.StartAsync();
        var account = await s.AddOAuthAccountAsync("ok");
        var (key, _, _) = await s.AddUserWithKeyAsync();

        var (status, body) = await PostAsync(s, key, SdkBody(stream: false), SdkHeaders, "/v1/messages/count_tokens");

        Assert.True(status == HttpStatusCode.OK, body);
        var json = Assert.Single(s.UpstreamRequests(account)).Json;
        Assert.Equal("You are a helpful assistant.", json["system"]!.GetValue<string>());
        Assert.Equal("claude-sonnet-4-5-20250929", json["model"]!.GetValue<string>());
        Assert.Null(json["temperature"]);
    }

    [Fact]
    public async Task Messages_OAuthAccountRealClaudeCodeShape_KeepsItsOwnShape()
    {
        await using var s = await RelayScenario.StartAsync();
        var accountUuid = Guid.NewGuid().ToString();
        var account = await s.AddOAuthAccountAsync("ok", accountUuid);
        var (key, _, _) = await s.AddUserWithKeyAsync();
        var session = Guid.NewGuid().ToString();
        var userId = $"{{\\\"device_id\\\":\\\"{new string('d', 64)}\\\",\\\"account_uuid\\\":\\\"\\\",\\\"session_id\\\":\\\"{session}\\\"}}";
        var json = $$$"""
            {"model":"claude-sonnet-4-5","max_tokens":64,"stream":false,"temperature":1,
             "system":[{"type":"text","text":"{{{BillingHeader}}}"},{"type":"text","text":"{{{Banner}}}","cache_control":{"type":"ephemeral"}},{"type":"text","text":"\nYou are an interactive CLI tool that helps users with software engineering tasks.","cache_control":{"type":"ephemeral"}}],
             "metadata":{"user_id":"{{{userId}}}"},
             "messages":[{"role":"user","content":"hi {{{Guid.NewGuid():N}}}"}]}
            """;
        var headers = new Dictionary<string, string>
        {
            ["user-agent"] = "claude-cli/2.1.197 (external, cli)",
            ["x-app"] = "cli",
            ["anthropic-beta"] = "claude-code-20250219,interleaved-thinking-2025-05-14",
            ["anthropic-version"] = "2023-06-01",
            ["x-stainless-os"] = "MacOS",
        };

        var (status, body) = await PostAsync(s, key, json, headers);

        Assert.True(status == HttpStatusCode.OK, body);
        Assert.Equal("claude-sonnet-4-5", JsonNode.Parse(body)!["model"]!.GetValue<string>());
        var received = Assert.Single(s.UpstreamRequests(account));
        Assert.Equal("claude-code-20250219,oauth-2025-04-20,interleaved-thinking-2025-05-14", received.Header("anthropic-beta"));
        Assert.Equal("claude-cli/2.1.197 (external, cli)", received.Header("user-agent"));
        Assert.Equal("MacOS", received.Header("x-stainless-os")); // the fingerprint from this first client, not forced defaults
        var sent = received.Json;
        Assert.Equal("claude-sonnet-4-5-20250929", sent["model"]!.GetValue<string>());
        Assert.Equal(1, sent["temperature"]!.GetValue<int>());
        Assert.Null(sent["tools"]);
        var system = sent["system"]!.AsArray();
        Assert.Equal(2, system.Count); // only the billing header block is gone
        Assert.Equal(Banner, system[0]!["text"]!.GetValue<string>());
        Assert.Equal("ephemeral", system[1]!["cache_control"]!["type"]!.GetValue<string>());
        Assert.DoesNotContain(BillingHeader, Encoding.UTF8.GetString(received.Body), StringComparison.Ordinal);
        var identity = JsonNode.Parse(sent["metadata"]!["user_id"]!.GetValue<string>())!;
        Assert.Equal(accountUuid, identity["account_uuid"]!.GetValue<string>());
    }
}
