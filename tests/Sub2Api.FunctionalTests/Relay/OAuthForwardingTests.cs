using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Sub2Api.FunctionalTests.Infrastructure;

namespace Sub2Api.FunctionalTests.Relay;

/// <summary>
/// What an OAuth account's upstream request looks like (SPEC §6.1–§6.3): the official endpoint with
/// <c>?beta=true</c>, the account's bearer token and nothing of the client's credentials, the oauth beta flag, the
/// default version, the Claude Code banner when there is no system prompt, and metadata.user_id in the account's
/// identity.
/// </summary>
public sealed class OAuthForwardingTests
{
    private const string Banner = "You are Claude Code, Anthropic's official CLI for Claude.";

    private static async Task<(RelayScenario S, long Account, string Key)> OAuthScenarioAsync(string? accountUuid = null)
    {
        var s = await RelayScenario.StartAsync();
        var account = await s.AddOAuthAccountAsync("ok", accountUuid);
        var (key, _, _) = await s.AddUserWithKeyAsync();
        return (s, account, key);
    }

    /// <summary>SPEC §6.3: the first 16 bytes of SHA-256 as a version-4, RFC-variant UUID.</summary>
    private static string UuidFromSha256(string input)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(input));
        hash[6] = (byte)((hash[6] & 0x0f) | 0x40);
        hash[8] = (byte)((hash[8] & 0x3f) | 0x80);
        var hex = Convert.ToHexStringLower(hash.AsSpan(0, 16));
        return $"{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..32]}";
    }

    [Fact]
    public async Task Messages_OAuthAccount_GoesToTheOfficialPathWithBetaQueryAndBearerToken()
    {
        var (s, account, key) = await OAuthScenarioAsync();
        await using var _ = s;

        var (status, body) = await s.SendAsync(key, headers: new Dictionary<string, string>
        {
            ["x-forwarded-for"] = "198.51.100.23",
            ["cookie"] = "session=secret",
            ["x-custom-client-header"] = "leak",
        });

        Assert.True(status == HttpStatusCode.OK, body);
        var received = Assert.Single(s.UpstreamRequests(account));
        Assert.Equal("/v1/messages", received.Path);
        Assert.Equal("?beta=true", received.Query);
        Assert.Equal("Bearer " + s.CredentialOf(account), received.Header("authorization"));
        // Nothing of the client's identity or credentials goes upstream.
        Assert.Null(received.Header("x-api-key"));
        Assert.DoesNotContain(key, string.Join("\n", received.Headers.Values), StringComparison.Ordinal);
        Assert.Null(received.Header("x-forwarded-for"));
        Assert.Null(received.Header("cookie"));
        Assert.Null(received.Header("x-custom-client-header"));
    }

    [Fact]
    public async Task Messages_OAuthAccount_BetaHasOAuthFlag_VersionDefaulted_ClaudeCliIdentity()
    {
        var (s, account, key) = await OAuthScenarioAsync();
        await using var _ = s;

        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(key, stream: true)).Status);

        var received = Assert.Single(s.UpstreamRequests(account));
        Assert.Contains("oauth-2025-04-20", received.Header("anthropic-beta")!.Split(','));
        Assert.Equal("2023-06-01", received.Header("anthropic-version"));
        Assert.StartsWith("claude-cli/", received.Header("user-agent"), StringComparison.Ordinal);
        Assert.Equal("cli", received.Header("x-app"));
        Assert.Equal("stream", received.Header("x-stainless-helper-method"));
        Assert.Equal("application/json", received.Header("content-type"));
    }

    [Fact]
    public async Task Messages_OAuthAccountNonClaudeCodeClient_BetaMergedWithoutClaudeCode_ClientVersionKept()
    {
        var (s, account, key) = await OAuthScenarioAsync();
        await using var _ = s;

        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(key, headers: new Dictionary<string, string>
        {
            ["anthropic-beta"] = "claude-code-20250219, interleaved-thinking-2025-05-14",
            ["anthropic-version"] = "2023-01-01",
        })).Status);

        var received = Assert.Single(s.UpstreamRequests(account));
        // Not a Claude Code client (no claude-cli UA): mimic mode merges the required betas first and drops
        // claude-code (SPEC §6.2 step 5). The Claude Code path is covered by OAuthMimicTests.
        Assert.Equal("oauth-2025-04-20,interleaved-thinking-2025-05-14", received.Header("anthropic-beta"));
        Assert.Equal("2023-01-01", received.Header("anthropic-version"));
    }

    [Fact]
    public async Task Messages_ApiKeyAccount_UsesItsBaseUrlWithoutBetaQuery_AndClientBetaUnchanged()
    {
        await using var s = await RelayScenario.StartAsync();
        var account = await s.AddApiKeyAccountAsync("ok");
        var (key, _, _) = await s.AddUserWithKeyAsync();

        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(key, headers: new Dictionary<string, string>
        {
            ["anthropic-beta"] = "interleaved-thinking-2025-05-14",
        })).Status);

        var received = Assert.Single(s.UpstreamRequests(account));
        Assert.Equal("/v1/messages", received.Path);
        Assert.Equal("", received.Query);
        Assert.Equal(s.CredentialOf(account), received.Header("x-api-key"));
        Assert.Null(received.Header("authorization"));
        Assert.Equal("interleaved-thinking-2025-05-14", received.Header("anthropic-beta"));
        Assert.Equal("2023-06-01", received.Header("anthropic-version"));
    }

    [Fact]
    public async Task Messages_OAuthAccountWithoutSystem_GetsTheClaudeCodeBanner()
    {
        var (s, account, key) = await OAuthScenarioAsync();
        await using var _ = s;

        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(key, text: "no system here")).Status);

        var json = Assert.Single(s.UpstreamRequests(account)).Json;
        var system = Assert.IsType<JsonArray>(json["system"]);
        var block = Assert.Single(system)!;
        Assert.Equal("text", block["type"]!.GetValue<string>());
        Assert.Equal(Banner, block["text"]!.GetValue<string>());
        Assert.Equal("ephemeral", block["cache_control"]!["type"]!.GetValue<string>());
        // The rest of the request is untouched.
        Assert.Equal("no system here", json["messages"]![0]!["content"]!.GetValue<string>());
        Assert.Equal(64, json["max_tokens"]!.GetValue<int>());
    }

    [Fact]
    public async Task Messages_OAuthAccountWithSystem_KeepsTheClientsSystem()
    {
        var (s, account, key) = await OAuthScenarioAsync();
        await using var _ = s;

        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(key, extraJson: $"\"system\":\"{Banner} Extra.\"")).Status);

        var json = Assert.Single(s.UpstreamRequests(account)).Json;
        Assert.Equal($"{Banner} Extra.", json["system"]!.GetValue<string>());
    }

    [Fact]
    public async Task Messages_OAuthAccountWithUuid_LegacyUserIdRewrittenToTheAccountsIdentity()
    {
        var accountUuid = Guid.NewGuid().ToString();
        var (s, account, key) = await OAuthScenarioAsync(accountUuid);
        await using var _ = s;
        var clientHex = new string('c', 64);
        var session = Guid.NewGuid().ToString();
        var metadata = $"\"metadata\":{{\"user_id\":\"user_{clientHex}_account__session_{session}\"}}";

        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(key, extraJson: metadata)).Status);
        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(key, extraJson: metadata)).Status);

        var sent = s.UpstreamRequests(account).Select(r => r.Json["metadata"]!["user_id"]!.GetValue<string>()).ToList();
        var expectedSession = UuidFromSha256($"{account}::{session}");
        var match = Regex.Match(sent[0], $"^user_([a-f0-9]{{64}})_account_{Regex.Escape(accountUuid)}_session_{Regex.Escape(expectedSession)}$");
        Assert.True(match.Success, $"unexpected upstream user_id {sent[0]}");
        Assert.NotEqual(clientHex, match.Groups[1].Value); // the account's client id, not the caller's
        Assert.Equal(sent[0], sent[1]); // a stable identity per account and session
        Assert.DoesNotContain(session, sent[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Messages_OAuthAccountWithUuid_ClaudeCode2JsonUserIdRewrittenInPlace()
    {
        var accountUuid = Guid.NewGuid().ToString();
        var (s, account, key) = await OAuthScenarioAsync(accountUuid);
        await using var _ = s;
        var session = Guid.NewGuid().ToString();
        var userId = $"{{\\\"device_id\\\":\\\"{new string('d', 64)}\\\",\\\"account_uuid\\\":\\\"\\\",\\\"session_id\\\":\\\"{session}\\\"}}";

        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(key, extraJson: $"\"metadata\":{{\"user_id\":\"{userId}\"}}")).Status);

        var sent = Assert.Single(s.UpstreamRequests(account)).Json["metadata"]!["user_id"]!.GetValue<string>();
        var identity = JsonNode.Parse(sent)!;
        Assert.Equal(accountUuid, identity["account_uuid"]!.GetValue<string>());
        Assert.Equal(UuidFromSha256($"{account}::{session}"), identity["session_id"]!.GetValue<string>());
        Assert.Matches("^[a-f0-9]{64}$", identity["device_id"]!.GetValue<string>());
        Assert.NotEqual(new string('d', 64), identity["device_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Messages_OAuthAccountWithoutUuid_UserIdLeftAlone()
    {
        var (s, account, key) = await OAuthScenarioAsync(accountUuid: null);
        await using var _ = s;
        var userId = $"user_{new string('c', 64)}_account__session_{Guid.NewGuid()}";

        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(key, extraJson: $"\"metadata\":{{\"user_id\":\"{userId}\"}}")).Status);

        Assert.Equal(userId, Assert.Single(s.UpstreamRequests(account)).Json["metadata"]!["user_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Messages_OAuthAccount_ResponseModelIsTheRequestedOne_AndBilled()
    {
        var (s, _, key) = await OAuthScenarioAsync();
        await using var _ = s;

        var (status, body) = await s.SendAsync(key);

        Assert.True(status == HttpStatusCode.OK, body);
        Assert.Equal("claude-sonnet-4-5", JsonNode.Parse(body)!["model"]!.GetValue<string>());
        await s.FlushUsageAsync();
        Assert.Equal(0.0113925m, Assert.Single(await s.UsageRowsAsync()).ActualCost);
    }
}
