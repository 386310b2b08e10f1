using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sub2Api.FunctionalTests.Infrastructure;

/// <summary>
/// The bodies <see cref="FakeOpenAIUpstream"/> answers with: Responses objects and their SSE events, Chat Completions
/// objects and chunks, compaction results and the Codex model catalog. Every answer reports the same usage (the
/// constants on <see cref="FakeOpenAIUpstream"/>) so billing can be asserted exactly.
/// </summary>
internal static class FakeOpenAIPayloads
{
    private static long Now => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    public static JsonObject ResponsesUsage() => new()
    {
        ["input_tokens"] = FakeOpenAIUpstream.InputTokens,
        ["input_tokens_details"] = new JsonObject { ["cached_tokens"] = FakeOpenAIUpstream.CachedTokens },
        ["output_tokens"] = FakeOpenAIUpstream.OutputTokens,
        ["output_tokens_details"] = new JsonObject { ["reasoning_tokens"] = FakeOpenAIUpstream.ReasoningTokens },
        ["total_tokens"] = FakeOpenAIUpstream.TotalTokens,
    };

    public static JsonObject ChatUsage() => new()
    {
        ["prompt_tokens"] = FakeOpenAIUpstream.InputTokens,
        ["completion_tokens"] = FakeOpenAIUpstream.OutputTokens,
        ["total_tokens"] = FakeOpenAIUpstream.TotalTokens,
        ["prompt_tokens_details"] = new JsonObject { ["cached_tokens"] = FakeOpenAIUpstream.CachedTokens },
        ["completion_tokens_details"] = new JsonObject { ["reasoning_tokens"] = FakeOpenAIUpstream.ReasoningTokens },
    };

    public static JsonObject MessageItem(string id, string status, string text) => new()
    {
        ["id"] = id,
        ["type"] = "message",
        ["status"] = status,
        ["role"] = "assistant",
        ["content"] = status == "completed" ? new JsonArray(OutputText(text)) : new JsonArray(),
    };

    private static JsonObject OutputText(string text) => new() { ["type"] = "output_text", ["text"] = text, ["annotations"] = new JsonArray() };

    public static JsonObject FunctionCallItem(string id, string status, string arguments) => new()
    {
        ["id"] = id,
        ["type"] = "function_call",
        ["status"] = status,
        ["call_id"] = FakeOpenAIUpstream.FunctionCallId,
        ["name"] = FakeOpenAIUpstream.FunctionName,
        ["arguments"] = arguments,
    };

    /// <summary>A Responses API <c>response</c> object; <paramref name="output"/> null means "still running" (no usage yet).</summary>
    public static JsonObject Response(string id, string model, string status, JsonArray? output, JsonObject? error = null) => new()
    {
        ["id"] = id,
        ["object"] = "response",
        ["created_at"] = Now,
        ["status"] = status,
        ["error"] = error,
        ["incomplete_details"] = null,
        ["instructions"] = null,
        ["model"] = model,
        ["output"] = output ?? [],
        ["parallel_tool_calls"] = true,
        ["tool_choice"] = "auto",
        ["tools"] = new JsonArray(),
        ["store"] = false,
        ["usage"] = status == "completed" ? ResponsesUsage() : null,
    };

    /// <summary>The whole non-stream answer of <c>/responses</c>.</summary>
    public static string ResponseJson(string model, bool functionCall)
    {
        var output = functionCall
            ? new JsonArray(FunctionCallItem("fc_fake_1", "completed", FakeOpenAIUpstream.FunctionArguments))
            : new JsonArray(MessageItem("msg_fake_1", "completed", FakeOpenAIUpstream.ResponseText));
        return Response("resp_fake_" + Guid.NewGuid().ToString("N")[..12], model, "completed", output).ToJsonString();
    }

