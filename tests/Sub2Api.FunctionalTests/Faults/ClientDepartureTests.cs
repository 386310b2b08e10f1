using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Sub2Api.Data.Entities;
using Sub2Api.FunctionalTests.Infrastructure;
using Sub2Api.Scheduling.Concurrency;

namespace Sub2Api.FunctionalTests.Faults;

/// <summary>
/// Clients that leave, over real sockets (Kestrel's abort semantics). Once a request went upstream the account does
/// the work, so the answer is received to its end and billed, whoever is left to read it; the user's slot is freed
/// as soon as the client leaves, the account's only when its answer ends. A client that leaves before anything went
/// upstream — or between attempts — starts nothing new and pays nothing.
/// </summary>
public sealed class ClientDepartureTests
{
    private static HttpClient SocketClient(RelayScenario s, string key)
    {
        // MaxResponseDrainSize 0: a cancelled request closes its connection (the default would keep it for reuse).
        var client = new HttpClient(new SocketsHttpHandler { MaxResponseDrainSize = 0 }) { BaseAddress = new Uri(s.App.ServerAddress) };
        client.DefaultRequestHeaders.Add("x-api-key", key);
        return client;
    }

    [Fact]
    public async Task LeavesBeforeTheUpstreamAnswered_AnswerStillReceivedAndBilled_UserSlotFreedAtOnce_AccountSlotAtTheEnd()
    {
        await using var s = await RelayScenario.StartAsync(FaultTier.Settings(realSocket: true));
        var gate = await s.AddApiKeyAccountAsync("gate", concurrency: FaultTier.Load);
        var (key, userId, _) = await s.AddUserWithKeyAsync(balance: 1m, concurrency: FaultTier.Load);
        using var client = SocketClient(s, key);
        using var leave = new CancellationTokenSource();

        var pending = Enumerable.Range(0, FaultTier.Load)
            .Select(i => client.PostAsync("/v1/messages", RelayScenario.MessageBody(stream: i % 2 == 0, text: $"hi {i}"), leave.Token))
            .ToList();
        await RelayScenario.WaitUntilAsync(() => Task.FromResult(s.UpstreamCount(gate) == FaultTier.Load), because: "every request went upstream");
        await leave.CancelAsync();
        foreach (var request in pending)
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => request);
        }

        // The gateway noticed: the user's slots are free while the upstream still holds every answer…
        await RelayScenario.WaitUntilAsync(async () => await s.SlotsAsync(SlotScopes.User(userId)) == 0, because: "the user's slots freed on departure");
        var accountSlots = await s.SlotsAsync(SlotScopes.Account(gate));
        Assert.All(s.UpstreamRequests(gate), r => Assert.True(r.FinishedAt == default, "no answer was sent yet"));
        Assert.Equal(FaultTier.Load, accountSlots); // …and the account, still at work, keeps its slots.

        s.Upstream.OpenGate(); // the upstream answers after all
        await RelayScenario.WaitUntilAsync(async () =>
        {
            await s.FlushUsageAsync();
            return (await s.UsageRowsAsync()).Count == FaultTier.Load;
        }, because: "every answer nobody read is billed");
        await FaultTier.AssertBilledAsync(s, userId, 1m, rows: FaultTier.Load, accountId: gate);
        await FaultTier.AssertNotMarkedAsync(s, gate);
        await FaultTier.AssertSlotsFreedAsync(s, userId, gate);
    }

    private static string ThinkingConversation() => $$"""
        {"model":"claude-sonnet-4-5","max_tokens":64,"stream":false,"messages":[
          {"role":"user","content":"hi {{Guid.NewGuid():N}}"},
          {"role":"assistant","content":[{"type":"thinking","thinking":"The user said hi.","signature":"EqQBCkYIBxgCKkDk"},{"type":"text","text":"Hello!"}]},
          {"role":"user","content":"go on"}]}
        """;

    [Theory]
    [InlineData("gate-err500")] // a same-account retry after a 500 (custom error codes: every other status retried)
    [InlineData("gate-sig400")] // a signature retry after a 400
    public async Task LeavesBeforeAnAnswerThatWouldBeRetried_NoNewAttemptIsStarted_NothingBilled(string behaviour)
    {
        await using var s = await RelayScenario.StartAsync(FaultTier.Settings(realSocket: true));
        var apiKey = $"sk-fake-{behaviour}-{Guid.NewGuid():N}";
        var account = await TestSeed.AccountAsync(s.App, s.GroupId, AccountTypes.ApiKey, new JsonObject
        {
            ["api_key"] = apiKey,
            ["base_url"] = s.Upstream.BaseUrl,
            ["custom_error_codes_enabled"] = true,
            ["custom_error_codes"] = new JsonArray(429),
        }, priority: 1, concurrency: 3);
        var (key, userId, _) = await s.AddUserWithKeyAsync(balance: 1m);
        using var client = SocketClient(s, key);
        using var leave = new CancellationTokenSource();

        using var content = new StringContent(ThinkingConversation(), Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
        var pending = client.PostAsync("/v1/messages", content, leave.Token);
        await RelayScenario.WaitUntilAsync(() => Task.FromResult(s.Upstream.CountFor(apiKey) == 1), because: "the first attempt went upstream");
        await leave.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);
        await RelayScenario.WaitUntilAsync(async () => await s.SlotsAsync(SlotScopes.User(userId)) == 0, because: "the gateway noticed the departure");

        s.Upstream.OpenGate(); // the upstream now answers with a status the gateway would retry
        await RelayScenario.WaitUntilAsync(async () => await s.SlotsAsync(SlotScopes.Account(account)) == 0,
            because: "the request ended (its account slot is held to the end)");

        Assert.Equal(1, s.Upstream.CountFor(apiKey));
        await FaultTier.AssertBilledAsync(s, userId, 1m, rows: 0);
    }

    [Fact]
    public async Task LeavesWhileWaitingForAnAccountSlot_NothingGoesUpstream_NothingBilled()
    {
        await using var s = await RelayScenario.StartAsync(FaultTier.Settings(realSocket: true));
        var gate = await s.AddApiKeyAccountAsync("gate", concurrency: 1);
        var (key, userId, _) = await s.AddUserWithKeyAsync(balance: 1m);
        using var client = SocketClient(s, key);
        using var leave = new CancellationTokenSource();

        var first = client.PostAsync("/v1/messages", RelayScenario.MessageBody(stream: false, text: "first"));
        await RelayScenario.WaitUntilAsync(() => Task.FromResult(s.UpstreamCount(gate) == 1), because: "the first request holds the account");
        var waiting = client.PostAsync("/v1/messages", RelayScenario.MessageBody(stream: true, text: "second"), leave.Token);
        await RelayScenario.WaitUntilAsync(async () => await s.QueueAsync(SlotScopes.AccountQueue(gate)) == 1, because: "the second request waits");
        await leave.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        await RelayScenario.WaitUntilAsync(async () => await s.QueueAsync(SlotScopes.AccountQueue(gate)) == 0, because: "the waiter left");

        s.Upstream.OpenGate();
        using var answer = await first;
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        await FaultTier.AssertSlotsFreedAsync(s, userId, gate);

        Assert.Equal(1, s.UpstreamCount(gate));
        await FaultTier.AssertBilledAsync(s, userId, 1m, rows: 1, accountId: gate); // only the request that was answered
    }
}
