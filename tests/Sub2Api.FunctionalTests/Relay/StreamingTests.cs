using System.Net;
using System.Text;
using System.Text.Json;
using Sub2Api.FunctionalTests.Infrastructure;
using Sub2Api.Scheduling.Concurrency;

namespace Sub2Api.FunctionalTests.Relay;

/// <summary>
/// Streaming and the body on its way upstream (issue 3 items 2 and 8): a client that leaves frees its user slot
/// at once (the account's stays held until the upstream ends) and is billed for what the upstream produced; a silent upstream is cut; model mapping is invisible to the
/// client; the client's bytes — thinking signatures included — reach the upstream untouched.
/// </summary>
public sealed class StreamingTests
{
    // Sonnet 4.5: 1000×3e-6 + 500×15e-6 + 150×3.75e-6 + 50×6e-6 + 100×0.3e-6.
    private const decimal ExpectedCost = 0.0113925m;

    [Theory]
    [InlineData(false)]
    [InlineData(true)] // a real socket: Kestrel's abort semantics, as in production
    public async Task Stream_ClientDisconnectsMidStream_UserSlotFreedAtOnce_AccountSlotAtTheEnd_UsageBilledInFull(bool realSocket)
    {
        await using var s = await RelayScenario.StartAsync(realSocket
            ? new Dictionary<string, string?> { [Sub2ApiFactory.UseKestrelSetting] = "true" }
            : null);
        s.Upstream.SlowEventDelay = TimeSpan.FromMilliseconds(100); // ~1.3 s of stream in all
        var account = await s.AddApiKeyAccountAsync("slow");
        var (key, userId, _) = await s.AddUserWithKeyAsync(balance: 1m);

        // MaxResponseDrainSize 0: disposing an unfinished response closes the connection (the default would read on,
        // up to 1 MB / 2 s, to reuse it — which is no disconnect at all).
        using (var client = realSocket
            ? new HttpClient(new SocketsHttpHandler { MaxResponseDrainSize = 0 }) { BaseAddress = new Uri(s.App.ServerAddress) }
            : s.App.CreateClient())
        {
            client.DefaultRequestHeaders.Add("x-api-key", key);
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = RelayScenario.MessageBody(stream: true) };
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            await using var body = await response.Content.ReadAsStreamAsync();
            var buffer = new byte[256];
            var read = await body.ReadAsync(buffer);
            Assert.Contains("event: message_start", Encoding.UTF8.GetString(buffer, 0, read), StringComparison.Ordinal);
            Assert.Equal(1, await s.SlotsAsync(SlotScopes.Account(account)));
        } // the client goes away here, mid-stream

        await RelayScenario.WaitUntilAsync(async () => await s.SlotsAsync(SlotScopes.User(userId)) == 0, TimeSpan.FromSeconds(1),
            "the user's slot released after the disconnect");
        // The account is still producing the answer: its slot stays held until the upstream ends (read in this order,
        // the upstream was still at work when the slot was seen held).
        var accountSlots = await s.SlotsAsync(SlotScopes.Account(account));
        var upstream = Assert.Single(s.UpstreamRequests(account));
        Assert.True(upstream.FinishedAt == default, "the user's slot was freed only when the upstream finished, not at the disconnect");
        Assert.Equal(1, accountSlots);