    /// <summary>
    /// The SSE events of a streamed <c>/responses</c> answer, in the order the real API (and Codex) uses; each with a
    /// <c>sequence_number</c>. <paramref name="failed"/>: <c>response.created</c> then <c>response.failed</c>.
    /// </summary>
    public static IEnumerable<string> ResponseEvents(string model, bool functionCall, bool failed)
    {
        var id = "resp_fake_" + Guid.NewGuid().ToString("N")[..12];
        var sequence = 0;
        string Event(string type, JsonObject data)
        {
            var payload = new JsonObject { ["type"] = type, ["sequence_number"] = sequence++ };
            foreach (var (key, value) in data)
            {
                payload[key] = value?.DeepClone();
            }
            return $"event: {type}\ndata: {payload.ToJsonString()}\n\n";
        }

        yield return Event("response.created", new JsonObject { ["response"] = Response(id, model, "in_progress", null) });
        if (failed)
        {
            var error = new JsonObject { ["code"] = "server_error", ["message"] = FakeOpenAIUpstream.FailedMessage };
            yield return Event("response.failed", new JsonObject { ["response"] = Response(id, model, "failed", null, error) });
            yield break;
        }
        yield return Event("response.in_progress", new JsonObject { ["response"] = Response(id, model, "in_progress", null) });
        if (functionCall)
        {
            const string itemId = "fc_fake_1";
            yield return Event("response.output_item.added", new JsonObject { ["output_index"] = 0, ["item"] = FunctionCallItem(itemId, "in_progress", "") });
            foreach (var piece in FakeOpenAIUpstream.FunctionArgumentDeltas)
            {
                yield return Event("response.function_call_arguments.delta", new JsonObject
                {
                    ["item_id"] = itemId, ["output_index"] = 0, ["delta"] = piece,
                });
            }
            yield return Event("response.function_call_arguments.done", new JsonObject
            {
                ["item_id"] = itemId, ["output_index"] = 0, ["arguments"] = FakeOpenAIUpstream.FunctionArguments,
            });
            var doneCall = FunctionCallItem(itemId, "completed", FakeOpenAIUpstream.FunctionArguments);
            yield return Event("response.output_item.done", new JsonObject { ["output_index"] = 0, ["item"] = doneCall });
            yield return Event("response.completed", new JsonObject { ["response"] = Response(id, model, "completed", [doneCall.DeepClone()]) });
            yield break;
        }
        const string messageId = "msg_fake_1";
        var part = new JsonObject { ["item_id"] = messageId, ["output_index"] = 0, ["content_index"] = 0 };
        JsonObject With(params (string Key, JsonNode? Value)[] extra)
        {
            var copy = part.DeepClone().AsObject();
            foreach (var (key, value) in extra)
            {
                copy[key] = value;
            }
            return copy;
        }
        yield return Event("response.output_item.added", new JsonObject { ["output_index"] = 0, ["item"] = MessageItem(messageId, "in_progress", "") });
        yield return Event("response.content_part.added", With(("part", OutputText(""))));
        foreach (var delta in FakeOpenAIUpstream.TextDeltas)
        {
            yield return Event("response.output_text.delta", With(("delta", delta), ("logprobs", new JsonArray())));
        }
        yield return Event("response.output_text.done", With(("text", FakeOpenAIUpstream.ResponseText), ("logprobs", new JsonArray())));
        yield return Event("response.content_part.done", With(("part", OutputText(FakeOpenAIUpstream.ResponseText))));
        var doneMessage = MessageItem(messageId, "completed", FakeOpenAIUpstream.ResponseText);
        yield return Event("response.output_item.done", new JsonObject { ["output_index"] = 0, ["item"] = doneMessage });
        yield return Event("response.completed", new JsonObject { ["response"] = Response(id, model, "completed", [doneMessage.DeepClone()]) });
    }

    /// <summary>
    /// The answer of <c>/responses/compact</c>: the conversation replaced by the user's first text and an opaque
    /// compaction item.
    /// </summary>
    public static string CompactJson(string model, JsonNode request)
    {
        var firstUserText = (request["input"] as JsonArray ?? [])
            .Where(item => item?["role"]?.GetValueKind() == JsonValueKind.String && item["role"]!.GetValue<string>() == "user")
            .SelectMany(item => item?["content"] is JsonArray parts ? parts : [])
            .Select(part => part?["text"]?.GetValueKind() == JsonValueKind.String ? part["text"]!.GetValue<string>() : null)
            .FirstOrDefault(text => text is not null) ?? "";
        return new JsonObject
        {
            ["id"] = "resp_compact_" + Guid.NewGuid().ToString("N")[..12],
            ["object"] = "response.compaction",
            ["created_at"] = Now,
            ["model"] = model,
            ["output"] = new JsonArray(
                new JsonObject
                {
                    ["type"] = "message",
                    ["role"] = "user",
                    ["content"] = new JsonArray(new JsonObject { ["type"] = "input_text", ["text"] = firstUserText }),
                },
                new JsonObject { ["type"] = "compaction", ["encrypted_content"] = FakeOpenAIUpstream.CompactionContent }),
            ["usage"] = ResponsesUsage(),
        }.ToJsonString();
    }

