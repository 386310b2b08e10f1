using System.Diagnostics;
using System.Text.Json.Nodes;
using Sub2Api.FunctionalTests.Infrastructure;

namespace Sub2Api.FunctionalTests.Relay.OpenAI;

/// <summary>
/// A real client: the Codex CLI (<c>@openai/codex</c> 0.169.0, tests/clients/codex, installed by <c>./test.sh</c>) running
/// <c>codex exec</c> with a model provider in <c>$CODEX_HOME/config.toml</c> (the only way Codex 0.169 takes a custom base
/// URL). Today Codex talks to the fake upstream directly, which proves the harness; set <see cref="ThroughGateway"/> to go
/// through the gateway.
/// </summary>
public sealed class CodexCliClientTests
{
    private const string Model = "gpt-5.1-codex";
    private static readonly string ClientDir = RealClient.Dir("codex");
    private static readonly string CodexBin = Path.Combine(ClientDir, "node_modules/.bin/codex");

    /// <summary>
    /// False: the client talks to the fake upstream directly (proves the harness). True: through the gateway
    /// (<see cref="OpenAIGateway"/>: an OpenAI group and API-key account on the fake), which also checks the billing.
    /// </summary>
    private static bool ThroughGateway => true;

    [Fact]
    public async Task CodexExec_PrintsTheStreamedAnswer_AndSendsItsSessionHeaders()
    {
        await using var upstream = await FakeOpenAIUpstream.StartAsync();
        await using var gateway = ThroughGateway ? await OpenAIGateway.StartAsync(upstream) : null;
        var target = gateway?.Target ?? OpenAIClientTarget.DirectTo(upstream);

        var (exitCode, stdout, stderr) = await RunCodexAsync(target, "say hi", withModelCatalog: false);

        Assert.True(exitCode == 0, $"codex exited {exitCode}: {stderr}");
        Assert.Contains(FakeOpenAIUpstream.ResponseText, stdout, StringComparison.Ordinal);
        var request = Assert.Single(upstream.ReceivedFor(target.UpstreamCredential));
        Assert.Equal(FakeOpenAIUpstream.ApiKeyResponsesPath, request.Path);
        Assert.Equal(target.UpstreamCredential, request.Credential);
        var body = request.Json;
        Assert.Equal(Model, body["model"]!.GetValue<string>());
        Assert.True(body["stream"]!.GetValue<bool>());
        Assert.False(body["store"]!.GetValue<bool>());
        Assert.Contains("say hi", body["input"]!.ToJsonString(), StringComparison.Ordinal);
        // The conversation identity sticky sessions can key on: the session-id header equals the body's prompt_cache_key
        // and client_metadata.session_id (Codex 0.169 sends "session-id"/"thread-id", not "session_id"/"conversation_id").
        var sessionId = request.Header("session-id");
        Assert.False(string.IsNullOrEmpty(sessionId));
        Assert.Equal(sessionId, body["prompt_cache_key"]!.GetValue<string>());
        Assert.Equal(sessionId, body["client_metadata"]!["session_id"]!.GetValue<string>());
        Assert.Equal(sessionId, request.Header("thread-id"));
        Assert.Equal("codex_exec", request.Header("originator"));
        Assert.StartsWith("codex_exec/0.169.0", request.Header("user-agent"), StringComparison.Ordinal);
        Assert.Equal("text/event-stream", request.Header("accept"));
        if (gateway is not null)
        {
            await gateway.AssertBilledAsync(requests: 1);
        }
    }

