using System.Buffers;
using System.Text;
using System.Text.Json;
using Sub2Api.Providers.OpenAI.Conversions;
using static Sub2Api.UnitTests.Providers.OpenAI.Conversions.ResponsesStreamFixtures;

namespace Sub2Api.UnitTests.Providers.OpenAI.Conversions;

public sealed class ResponsesToChatStreamTests
{
    private const string ClientModel = "gpt-5-client";

    /// <summary>What the client received, split into SSE events; each must be exactly one <c>data: …</c> line.</summary>
    private sealed class ClientStream
    {
        public List<string> Payloads { get; } = [];

        /// <summary>Every payload except [DONE], parsed.</summary>
        public List<JsonElement> Events => [.. Payloads.Where(p => p != "[DONE]").Select(p => JsonDocument.Parse(p).RootElement.Clone())];

        public List<JsonElement> ChoiceChunks => [.. Events.Where(e => e.TryGetProperty("choices", out var c) && c.GetArrayLength() > 0)];

        public List<JsonElement> Deltas => [.. ChoiceChunks.Select(c => c.GetProperty("choices")[0].GetProperty("delta"))];

        public string Concat(string field) => string.Concat(Deltas.Select(d => d.TryGetProperty(field, out var v) ? v.GetString() : ""));

        public int DoneCount => Payloads.Count(p => p == "[DONE]");
    }