        // The upstream keeps producing; what it produced is billed once it ends.
        await RelayScenario.WaitUntilAsync(async () => (await s.UsageRowsAsync()).Count == 1, TimeSpan.FromSeconds(5),
            "usage row written after the drained upstream ended");
        await RelayScenario.WaitUntilAsync(async () => await s.SlotsAsync(SlotScopes.Account(account)) == 0, TimeSpan.FromSeconds(2),
            "the account slot released when the drain ended");
        var row = Assert.Single(await s.UsageRowsAsync());
        Assert.Equal(FakeUpstream.InputTokens, row.InputTokens);
        Assert.Equal(FakeUpstream.OutputTokens, row.OutputTokens);
        Assert.Equal(ExpectedCost, row.ActualCost);
        await s.FlushUsageAsync();
        Assert.Equal(1m - ExpectedCost, await s.BalanceAsync(userId));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)] // a real socket: Kestrel's abort semantics, as in production
    public async Task Stream_ClientLeavesBeforeTheFirstEvent_UpstreamAnswerIsStillBilled(bool realSocket)
    {
        await using var s = await RelayScenario.StartAsync(realSocket
            ? new Dictionary<string, string?>
            {
                [Sub2ApiFactory.UseKestrelSetting] = "true",
                ["Logging:LogLevel:Microsoft.AspNetCore.Server.Kestrel"] = "Debug",
            }
            : null);
        var logs = s.CaptureLogs();
        var account = await s.AddApiKeyAccountAsync("lazy");
        var (key, userId, _) = await s.AddUserWithKeyAsync(balance: 1m);

        using var leave = new CancellationTokenSource();
        using var client = realSocket ? new HttpClient { BaseAddress = new Uri(s.App.ServerAddress) } : s.App.CreateClient();
        client.DefaultRequestHeaders.Add("x-api-key", key);
        var pending = client.PostAsync("/v1/messages", RelayScenario.MessageBody(stream: true), leave.Token);
        // The upstream accepted the request and answered 200 with its headers (the gateway records the 5h window
        // status from them); the first event is still to come.
        await RelayScenario.WaitUntilAsync(async () => (await s.AccountAsync(account)).SessionWindowStatus == "allowed",
            because: "upstream headers reached the gateway");
        await leave.CancelAsync();
        if (realSocket)
        {
            // Kestrel has seen the closed connection and aborted the request before the first event arrives.
            await RelayScenario.WaitUntilAsync(() => Task.FromResult(logs.Messages.Any(m =>
                m.StartsWith("Microsoft.AspNetCore.Server.Kestrel", StringComparison.Ordinal) && m.EndsWith("disconnecting.", StringComparison.Ordinal))),
                TimeSpan.FromSeconds(2), "Kestrel noticed the disconnect");
        }
        // (The test server aborts the request synchronously with the client's cancellation, and completes the
        // client's call only when the gateway is done, so the gate opens before that is awaited.)
        s.Upstream.OpenGate(); // the model produces its answer after all
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);

        await RelayScenario.WaitUntilAsync(async () => (await s.UsageRowsAsync()).Count == 1, TimeSpan.FromSeconds(3),
            "what the upstream produced for a departed client is billed");
        var row = Assert.Single(await s.UsageRowsAsync());
        Assert.Equal(FakeUpstream.OutputTokens, row.OutputTokens);
        await s.FlushUsageAsync();
        Assert.Equal(1m - ExpectedCost, await s.BalanceAsync(userId));
        await RelayScenario.WaitUntilAsync(async () => await s.SlotsAsync(SlotScopes.Account(account)) == 0
            && await s.SlotsAsync(SlotScopes.User(userId)) == 0, TimeSpan.FromSeconds(1), "slots released");
    }

    [Fact]
    public async Task Stream_SilentUpstream_CutAfterStreamDataIntervalTimeout_WithAnErrorEvent()
    {
        await using var s = await RelayScenario.StartAsync(new Dictionary<string, string?> { ["Gateway:StreamDataIntervalTimeout"] = "1" });
        var account = await s.AddApiKeyAccountAsync("hang");
        var (key, userId, _) = await s.AddUserWithKeyAsync();
        var started = DateTime.UtcNow;

        var (status, body) = await s.SendAsync(key, stream: true);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("part 0", body, StringComparison.Ordinal);
        Assert.DoesNotContain("part 1", body, StringComparison.Ordinal);
        var errorEvent = body.Split("\n\n").Last(e => e.Length > 0);
        Assert.StartsWith("event: error\ndata: ", errorEvent, StringComparison.Ordinal);
        Assert.Contains("stream_timeout", errorEvent, StringComparison.Ordinal);
        Assert.InRange(DateTime.UtcNow - started, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(5));
        await RelayScenario.WaitUntilAsync(async () => await s.SlotsAsync(SlotScopes.Account(account)) == 0
            && await s.SlotsAsync(SlotScopes.User(userId)) == 0, TimeSpan.FromSeconds(2), "slots released after the cut");
    }

    [Fact]
    public async Task Json_ModelMappedForApiKeyAccount_UpstreamSeesMappedModel_ClientAndBillingSeeRequested()
    {
        await using var s = await RelayScenario.StartAsync();
        var account = await s.AddApiKeyAccountAsync("ok", modelMapping: new Dictionary<string, string> { ["claude-sonnet-4-5"] = "glm-4.6" });
        var (key, _, _) = await s.AddUserWithKeyAsync();

        var (status, body) = await s.SendAsync(key);

        Assert.True(status == HttpStatusCode.OK, body);
        Assert.Equal("glm-4.6", s.UpstreamRequests(account)[0].Json["model"]!.GetValue<string>());
        using var json = JsonDocument.Parse(body);
        Assert.Equal("claude-sonnet-4-5", json.RootElement.GetProperty("model").GetString());
        Assert.DoesNotContain("glm-4.6", body, StringComparison.Ordinal);
        await s.FlushUsageAsync();
        var row = Assert.Single(await s.UsageRowsAsync());
        Assert.Equal("claude-sonnet-4-5", row.Model);
        Assert.Equal(ExpectedCost, row.ActualCost); // priced as the model the client asked for
    }

    [Fact]
    public async Task Stream_ModelMappedForApiKeyAccount_MessageStartCarriesTheRequestedModel()
    {
        await using var s = await RelayScenario.StartAsync();
        var account = await s.AddApiKeyAccountAsync("ok", modelMapping: new Dictionary<string, string> { ["claude-sonnet-*"] = "glm-4.6" });
        var (key, _, _) = await s.AddUserWithKeyAsync();

        var (status, body) = await s.SendAsync(key, stream: true);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("glm-4.6", s.UpstreamRequests(account)[0].Json["model"]!.GetValue<string>());
        var messageStart = body.Split("\n\n").Single(e => e.StartsWith("event: message_start", StringComparison.Ordinal));
        using var data = JsonDocument.Parse(messageStart[(messageStart.IndexOf("data: ", StringComparison.Ordinal) + 6)..]);
        Assert.Equal("claude-sonnet-4-5", data.RootElement.GetProperty("message").GetProperty("model").GetString());
        Assert.DoesNotContain("glm-4.6", body, StringComparison.Ordinal);
        Assert.Contains("part 2", body, StringComparison.Ordinal);
        await s.FlushUsageAsync();
        var row = Assert.Single(await s.UsageRowsAsync());
        Assert.Equal("claude-sonnet-4-5", row.Model);
        Assert.Equal(ExpectedCost, row.ActualCost);
    }

    [Fact]
    public async Task Messages_ModelTheAccountDoesNotMap_IsNotSentToIt()
    {
        await using var s = await RelayScenario.StartAsync();
        var mapped = await s.AddApiKeyAccountAsync("ok", priority: 1,
            modelMapping: new Dictionary<string, string> { ["claude-opus-4-5"] = "glm-4.6" });
        var plain = await s.AddApiKeyAccountAsync("ok", priority: 2);
        var (key, _, _) = await s.AddUserWithKeyAsync();

        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(key, model: "claude-sonnet-4-5")).Status);

        Assert.Equal(0, s.UpstreamCount(mapped));
        Assert.Equal(1, s.UpstreamCount(plain));
    }

    [Fact]
    public async Task Messages_ThinkingSignatureBody_ArrivesUpstreamByteForByte()
    {
        await using var s = await RelayScenario.StartAsync();
        var account = await s.AddApiKeyAccountAsync("ok");
        var (key, _, _) = await s.AddUserWithKeyAsync();
        // Odd but valid formatting, escapes, non-ASCII and a signed thinking block: any re-serialisation would show.
        const string raw = """
            {  "model" : "claude-sonnet-4-5",
               "max_tokens":1024, "stream":false,
               "system": [ {"type":"text","text":"Be terse.\u00e9 \/ ok"} ],
               "thinking": {"type":"enabled","budget_tokens":512},
               "messages":[
                 {"role":"user","content":"What is 2+2? – ünïcödé"},
                 {"role":"assistant","content":[
                   {"type":"thinking","thinking":"Simple arithmetic:\n2+2=4.","signature":"EqQBCkYIBxgCKkDz3x+/=Zm9vYmFyAAAA=="},
                   {"type":"text","text":"4"}]},
                 {"role":"user","content":[{"type":"text","text":"And 3+3?","cache_control":{"type":"ephemeral"}}]}
               ],
               "metadata":{"user_id":"user_abc"}, "temperature": 1.0e0
            }
            """;
        var sent = Encoding.UTF8.GetBytes(raw);
        using var client = s.Client(key);
        using var content = new ByteArrayContent(sent);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");

        using var response = await client.PostAsync("/v1/messages", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var received = Assert.Single(s.UpstreamRequests(account));
        Assert.Equal(sent, received.Body);
    }

    [Fact]
    public async Task Stream_FirstTokenTimeAndStreamFlagAreRecorded_AndEveryEventArrivesInOrder()
    {
        await using var s = await RelayScenario.StartAsync();
        await s.AddApiKeyAccountAsync("ok");
        var (key, _, _) = await s.AddUserWithKeyAsync();

        var (status, body) = await s.SendAsync(key, stream: true);

        Assert.Equal(HttpStatusCode.OK, status);
        var events = body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(e => e.Split('\n')[0]).ToList();
        Assert.Equal(
        [
            "event: message_start", "event: content_block_start", "event: ping", "event: content_block_delta",
            "event: content_block_delta", "event: content_block_delta", "event: content_block_stop", "event: message_delta",
            "event: message_stop",
        ], events);
        await s.FlushUsageAsync();
        var row = Assert.Single(await s.UsageRowsAsync());
        Assert.True(row.Stream);
        Assert.NotNull(row.FirstTokenMs);
        Assert.NotNull(row.DurationMs);
        Assert.True(row.FirstTokenMs <= row.DurationMs);
    }
}