    /// <summary>
    /// Codex CLI (an API-key client of the gateway) served by a ChatGPT OAuth account: the gateway speaks to the Codex
    /// backend with the account's token and ChatGPT account id, and Codex prints the answer.
    /// </summary>
    [Fact]
    public async Task CodexExec_OnAChatGptAccount_PrintsTheAnswer_BackendGetsTheAccountsTokenAndSession()
    {
        await using var upstream = await FakeOpenAIUpstream.StartAsync();
        await using var gateway = await OpenAIGateway.StartAsync(upstream, chatGpt: true);
        var target = gateway.Target;

        var (exitCode, stdout, stderr) = await RunCodexAsync(target, "say hi", withModelCatalog: false);

        Assert.True(exitCode == 0, $"codex exited {exitCode}: {stderr}");
        Assert.Contains(FakeOpenAIUpstream.ResponseText, stdout, StringComparison.Ordinal);
        var request = Assert.Single(upstream.Received);
        Assert.Equal(FakeOpenAIUpstream.CodexResponsesPath, request.Path);
        Assert.Equal(target.UpstreamCredential, request.Credential);
        Assert.Equal(OpenAIGateway.ChatGptAccountIdOf(gateway.CredentialOf(gateway.AccountId)), request.Header("chatgpt-account-id"));
        Assert.Equal("codex_exec", request.Header("originator"));
        var body = request.Json;
        Assert.True(body["stream"]!.GetValue<bool>());
        Assert.False(body["store"]!.GetValue<bool>());
        Assert.Contains("say hi", body["input"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(body["prompt_cache_key"]!.GetValue<string>(), request.Header("session_id"));
        await gateway.AssertBilledAsync(1, gateway.AccountId, Model);
    }

    [Fact]
    public async Task CodexExec_WithAModelCatalogUrl_FetchesAndAcceptsTheModelList()
    {
        await using var upstream = await FakeOpenAIUpstream.StartAsync();
        await using var gateway = ThroughGateway ? await OpenAIGateway.StartAsync(upstream) : null;
        var target = gateway?.Target ?? OpenAIClientTarget.DirectTo(upstream);

        var (exitCode, stdout, stderr) = await RunCodexAsync(target, "say hi", withModelCatalog: true);

        Assert.True(exitCode == 0, $"codex exited {exitCode}: {stderr}");
        Assert.Contains(FakeOpenAIUpstream.ResponseText, stdout, StringComparison.Ordinal);
        var seen = upstream.ReceivedFor(target.UpstreamCredential);
        if (gateway is null)
        {
            // Direct: the discovery call reached the fake (through the gateway, the gateway answers it itself).
            var discovery = seen.First(r => r.Path == "/v1/models");
            Assert.Equal("?client_version=0.169.0", discovery.Query);
        }
        Assert.Contains(seen, r => r.Path == FakeOpenAIUpstream.ApiKeyResponsesPath);
        // Codex logs these when /models fails or cannot be decoded, or does not list the configured model.
        Assert.DoesNotContain("failed to refresh available models", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Model metadata for", stderr, StringComparison.Ordinal);
        if (gateway is not null)
        {
            await gateway.AssertBilledAsync(requests: 1);
        }
    }

    /// <summary>
    /// Runs <c>codex exec</c> in a fresh CODEX_HOME outside /tmp (Codex refuses to put its helper binaries under /tmp) whose
    /// config.toml names a provider at <c>{BaseUrl}/v1</c> with the key in an environment variable, no retries.
    /// </summary>
    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunCodexAsync(OpenAIClientTarget target, string prompt,
        bool withModelCatalog)
    {
        RealClient.RequireInstalled(CodexBin, "the Codex CLI is not installed: run ./test.sh (it runs npm ci in tests/clients/codex)");
        var home = Path.Combine("/var/tmp", $"sub2api-codex-{Guid.NewGuid():N}");
        Directory.CreateDirectory(home);
        try
        {
            var baseUrl = target.BaseUrl.TrimEnd('/') + "/v1";
            await File.WriteAllTextAsync(Path.Combine(home, "config.toml"), $"""
                model = "{Model}"
                model_provider = "sub2api"

                [model_providers.sub2api]
                name = "sub2api"
                base_url = "{baseUrl}"
                {(withModelCatalog ? $"model_catalog_url = \"{baseUrl}/models\"" : "")}
                env_key = "SUB2API_CODEX_KEY"
                wire_api = "responses"
                request_max_retries = 0
                stream_max_retries = 0
                """, TestContext.Current.CancellationToken);
            var start = new ProcessStartInfo(CodexBin) { WorkingDirectory = home };
            foreach (var argument in (string[])["exec", "--skip-git-repo-check", prompt])
            {
                start.ArgumentList.Add(argument);
            }
            start.Environment["CODEX_HOME"] = home;
            start.Environment["HOME"] = home;
            start.Environment["SUB2API_CODEX_KEY"] = target.ClientKey;
            start.Environment.Remove("OPENAI_API_KEY");
            start.Environment.Remove("OPENAI_BASE_URL");
            start.Environment.Remove("CODEX_API_KEY");
            return await RealClient.RunAsync(start, TimeSpan.FromSeconds(60));
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }
}