    private static ClientStream Parse(ArrayBufferWriter<byte> output)
    {
        var text = Encoding.UTF8.GetString(output.WrittenSpan);
        var client = new ClientStream();
        if (text.Length == 0)
        {
            return client;
        }
        Assert.EndsWith("\n\n", text, StringComparison.Ordinal);
        foreach (var evt in text[..^2].Split("\n\n"))
        {
            Assert.StartsWith("data: ", evt, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', evt);
            client.Payloads.Add(evt["data: ".Length..]);
        }
        return client;
    }

    private static ClientStream Run(string sse, bool includeUsage = false, bool complete = true)
    {
        var stream = new ResponsesToChatStream(ClientModel, includeUsage);
        var output = new ArrayBufferWriter<byte>();
        foreach (var line in Lines(sse))
        {
            stream.OnLine(line, output);
        }
        if (complete)
        {
            stream.Complete(output);
        }
        return Parse(output);
    }

    private static string? FinishReason(JsonElement chunk) =>
        chunk.GetProperty("choices")[0].GetProperty("finish_reason") is { ValueKind: JsonValueKind.String } reason ? reason.GetString() : null;

    [Fact]
    public void CodexTextStream_ChunksParse_ContentConcatenatesToTheText()
    {
        var client = Run(CodexTextStream);

        Assert.Equal(CodexText, client.Concat("content"));
        Assert.Equal(CodexReasoning, client.Concat("reasoning_content"));
        Assert.Equal(1, client.DoneCount);
        Assert.Equal("[DONE]", client.Payloads[^1]);
        foreach (var chunk in client.Events)
        {
            Assert.Equal("chatcmpl-68f0a1b2c3", chunk.GetProperty("id").GetString());
            Assert.Equal("chat.completion.chunk", chunk.GetProperty("object").GetString());
            Assert.Equal(1765090000, chunk.GetProperty("created").GetInt64());
            Assert.Equal(ClientModel, chunk.GetProperty("model").GetString());
            Assert.Equal(0, chunk.GetProperty("choices")[0].GetProperty("index").GetInt32());
        }
        Assert.DoesNotContain(client.Payloads, p => p.Contains("gAAAA", StringComparison.Ordinal));
    }

    [Fact]
    public void CodexTextStream_FirstChunkCarriesTheRole_LastChunkTheFinishReason()
    {
        var client = Run(CodexTextStream);

        var first = client.Deltas[0];
        Assert.Equal("assistant", first.GetProperty("role").GetString());
        Assert.Equal("", first.GetProperty("content").GetString());
        Assert.Equal(1, client.Deltas.Count(d => d.TryGetProperty("role", out _)));

        var last = client.ChoiceChunks[^1];
        Assert.Equal("stop", FinishReason(last));
        Assert.Empty(last.GetProperty("choices")[0].GetProperty("delta").EnumerateObject());
        Assert.All(client.ChoiceChunks.SkipLast(1), c => Assert.Null(FinishReason(c)));
    }

    [Fact]
    public void IncludeUsage_UsageChunkWithNoChoicesBeforeDone()
    {
        var client = Run(CodexTextStream, includeUsage: true);

        var usageChunk = client.Events[^1];
        Assert.Empty(usageChunk.GetProperty("choices").EnumerateArray());
        var usage = usageChunk.GetProperty("usage");
        Assert.Equal(1200, usage.GetProperty("prompt_tokens").GetInt64());
        Assert.Equal(90, usage.GetProperty("completion_tokens").GetInt64());
        Assert.Equal(1290, usage.GetProperty("total_tokens").GetInt64());
        Assert.Equal(1024, usage.GetProperty("prompt_tokens_details").GetProperty("cached_tokens").GetInt64());
        Assert.Equal(64, usage.GetProperty("completion_tokens_details").GetProperty("reasoning_tokens").GetInt64());
        Assert.Equal("stop", FinishReason(client.Events[^2]));
        Assert.Equal("[DONE]", client.Payloads[^1]);
    }

    [Fact]
    public void WithoutIncludeUsage_NoChunkCarriesUsage()
    {
        var client = Run(CodexTextStream, includeUsage: false);

        Assert.DoesNotContain(client.Events, e => e.TryGetProperty("usage", out _));
        Assert.All(client.Events, e => Assert.Equal(1, e.GetProperty("choices").GetArrayLength()));
    }

    [Fact]
    public void ParallelToolCalls_IndexedFromZero_HeaderThenArgumentDeltas_FinishToolCalls()
    {
        var client = Run(ParallelToolCallStream);

        var calls = client.Deltas.Where(d => d.TryGetProperty("tool_calls", out _))
            .Select(d => Assert.Single(d.GetProperty("tool_calls").EnumerateArray())).ToList();
        var headers = calls.Where(c => c.TryGetProperty("id", out _)).ToList();
        Assert.Equal(2, headers.Count);
        Assert.Equal([0, 1], headers.Select(h => h.GetProperty("index").GetInt32()));
        Assert.Equal(["call_paris", "call_rome"], headers.Select(h => h.GetProperty("id").GetString()));
        Assert.All(headers, h => Assert.Equal("function", h.GetProperty("type").GetString()));
        Assert.All(headers, h => Assert.Equal("weather", h.GetProperty("function").GetProperty("name").GetString()));
        Assert.All(headers, h => Assert.Equal("", h.GetProperty("function").GetProperty("arguments").GetString()));

        string Arguments(int index) => string.Concat(calls.Where(c => c.GetProperty("index").GetInt32() == index)
            .Select(c => c.GetProperty("function").GetProperty("arguments").GetString()));
        Assert.Equal("{\"city\":\"Paris\"}", Arguments(0));
        Assert.Equal("{\"city\":\"Rome\"}", Arguments(1));
        Assert.Equal("tool_calls", FinishReason(client.ChoiceChunks[^1]));
        Assert.Equal(1, client.DoneCount);
    }

    [Fact]
    public void ToolCallWithoutAddedEventOrDeltas_SentWholeFromOutputItemDone()
    {
        var client = Run("""
            data: {"type":"response.created","response":{"id":"resp_x","created_at":1}}
            data: {"type":"response.output_item.done","output_index":0,"item":{"id":"fc_1","type":"function_call","arguments":"{\"a\":1}","call_id":"call_1","name":"f"}}
            data: {"type":"response.completed","response":{"id":"resp_x","status":"completed"}}
            """);

        var call = Assert.Single(client.Deltas, d => d.TryGetProperty("tool_calls", out _)).GetProperty("tool_calls")[0];
        Assert.Equal("call_1", call.GetProperty("id").GetString());
        Assert.Equal("{\"a\":1}", call.GetProperty("function").GetProperty("arguments").GetString());
        Assert.Equal("tool_calls", FinishReason(client.ChoiceChunks[^1]));
    }

    [Fact]
    public void ArgumentsOnlyInDoneEvent_SentOnce()
    {
        var client = Run("""
            data: {"type":"response.output_item.added","output_index":0,"item":{"id":"fc_1","type":"function_call","arguments":"","call_id":"call_1","name":"f"}}
            data: {"type":"response.function_call_arguments.done","item_id":"fc_1","output_index":0,"arguments":"{\"a\":1}"}
            data: {"type":"response.output_item.done","output_index":0,"item":{"id":"fc_1","type":"function_call","arguments":"{\"a\":1}","call_id":"call_1","name":"f"}}
            data: {"type":"response.completed","response":{"status":"completed"}}
            """);

        var arguments = client.Deltas.Where(d => d.TryGetProperty("tool_calls", out _))
            .Select(d => d.GetProperty("tool_calls")[0].GetProperty("function").GetProperty("arguments").GetString());
        Assert.Equal("{\"a\":1}", string.Concat(arguments));
    }

    [Fact]
    public void Incomplete_MaxOutputTokens_FinishesWithLength()
    {
        var client = Run("""
            data: {"type":"response.created","response":{"id":"resp_x","created_at":1}}
            data: {"type":"response.output_text.delta","item_id":"m","output_index":0,"delta":"partial"}
            data: {"type":"response.incomplete","response":{"id":"resp_x","status":"incomplete","incomplete_details":{"reason":"max_output_tokens"},"usage":{"input_tokens":5,"output_tokens":16}}}
            """, includeUsage: true);

        Assert.Equal("partial", client.Concat("content"));
        Assert.Equal("length", FinishReason(client.ChoiceChunks[^1]));
        Assert.Equal(16, client.Events[^1].GetProperty("usage").GetProperty("completion_tokens").GetInt64());
        Assert.Equal(1, client.DoneCount);
    }

    [Fact]
    public void ResponseFailed_OneErrorEventThenDone_NothingAfter()
    {
        var client = Run("""
            data: {"type":"response.created","response":{"id":"resp_x","created_at":1}}
            data: {"type":"response.output_text.delta","item_id":"m","output_index":0,"delta":"Hel"}
            data: {"type":"response.failed","response":{"id":"resp_x","status":"failed","error":{"code":"server_error","message":"The model crashed."}}}
            data: {"type":"response.output_text.delta","item_id":"m","output_index":0,"delta":"lo"}
            """, includeUsage: true);

        Assert.Equal(["[DONE]"], client.Payloads.Skip(client.Payloads.Count - 1));
        var error = client.Events[^1].GetProperty("error");
        Assert.Equal("server_error", error.GetProperty("type").GetString());
        Assert.Equal("The model crashed.", error.GetProperty("message").GetString());
        Assert.Equal("server_error", error.GetProperty("code").GetString());
        Assert.Equal("Hel", client.Concat("content"));
        Assert.DoesNotContain(client.Events, e => e.TryGetProperty("usage", out _));
        Assert.DoesNotContain(client.ChoiceChunks, c => FinishReason(c) is not null);
        Assert.Equal(1, client.DoneCount);
    }

    [Fact]
    public void ErrorEvent_FlatShape_CodeAndMessageCarried_TypeDefaults()
    {
        var client = Run("""
            event: error
            data: {"type":"error","code":"rate_limit_exceeded","message":"Slow down.","param":null,"sequence_number":3}
            """);

        var error = Assert.Single(client.Events).GetProperty("error");
        Assert.Equal("server_error", error.GetProperty("type").GetString());
        Assert.Equal("rate_limit_exceeded", error.GetProperty("code").GetString());
        Assert.Equal("Slow down.", error.GetProperty("message").GetString());
        Assert.Equal(1, client.DoneCount);
    }

    [Fact]
    public void ErrorEvent_NestedShape_TypeTaken()
    {
        var client = Run("""
            data: {"type":"error","error":{"type":"invalid_request_error","code":null,"message":"Bad input."}}
            """);

        var error = Assert.Single(client.Events).GetProperty("error");
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal(JsonValueKind.Null, error.GetProperty("code").ValueKind);
        Assert.Equal("Bad input.", error.GetProperty("message").GetString());
    }

    [Fact]
    public void Complete_IsIdempotent_AndWritesNothingAfterATerminalEvent()
    {
        var stream = new ResponsesToChatStream(ClientModel, includeUsage: true);
        var output = new ArrayBufferWriter<byte>();
        foreach (var line in Lines(CodexTextStream))
        {
            stream.OnLine(line, output);
        }
        var afterTerminal = output.WrittenCount;
        stream.Complete(output);
        stream.Complete(output);
        stream.OnLine("""data: {"type":"response.output_text.delta","delta":"late"}"""u8, output);

        Assert.Equal(afterTerminal, output.WrittenCount);
        Assert.Equal(1, Parse(output).DoneCount);
    }

    [Fact]
    public void Complete_StreamCutBeforeTerminalEvent_ClosesWithFinishUsageAndDone_Once()
    {
        var stream = new ResponsesToChatStream(ClientModel, includeUsage: true);
        var output = new ArrayBufferWriter<byte>();
        stream.OnLine("""data: {"type":"response.created","response":{"id":"resp_cut","created_at":5}}"""u8, output);
        stream.OnLine("""data: {"type":"response.output_text.delta","delta":"half"}"""u8, output);
        stream.Complete(output);
        var written = output.WrittenCount;
        stream.Complete(output);

        Assert.Equal(written, output.WrittenCount);
        var client = Parse(output);
        Assert.Equal("half", client.Concat("content"));
        Assert.Equal("stop", FinishReason(client.ChoiceChunks[^1]));
        Assert.Equal(0, client.Events[^1].GetProperty("usage").GetProperty("total_tokens").GetInt64());
        Assert.Equal(["[DONE]"], client.Payloads.TakeLast(1));
    }

    [Fact]
    public void NonDataLines_WriteNothing()
    {
        var stream = new ResponsesToChatStream(ClientModel, includeUsage: false);
        var output = new ArrayBufferWriter<byte>();
        stream.OnLine("event: response.output_text.delta"u8, output);
        stream.OnLine(""u8, output);
        stream.OnLine("\r"u8, output);
        stream.OnLine(": ping"u8, output);
        stream.OnLine("data: "u8, output);
        stream.OnLine("data: not json"u8, output);
        stream.OnLine("data: [DONE]"u8, output);
        stream.OnLine("""data: {"type":"response.content_part.added","item_id":"m","part":{"type":"output_text","text":""}}"""u8, output);

        Assert.Equal(0, output.WrittenCount);
    }

    [Fact]
    public void CrlfLinesAndDataWithoutSpace_Understood()
    {
        var stream = new ResponsesToChatStream(ClientModel, includeUsage: false);
        var output = new ArrayBufferWriter<byte>();
        stream.OnLine("data:{\"type\":\"response.created\",\"response\":{\"id\":\"resp_crlf\",\"created_at\":9}}\r"u8, output);
        stream.OnLine("data: {\"type\":\"response.output_text.delta\",\"delta\":\"ok\"}\r"u8, output);
        stream.OnLine("data: {\"type\":\"response.completed\",\"response\":{\"status\":\"completed\"}}\r"u8, output);

        var client = Parse(output);
        Assert.Equal("ok", client.Concat("content"));
        Assert.Equal("chatcmpl-crlf", client.Events[0].GetProperty("id").GetString());
        Assert.Equal(1, client.DoneCount);
    }

    [Fact]
    public void NoCreatedEvent_StillOneIdForTheWholeStream()
    {
        var client = Run("""
            data: {"type":"response.output_text.delta","delta":"a"}
            data: {"type":"response.output_text.delta","delta":"b"}
            data: {"type":"response.completed","response":{"id":"resp_late","status":"completed"}}
            """);

        var ids = client.Events.Select(e => e.GetProperty("id").GetString()).Distinct().ToList();
        var id = Assert.Single(ids);
        Assert.StartsWith("chatcmpl-", id, StringComparison.Ordinal);
        Assert.Equal("ab", client.Concat("content"));
        Assert.Equal("assistant", client.Deltas[0].GetProperty("role").GetString());
    }

    [Fact]
    public void RawReasoningTextDeltas_BecomeReasoningContent()
    {
        var client = Run("""
            data: {"type":"response.reasoning_text.delta","item_id":"rs","output_index":0,"content_index":0,"delta":"think"}
            data: {"type":"response.reasoning_text.delta","item_id":"rs","output_index":0,"content_index":0,"delta":"ing"}
            data: {"type":"response.completed","response":{"status":"completed"}}
            """);

        Assert.Equal("thinking", client.Concat("reasoning_content"));
    }
}
