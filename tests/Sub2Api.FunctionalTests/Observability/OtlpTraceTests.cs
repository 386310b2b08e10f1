using System.Text;
using Sub2Api.FunctionalTests.Infrastructure;

namespace Sub2Api.FunctionalTests.Observability;

/// <summary>
/// With the standard <c>OTEL_EXPORTER_OTLP_*</c> variables set, the gateway (a child process) exports a trace per
/// relayed request to an OTLP/HTTP receiver: "chat {model}" with the GenAI attributes and the billed usage, a
/// "schedule" child and one "upstream …" child per attempt — and never a key, a token or the prompt.
/// </summary>
public sealed class OtlpTraceTests
{
    [Fact]
    public async Task Traces_CarryTheRequestsModelAndUsage_AStepPerChild_AnAttemptPerUpstreamSpan_AndNoSecret()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        // Group 0: one healthy account. Group 1: the first account answers 500, the request fails over to the second.
        await using var gateway = await SeededGateway.StartAsync([["ok"], ["err500", "ok"]], new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Endpoint,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
        });
        Assert.Contains("Relay tracing: on (spans are exported over OTLP)", gateway.Process.Output, StringComparison.Ordinal);
        var prompt = $"prompt-text-{Guid.NewGuid():N}";
        var plainTrace = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());
        var failoverTrace = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());
        const string clientSpan = "00f067aa0ba902b7";

        var (status, body) = await gateway.SendAsync(gateway.Keys[0], prompt, traceParent: $"00-{plainTrace}-{clientSpan}-01");
        Assert.True(status == 200, body);
        (status, body) = await gateway.SendAsync(gateway.Keys[1], prompt, stream: true, traceParent: $"00-{failoverTrace}-{clientSpan}-01");
        Assert.True(status == 200, body);

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!(Done(plainTrace, 3) && Done(failoverTrace, 4)))
        {
            Assert.True(DateTime.UtcNow < deadline,
                $"spans not received within 30 s: {string.Join(", ", receiver.Spans.Select(s => $"{s.Name} ({s.TraceId})"))}\n{gateway.Process.Output}");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
        bool Done(string trace, int spans) => receiver.Spans.Count(s => s.TraceId == trace) >= spans;

        // The plain request: the server span continues the client's trace and carries the model, provider and usage.
        var plain = receiver.Spans.Where(s => s.TraceId == plainTrace).ToList();
        var chat = Assert.Single(plain, s => s.Name == "chat claude-sonnet-4-5");
        Assert.Equal(clientSpan, chat.ParentSpanId);
        Assert.Equal("claude-sonnet-4-5", chat.Attribute("gen_ai.request.model"));
        Assert.Equal("anthropic", chat.Attribute("gen_ai.provider.name"));
        Assert.Equal("chat", chat.Attribute("gen_ai.operation.name"));
        Assert.Equal((long)FakeUpstream.InputTokens, chat.Attribute("gen_ai.usage.input_tokens"));
        Assert.Equal((long)FakeUpstream.OutputTokens, chat.Attribute("gen_ai.usage.output_tokens"));
        Assert.Equal(200L, chat.Attribute("http.response.status_code"));
        var schedule = Assert.Single(plain, s => s.Name == "schedule");
        Assert.Equal(chat.SpanId, schedule.ParentSpanId);
        var upstream = Assert.Single(plain, s => s.Name.StartsWith("upstream ", StringComparison.Ordinal));
        Assert.Equal("upstream anthropic", upstream.Name);
        Assert.Equal(chat.SpanId, upstream.ParentSpanId);
        Assert.Equal(200L, upstream.Attribute("http.response.status_code"));

        // The failover: two upstream spans under one server span, the first failed with the upstream's 500.
        var failover = receiver.Spans.Where(s => s.TraceId == failoverTrace).ToList();
        var failoverChat = Assert.Single(failover, s => s.Name == "chat claude-sonnet-4-5");
        Assert.Equal(true, failoverChat.Attribute("gen_ai.request.stream"));
        var attempts = failover.Where(s => s.Name == "upstream anthropic").ToList();
        Assert.Equal(2, attempts.Count);
        Assert.All(attempts, a => Assert.Equal(failoverChat.SpanId, a.ParentSpanId));
        var failed = Assert.Single(attempts, a => a.StatusCode == OtlpSpan.Error);
        Assert.Equal(500L, failed.Attribute("http.response.status_code"));
        Assert.Equal("server_error", failed.Attribute("error.type"));
        Assert.Single(attempts, a => Equals(a.Attribute("http.response.status_code"), 200L));

        // Nothing secret or private in what left the process: no gateway key, no account key, no prompt.
        var raw = receiver.Bodies.SelectMany(b => b).ToArray();
        foreach (var secret in gateway.Keys.Concat(gateway.AccountKeys).Append(prompt))
        {
            Assert.True(raw.AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret)) < 0, $"'{secret[..12]}…' was exported in a span");
        }
    }
}
