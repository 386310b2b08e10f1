using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Sub2Api.Data.Entities;
using Sub2Api.FunctionalTests.Accounts;
using Sub2Api.FunctionalTests.Infrastructure;
using Sub2Api.Observability;
using Sub2Api.Scheduling.Concurrency;

namespace Sub2Api.FunctionalTests.Observability;

/// <summary>
/// The gauges the sampler reports (accounts by state, slots, usage backlog) and the counters for slot waits and token
/// refreshes, read from the app's own meter while real requests go through the relay.
/// </summary>
public sealed class GaugeAndCounterTests
{
    private const string SlotWait = "sub2api.slot.wait.duration";

    [Fact]
    public async Task Accounts_AreCountedOncePerPlatformAndState_AndSlotsInUseShowAHeldRequest()
    {
        await using var s = await RelayScenario.StartAsync();
        s.Upstream.SlowEventDelay = TimeSpan.FromMilliseconds(100);
        var busy = await s.AddApiKeyAccountAsync("slow", concurrency: 5, priority: 1);
        var rateLimited = await s.AddApiKeyAccountAsync("ok", priority: 90);
        var overloaded = await s.AddApiKeyAccountAsync("ok", priority: 90);
        var resting = await s.AddApiKeyAccountAsync("ok", priority: 90);
        var errored = await s.AddApiKeyAccountAsync("ok", priority: 90);
        var disabled = await s.AddApiKeyAccountAsync("ok", priority: 90);
        var switchedOff = await s.AddApiKeyAccountAsync("ok", priority: 90);
        var later = DateTime.UtcNow.AddHours(1);
        await s.UpdateAccountAsync(rateLimited, a => a.RateLimitResetAt = later);
        await s.UpdateAccountAsync(overloaded, a => a.OverloadUntil = later);
        await s.UpdateAccountAsync(resting, a => a.TempUnschedulableUntil = later);
        await s.UpdateAccountAsync(errored, a => a.Status = Statuses.Error);
        await s.UpdateAccountAsync(disabled, a => a.Status = Statuses.Disabled);
        await s.UpdateAccountAsync(switchedOff, a => a.Schedulable = false);
        var (key, _, _) = await s.AddUserWithKeyAsync();
        using var meter = new MeterRecorder(s.App);
        var sampler = s.App.Services.GetRequiredService<TelemetrySampler>();

        var held = s.SendAsync(key, stream: true);
        await RelayScenario.WaitUntilAsync(async () => await s.SlotsAsync(SlotScopes.Account(busy)) == 1, because: "the slow request holds its slot");
        await sampler.SampleAsync(TestContext.Current.CancellationToken);
        var gauges = meter.ObserveGauges();

        var accounts = gauges.Where(g => g.Instrument == "sub2api.accounts").ToList();
        Assert.All(accounts, g => Assert.Equal(Platforms.Anthropic, g.Tag("platform")));
        Assert.Equal(TelemetrySampler.AccountStates.Order(), accounts.Select(g => g.Tag("state")!).Order());
        double Count(string state) => accounts.Single(g => g.Tag("state") == state).Value;
        Assert.Equal(1, Count("schedulable"));
        Assert.Equal(1, Count("rate_limited"));
        Assert.Equal(1, Count("overloaded"));
        Assert.Equal(1, Count("temp_unschedulable"));
        Assert.Equal(1, Count("error"));
        Assert.Equal(2, Count("disabled"));
        var inUse = Assert.Single(gauges, g => g.Instrument == "sub2api.slot.in_use");
        Assert.Equal(("account", Platforms.Anthropic, 1d), (inUse.Tag("kind"), inUse.Tag("platform"), inUse.Value));
        Assert.Equal(0, Assert.Single(gauges, g => g.Instrument == "sub2api.slot.queue.depth").Value);
        Assert.Single(gauges, g => g.Instrument == "sub2api.usage.journal.backlog");
        Assert.Single(gauges, g => g.Instrument == "sub2api.usage.writer.lag");

        Assert.Equal(HttpStatusCode.OK, (await held).Status);
        await s.FlushUsageAsync();
        await sampler.SampleAsync(TestContext.Current.CancellationToken);
        gauges = meter.ObserveGauges();
        Assert.Equal(0, Assert.Single(gauges, g => g.Instrument == "sub2api.slot.in_use").Value);
        Assert.Equal(0, Assert.Single(gauges, g => g.Instrument == "sub2api.usage.journal.backlog").Value);
        Assert.Equal(0, Assert.Single(gauges, g => g.Instrument == "sub2api.usage.writer.lag").Value);
    }

