using System.Net;
using Sub2Api.FunctionalTests.Infrastructure;

namespace Sub2Api.FunctionalTests.Relay;

/// <summary>
/// Sticky sessions (SPEC §4.2 and the ids current clients send): a conversation stays on its account, different
/// conversations spread, and a session whose account was taken out rebinds and stays on the new account.
/// Two accounts at equal priority alternate without stickiness (least recently used first), so "always the
/// same account" can only come from the binding.
/// </summary>
public sealed class StickySessionTests
{
    private static async Task<RelayScenario> TwoEqualAccountsAsync()
    {
        var s = await RelayScenario.StartAsync();
        await s.AddApiKeyAccountAsync("ok", priority: 1);
        await s.AddApiKeyAccountAsync("ok", priority: 1);
        return s;
    }

    private static HashSet<long> AccountsUsed(RelayScenario s, int skip = 0) => [.. s.Upstream.Received.Skip(skip).Select(s.AccountOf)];

    [Fact]
    public async Task Messages_WithoutSession_AlternatesBetweenEqualAccounts()
    {
        // The control for every test below: with nothing binding them, requests spread.
        await using var s = await TwoEqualAccountsAsync();
        var (key, _, _) = await s.AddUserWithKeyAsync();

        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(key)).Status);
        }

        Assert.Equal(2, AccountsUsed(s).Count);
    }

    [Fact]
    public async Task Messages_SameClaudeCodeSessionHeader_StaysOnOneAccount()
    {
        await using var s = await TwoEqualAccountsAsync();
        var (key, _, _) = await s.AddUserWithKeyAsync();
        var session = new Dictionary<string, string> { ["x-claude-code-session-id"] = Guid.NewGuid().ToString() };

        for (var i = 0; i < 5; i++)
        {
            // Different text every turn: only the header can tie these together.
            Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(key, stream: i % 2 == 0, headers: session)).Status);
        }

        Assert.Single(AccountsUsed(s));
        Assert.Equal(5, s.Upstream.Received.Count);
    }

    [Fact]
    public async Task Messages_OpenCodeSessionAffinityHeader_Binds()
    {
        await using var s = await TwoEqualAccountsAsync();
        var (key, _, _) = await s.AddUserWithKeyAsync();
        var session = new Dictionary<string, string> { ["x-session-affinity"] = "ses_" + Guid.NewGuid().ToString("N") };

        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(key, headers: session)).Status);
        }

        Assert.Single(AccountsUsed(s));
    }

    [Fact]
    public async Task Messages_ClaudeCode2JsonUserId_SessionIdBinds()
    {
        await using var s = await TwoEqualAccountsAsync();
        var (key, _, _) = await s.AddUserWithKeyAsync();
        var sessionId = Guid.NewGuid().ToString();
        var userId = $"{{\\\"device_id\\\":\\\"{new string('d', 64)}\\\",\\\"account_uuid\\\":\\\"\\\",\\\"session_id\\\":\\\"{sessionId}\\\"}}";
        var metadata = $"\"metadata\":{{\"user_id\":\"{userId}\"}}";

        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(key, extraJson: metadata)).Status);
        }

        Assert.Single(AccountsUsed(s));
        // A different session id of the same client is a different conversation: it may go elsewhere.
        var other = metadata.Replace(sessionId, Guid.NewGuid().ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(key, extraJson: other)).Status);
        Assert.Equal(2, AccountsUsed(s).Count);
    }

    [Fact]
    public async Task Messages_LegacyUserIdSession_Binds()
    {
        await using var s = await TwoEqualAccountsAsync();
        var (key, _, _) = await s.AddUserWithKeyAsync();
        var metadata = $"\"metadata\":{{\"user_id\":\"user_{new string('a', 64)}_account__session_{Guid.NewGuid()}\"}}";

        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(key, extraJson: metadata)).Status);
        }

        Assert.Single(AccountsUsed(s));
    }

    [Fact]
    public async Task Messages_SameFirstMessage_ContinuesOnTheSameAccount()
    {
        // No explicit id: the conversation is recognised by its system prompt and first message.
        await using var s = await TwoEqualAccountsAsync();
        var (key, _, _) = await s.AddUserWithKeyAsync();
        const string system = "\"system\":\"You are a helpful assistant.\"";

        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(key, text: "the same opening message", extraJson: system)).Status);
        }

        Assert.Single(AccountsUsed(s));
    }

    [Fact]
    public async Task Messages_SameSystemPromptDifferentConversations_SpreadOverAccounts()
    {
        await using var s = await TwoEqualAccountsAsync();
        var (key, _, _) = await s.AddUserWithKeyAsync();
        // A cacheable system prompt, as Claude Code sends: the original keyed the session on it alone, which pinned
        // every conversation of a client to one account.
        const string system = "\"system\":[{\"type\":\"text\",\"text\":\"You are Claude Code. Shared prompt.\",\"cache_control\":{\"type\":\"ephemeral\"}}]";

        for (var conversation = 0; conversation < 6; conversation++)
        {
            Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(key, text: $"conversation {conversation}", extraJson: system)).Status);
        }

        Assert.True(AccountsUsed(s).Count > 1, "every conversation landed on the same account");
    }

    [Fact]
    public async Task Messages_BoundAccountTakenOut_SessionRebindsAndStaysThere()
    {
        await using var s = await TwoEqualAccountsAsync();
        var (key, _, _) = await s.AddUserWithKeyAsync();
        var session = new Dictionary<string, string> { ["x-claude-code-session-id"] = Guid.NewGuid().ToString() };
        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(key, headers: session)).Status);
        var bound = s.AccountOf(s.Upstream.Received[0]);

        var admin = await s.App.AdminAsync();
        _ = (await admin.PostAsync($"/api/v1/admin/accounts/{bound}/schedulable", new { schedulable = false })).Data;
        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(key, headers: session)).Status);
        var rebound = s.AccountOf(s.Upstream.Received[1]);
        Assert.NotEqual(bound, rebound);

        // The old account is back, and least recently used — yet the session stays where it was rebound.
        _ = (await admin.PostAsync($"/api/v1/admin/accounts/{bound}/schedulable", new { schedulable = true })).Data;
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(key, headers: session)).Status);
        }
        Assert.Equal([rebound], AccountsUsed(s, skip: 1));
    }

    [Fact]
    public async Task Messages_BoundAccountRateLimited_SessionFailsOverAndRebinds()
    {
        await using var s = await RelayScenario.StartAsync();
        var limited = await s.AddApiKeyAccountAsync("rl429", priority: 1);
        var good = await s.AddApiKeyAccountAsync("ok", priority: 1);
        var (key, _, _) = await s.AddUserWithKeyAsync();
        var session = new Dictionary<string, string> { ["x-claude-code-session-id"] = Guid.NewGuid().ToString() };

        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(key, headers: session)).Status);
        }

        // At most the first attempt may have hit the limited account; after that the session lives on the good one.
        Assert.InRange(s.UpstreamCount(limited), 0, 1);
        Assert.Equal(4, s.UpstreamCount(good));
    }
}