    public static string ChatCompletionJson(string model) => new JsonObject
    {
        ["id"] = "chatcmpl-fake" + Guid.NewGuid().ToString("N")[..12],
        ["object"] = "chat.completion",
        ["created"] = Now,
        ["model"] = model,
        ["choices"] = new JsonArray(new JsonObject
        {
            ["index"] = 0,
            ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = FakeOpenAIUpstream.ResponseText, ["refusal"] = null },
            ["logprobs"] = null,
            ["finish_reason"] = "stop",
        }),
        ["usage"] = ChatUsage(),
    }.ToJsonString();

    /// <summary>The <c>data:</c> lines of a streamed chat completion, the usage chunk only when asked for, then <c>[DONE]</c>.</summary>
    public static IEnumerable<string> ChatChunks(string model, bool includeUsage)
    {
        var id = "chatcmpl-fake" + Guid.NewGuid().ToString("N")[..12];
        var created = Now;
        string Chunk(JsonObject? delta, string? finishReason, bool usage = false)
        {
            var chunk = new JsonObject
            {
                ["id"] = id,
                ["object"] = "chat.completion.chunk",
                ["created"] = created,
                ["model"] = model,
                ["choices"] = delta is null ? new JsonArray() : new JsonArray(new JsonObject
                {
                    ["index"] = 0, ["delta"] = delta, ["logprobs"] = null, ["finish_reason"] = finishReason,
                }),
            };
            if (includeUsage)
            {
                // With include_usage every chunk carries "usage": null except the last one (as the real API does).
                chunk["usage"] = usage ? ChatUsage() : null;
            }
            return $"data: {chunk.ToJsonString()}\n\n";
        }

        yield return Chunk(new JsonObject { ["role"] = "assistant", ["content"] = "", ["refusal"] = null }, null);
        foreach (var delta in FakeOpenAIUpstream.TextDeltas)
        {
            yield return Chunk(new JsonObject { ["content"] = delta }, null);
        }
        yield return Chunk(new JsonObject(), "stop");
        if (includeUsage)
        {
            yield return Chunk(null, null, usage: true);
        }
        yield return "data: [DONE]\n\n";
    }

    /// <summary>
    /// <c>GET /v1/models</c>: the OpenAI list (<c>object</c>/<c>data</c>) and, in the same object, the Codex catalog
    /// (<c>models</c>) with the fields Codex 0.169 needs to decode an entry (fewer fields and it rejects the whole list).
    /// </summary>
    public static string ModelsJson(IEnumerable<string> models)
    {
        var ids = models.ToList();
        return new JsonObject
        {
            ["object"] = "list",
            ["data"] = new JsonArray([.. ids.Select(id => (JsonNode)new JsonObject
            {
                ["id"] = id, ["object"] = "model", ["created"] = 1_700_000_000, ["owned_by"] = "openai",
            })]),
            ["models"] = new JsonArray([.. ids.Select((id, index) => (JsonNode)CodexModelInfo(id, index))]),
        }.ToJsonString();
    }

    /// <summary>The smallest <c>ModelInfo</c> Codex 0.169 accepts (each of these keys is required by its decoder).</summary>
    public static JsonObject CodexModelInfo(string slug, int priority) => new()
    {
        ["slug"] = slug,
        ["display_name"] = slug,
        ["supported_reasoning_levels"] = new JsonArray(
            new JsonObject { ["effort"] = "low", ["description"] = "low" },
            new JsonObject { ["effort"] = "medium", ["description"] = "medium" },
            new JsonObject { ["effort"] = "high", ["description"] = "high" }),
        ["shell_type"] = "shell_command",
        ["visibility"] = "list",
        ["supported_in_api"] = true,
        ["priority"] = priority,
        ["base_instructions"] = "You are a coding agent.",
        ["support_verbosity"] = false,
        ["truncation_policy"] = new JsonObject { ["mode"] = "bytes", ["limit"] = 10_000 },
        ["experimental_supported_tools"] = new JsonArray(),
    };

    public static string Error(string type, string message, string? code = null, int? resetsInSeconds = null)
    {
        var error = new JsonObject { ["type"] = type, ["message"] = message, ["code"] = code, ["param"] = null };
        if (resetsInSeconds is { } seconds)
        {
            error["resets_in_seconds"] = seconds;
        }
        return new JsonObject { ["error"] = error }.ToJsonString();
    }
}
