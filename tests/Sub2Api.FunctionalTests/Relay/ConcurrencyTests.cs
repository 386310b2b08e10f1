using System.Net;
using System.Text.Json;
using Sub2Api.FunctionalTests.Infrastructure;
using Sub2Api.Scheduling.Concurrency;

namespace Sub2Api.FunctionalTests.Relay;

/// <summary>
/// Concurrency slots (SPEC §4.1 steps 4–5, §4.3 wait plans, §4.7): per-account and per-user limits make extra
/// requests wait rather than fail, the user's wait queue is bounded, and every slot is released afterwards.
/// </summary>
public sealed class ConcurrencyTests
{
    private static void AssertNoOverlap(IReadOnlyList<ReceivedRequest> received)
    {
        var ordered = received.OrderBy(r => r.StartedAt).ToList();
        for (var i = 1; i < ordered.Count; i++)
        {
            Assert.True(ordered[i].StartedAt >= ordered[i - 1].FinishedAt,
                $"upstream request {i} started at {ordered[i].StartedAt:O} before request {i - 1} finished at {ordered[i - 1].FinishedAt:O}");
        }
    }

    [Fact]
    public async Task Messages_AccountConcurrencyOne_TwoStreamsBothSucceedOneAfterTheOther()
    {
        await using var s = await RelayScenario.StartAsync();
        s.Upstream.SlowEventDelay = TimeSpan.FromMilliseconds(30);
        var account = await s.AddApiKeyAccountAsync("slow", concurrency: 1);
        var (key, userId, _) = await s.AddUserWithKeyAsync(concurrency: 10);

        var first = s.SendAsync(key, stream: true);
        await RelayScenario.WaitUntilAsync(() => Task.FromResult(s.Upstream.Received.Count == 1), because: "first request upstream");
        var second = s.SendAsync(key, stream: true); // arrives while the only slot is held

        var results = await Task.WhenAll(first, second);

        Assert.All(results, r => Assert.Equal(HttpStatusCode.OK, r.Status));
        Assert.All(results, r => Assert.Contains("event: message_stop", r.Body, StringComparison.Ordinal));
        Assert.Equal(2, s.UpstreamCount(account));
        AssertNoOverlap(s.Upstream.Received);
        await RelayScenario.WaitUntilAsync(async () => await s.SlotsAsync(SlotScopes.Account(account)) == 0
            && await s.SlotsAsync(SlotScopes.User(userId)) == 0, TimeSpan.FromSeconds(2), "slots released");
        Assert.Equal(0, await s.QueueAsync(SlotScopes.AccountQueue(account)));
    }