    [Fact]
    public async Task QueueDepth_CountsARequestWaitingForTheAccountsSlot()
    {
        await using var s = await RelayScenario.StartAsync();
        s.Upstream.SlowEventDelay = TimeSpan.FromMilliseconds(100);
        var account = await s.AddApiKeyAccountAsync("slow", concurrency: 1);
        var (key, _, _) = await s.AddUserWithKeyAsync(concurrency: 10);
        using var meter = new MeterRecorder(s.App);
        var sampler = s.App.Services.GetRequiredService<TelemetrySampler>();

        var first = s.SendAsync(key, stream: true);
        await RelayScenario.WaitUntilAsync(() => Task.FromResult(s.Upstream.Received.Count == 1), because: "first request upstream");
        var second = s.SendAsync(key, stream: true);
        await RelayScenario.WaitUntilAsync(async () => await s.QueueAsync(SlotScopes.AccountQueue(account)) == 1, because: "second request queued");
        await sampler.SampleAsync(TestContext.Current.CancellationToken);
        var depth = Assert.Single(meter.ObserveGauges(), g => g.Instrument == "sub2api.slot.queue.depth");

        Assert.Equal(1, depth.Value);
        Assert.Equal("account", depth.Tag("kind"));
        Assert.All(await Task.WhenAll(first, second), r => Assert.Equal(HttpStatusCode.OK, r.Status));
        // The second request waited for the account's slot: its wait is counted, the first's (no wait) is not.
        var wait = Assert.Single(meter.Of(SlotWait));
        Assert.Equal("account", wait.Tag("kind"));
        Assert.True(wait.Value > 0.05, $"waited {wait.Value} s");
    }

    [Fact]
    public async Task SlotWait_IsCountedForARequestThatWaitedForTheUsersSlot_AndNotForOneThatDidNot()
    {
        await using var s = await RelayScenario.StartAsync();
        s.Upstream.SlowEventDelay = TimeSpan.FromMilliseconds(50);
        await s.AddApiKeyAccountAsync("slow", concurrency: 5);
        var (key, _, _) = await s.AddUserWithKeyAsync(concurrency: 1);
        using var meter = new MeterRecorder(s.App);

        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(key, stream: true)).Status);
        Assert.Empty(meter.Of(SlotWait));

        var first = s.SendAsync(key, stream: true);
        await RelayScenario.WaitUntilAsync(() => Task.FromResult(s.Upstream.Received.Count == 2), because: "first request upstream");
        var second = s.SendAsync(key, stream: true);
        Assert.All(await Task.WhenAll(first, second), r => Assert.Equal(HttpStatusCode.OK, r.Status));

        var wait = Assert.Single(meter.Of(SlotWait));
        Assert.Equal("user", wait.Tag("kind"));
        Assert.True(wait.Value > 0.05, $"waited {wait.Value} s");
    }

    [Fact]
    public async Task TokenRefreshes_AreCountedBySuccessAndFailure()
    {
        await using var s = await TokenRefreshScenario.StartAsync();
        using var meter = new MeterRecorder(s.App);
        s.OAuth.FailNextGrants(1, FakeOAuthFailure.InvalidGrant);
        await s.AddOAuthAccountAsync(TimeSpan.FromMinutes(-1), priority: 1);
        await s.Relay.AddApiKeyAccountAsync("ok", priority: 90);
        var (key, _, _) = await s.Relay.AddUserWithKeyAsync();
        var (fresh, _, _) = await s.AddOAuthAccountAsync(TimeSpan.FromHours(6), priority: 95);

        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(key)).Status);   // the expired account's refresh is refused
        var admin = await s.App.AdminAsync();
        await admin.PostAsync($"/api/v1/admin/accounts/{fresh}/refresh");   // this one succeeds

        var refreshes = meter.Of("sub2api.token.refreshes");
        Assert.Equal(2, refreshes.Count);
        Assert.Single(refreshes, r => r.Tag("result") == "failure" && r.Tag("platform") == Platforms.Anthropic);
        Assert.Single(refreshes, r => r.Tag("result") == "success" && r.Tag("platform") == Platforms.Anthropic);
    }
}