    [Fact]
    public async Task Messages_AccountConcurrencyOne_ManyConcurrentRequestsNeverOverlapUpstream()
    {
        await using var s = await RelayScenario.StartAsync();
        s.Upstream.SlowEventDelay = TimeSpan.FromMilliseconds(10);
        var account = await s.AddApiKeyAccountAsync("slow", concurrency: 1);
        var (key, userId, _) = await s.AddUserWithKeyAsync(concurrency: 10);

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => s.SendAsync(key, stream: i % 2 == 0)));

        Assert.All(results, r => Assert.Equal(HttpStatusCode.OK, r.Status));
        Assert.Equal(4, s.UpstreamCount(account));
        AssertNoOverlap(s.Upstream.Received);
        await s.FlushUsageAsync();
        Assert.Equal(4, (await s.UsageRowsAsync()).Count);
        await RelayScenario.WaitUntilAsync(async () => await s.SlotsAsync(SlotScopes.Account(account)) == 0
            && await s.SlotsAsync(SlotScopes.User(userId)) == 0, TimeSpan.FromSeconds(2), "slots released");
    }

    [Fact]
    public async Task Messages_UserConcurrencyOne_TwoStreamsBothSucceedOneAfterTheOther()
    {
        await using var s = await RelayScenario.StartAsync();
        s.Upstream.SlowEventDelay = TimeSpan.FromMilliseconds(30);
        // Two roomy accounts: only the user's limit can serialise these requests.
        await s.AddApiKeyAccountAsync("slow", concurrency: 5);
        await s.AddApiKeyAccountAsync("slow", concurrency: 5);
        var (key, userId, _) = await s.AddUserWithKeyAsync(concurrency: 1);

        var first = s.SendAsync(key, stream: true);
        await RelayScenario.WaitUntilAsync(() => Task.FromResult(s.Upstream.Received.Count == 1), because: "first request upstream");
        var second = s.SendAsync(key, stream: true);

        var results = await Task.WhenAll(first, second);

        Assert.All(results, r => Assert.Equal(HttpStatusCode.OK, r.Status));
        Assert.Equal(2, s.Upstream.Received.Count);
        AssertNoOverlap(s.Upstream.Received);
        await RelayScenario.WaitUntilAsync(async () => await s.SlotsAsync(SlotScopes.User(userId)) == 0, TimeSpan.FromSeconds(2),
            "user slot released");
        Assert.Equal(0, await s.QueueAsync(SlotScopes.UserQueue(userId)));
    }

    [Fact]
    public async Task Messages_OtherUsersAreNotLimitedByOneUsersConcurrency()
    {
        await using var s = await RelayScenario.StartAsync();
        var account = await s.AddApiKeyAccountAsync("gate", concurrency: 5);
        var (busyKey, _, _) = await s.AddUserWithKeyAsync(concurrency: 1);
        var (otherKey, _, _) = await s.AddUserWithKeyAsync(concurrency: 1);

        var held = s.SendAsync(busyKey);
        await RelayScenario.WaitUntilAsync(() => Task.FromResult(s.UpstreamCount(account) == 1), because: "held request upstream");
        var other = s.SendAsync(otherKey);
        await RelayScenario.WaitUntilAsync(() => Task.FromResult(s.UpstreamCount(account) == 2), TimeSpan.FromSeconds(2),
            "another user's request must not wait for the first user's slot");
        s.Upstream.OpenGate();

        Assert.Equal(HttpStatusCode.OK, (await held).Status);
        Assert.Equal(HttpStatusCode.OK, (await other).Status);
    }

    [Fact]
    public async Task Messages_UserWaitQueueFull_Returns429TooManyPendingRequests()
    {
        await using var s = await RelayScenario.StartAsync();
        var account = await s.AddApiKeyAccountAsync("gate", concurrency: 50);
        var (key, userId, _) = await s.AddUserWithKeyAsync(concurrency: 1);

        // One request holds the user's only slot (the upstream holds its answer)…
        var holder = s.SendAsync(key);
        await RelayScenario.WaitUntilAsync(() => Task.FromResult(s.UpstreamCount(account) == 1), because: "holder upstream");

        // …so of 22 more, max(1, 1) + 20 = 21 may wait and exactly one is refused at once.
        using var waiters = new CancellationTokenSource();
        var pending = Enumerable.Range(0, 22).Select(async _ =>
        {
            using var client = s.Client(key);
            using var response = await client.PostAsync("/v1/messages",
                RelayScenario.MessageBody(stream: false, text: $"hi {Guid.NewGuid():N}"), waiters.Token);
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync(waiters.Token));
        }).ToList();

        var refusedTask = await Task.WhenAny(pending);
        var refused = await refusedTask;
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        using (var json = JsonDocument.Parse(refused.Body))
        {
            Assert.Equal("rate_limit_error", json.RootElement.GetProperty("error").GetProperty("type").GetString());
            Assert.Equal("Too many pending requests, please retry later", json.RootElement.GetProperty("error").GetProperty("message").GetString());
        }
        await RelayScenario.WaitUntilAsync(async () => await s.QueueAsync(SlotScopes.UserQueue(userId)) == 21, TimeSpan.FromSeconds(2),
            "21 requests waiting");
        Assert.Equal(1, pending.Count(t => t.IsCompleted));

        // The waiters give up: the queue empties (nothing leaks), and the holder finishes normally.
        await waiters.CancelAsync();
        foreach (var task in pending.Where(t => t != refusedTask))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task);
        }
        await RelayScenario.WaitUntilAsync(async () => await s.QueueAsync(SlotScopes.UserQueue(userId)) == 0, TimeSpan.FromSeconds(2),
            "wait queue drained after the waiters left");
        s.Upstream.OpenGate();
        Assert.Equal(HttpStatusCode.OK, (await holder).Status);
        await RelayScenario.WaitUntilAsync(async () => await s.SlotsAsync(SlotScopes.User(userId)) == 0, TimeSpan.FromSeconds(2),
            "user slot released");
        Assert.Equal(1, s.UpstreamCount(account));
    }

    // A client leaving before the upstream answered: Faults/ClientDepartureTests (real sockets, so the departure is seen).

    [Fact]
    public async Task Messages_SlotsAreReleasedAfterEveryKindOfRequest()
    {
        await using var s = await RelayScenario.StartAsync();
        var failing = await s.AddApiKeyAccountAsync("err500", priority: 1);
        var good = await s.AddApiKeyAccountAsync("ok", priority: 2);
        var (key, userId, _) = await s.AddUserWithKeyAsync();

        async Task AssertAllFreeAsync(string after) => await RelayScenario.WaitUntilAsync(async () =>
            await s.SlotsAsync(SlotScopes.Account(failing)) == 0 && await s.SlotsAsync(SlotScopes.Account(good)) == 0
            && await s.SlotsAsync(SlotScopes.User(userId)) == 0, TimeSpan.FromSeconds(2), $"slots released after {after}");

        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(key)).Status);
        await AssertAllFreeAsync("a JSON request with failover");
        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(key, stream: true)).Status);
        await AssertAllFreeAsync("a stream with failover");
        Assert.Equal(HttpStatusCode.BadRequest, (await s.SendAsync(key, model: "")).Status);
        await AssertAllFreeAsync("a refused request");

        await s.UpdateAccountAsync(good, a => a.Schedulable = false);
        Assert.Equal(HttpStatusCode.BadGateway, (await s.SendAsync(key)).Status);
        await AssertAllFreeAsync("an upstream error");
    }
}
