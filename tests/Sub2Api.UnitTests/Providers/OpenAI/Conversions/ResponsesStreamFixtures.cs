using System.Text;

namespace Sub2Api.UnitTests.Providers.OpenAI.Conversions;

/// <summary>
/// Responses SSE streams shaped like the ChatGPT (Codex) backend's: event lines, sequence numbers, a reasoning
/// item with encrypted content and a two-part summary, content_part bookkeeping events the converter must skip.
/// </summary>
internal static class ResponsesStreamFixtures
{
    /// <summary>The text <see cref="CodexTextStream"/> streams (its deltas concatenated).</summary>
    public const string CodexText = "Hello, \"world\" 你好!\nSecond line 🚀.";

    public const string CodexReasoning = "**Greeting**\n\nThe user wants a hello.\n\n**Answer**";

    public const string CodexTextStream = """
        event: response.created
        data: {"type":"response.created","sequence_number":0,"response":{"id":"resp_68f0a1b2c3","object":"response","created_at":1765090000,"status":"in_progress","model":"gpt-5-codex","output":[],"usage":null}}

        event: response.in_progress
        data: {"type":"response.in_progress","sequence_number":1,"response":{"id":"resp_68f0a1b2c3","object":"response","created_at":1765090000,"status":"in_progress","model":"gpt-5-codex","output":[],"usage":null}}

        : keep-alive

        event: response.output_item.added
        data: {"type":"response.output_item.added","sequence_number":2,"output_index":0,"item":{"id":"rs_01","type":"reasoning","encrypted_content":"gAAAAABo-secret","summary":[]}}

        event: response.reasoning_summary_part.added
        data: {"type":"response.reasoning_summary_part.added","sequence_number":3,"item_id":"rs_01","output_index":0,"summary_index":0,"part":{"type":"summary_text","text":""}}

        event: response.reasoning_summary_text.delta
        data: {"type":"response.reasoning_summary_text.delta","sequence_number":4,"item_id":"rs_01","output_index":0,"summary_index":0,"delta":"**Greeting**\n\nThe user"}

        event: response.reasoning_summary_text.delta
        data: {"type":"response.reasoning_summary_text.delta","sequence_number":5,"item_id":"rs_01","output_index":0,"summary_index":0,"delta":" wants a hello."}

        event: response.reasoning_summary_text.done
        data: {"type":"response.reasoning_summary_text.done","sequence_number":6,"item_id":"rs_01","output_index":0,"summary_index":0,"text":"**Greeting**\n\nThe user wants a hello."}

        event: response.reasoning_summary_part.added
        data: {"type":"response.reasoning_summary_part.added","sequence_number":7,"item_id":"rs_01","output_index":0,"summary_index":1,"part":{"type":"summary_text","text":""}}

        event: response.reasoning_summary_text.delta
        data: {"type":"response.reasoning_summary_text.delta","sequence_number":8,"item_id":"rs_01","output_index":0,"summary_index":1,"delta":"**Answer**"}

        event: response.output_item.done
        data: {"type":"response.output_item.done","sequence_number":9,"output_index":0,"item":{"id":"rs_01","type":"reasoning","encrypted_content":"gAAAAABo-secret","summary":[{"type":"summary_text","text":"**Greeting**\n\nThe user wants a hello."},{"type":"summary_text","text":"**Answer**"}]}}

        event: response.output_item.added
        data: {"type":"response.output_item.added","sequence_number":10,"output_index":1,"item":{"id":"msg_01","type":"message","status":"in_progress","content":[],"role":"assistant"}}

        event: response.content_part.added
        data: {"type":"response.content_part.added","sequence_number":11,"item_id":"msg_01","output_index":1,"content_index":0,"part":{"type":"output_text","annotations":[],"logprobs":[],"text":""}}

        event: response.output_text.delta
        data: {"type":"response.output_text.delta","sequence_number":12,"item_id":"msg_01","output_index":1,"content_index":0,"delta":"Hello","logprobs":[]}

        event: response.output_text.delta
        data: {"type":"response.output_text.delta","sequence_number":13,"item_id":"msg_01","output_index":1,"content_index":0,"delta":", \"world\" \u4f60\u597d!","logprobs":[]}

        event: response.output_text.delta
        data: {"type":"response.output_text.delta","sequence_number":14,"item_id":"msg_01","output_index":1,"content_index":0,"delta":"\nSecond line 🚀.","logprobs":[]}

        event: response.output_text.done
        data: {"type":"response.output_text.done","sequence_number":15,"item_id":"msg_01","output_index":1,"content_index":0,"text":"Hello, \"world\" 你好!\nSecond line 🚀.","logprobs":[]}

        event: response.content_part.done
        data: {"type":"response.content_part.done","sequence_number":16,"item_id":"msg_01","output_index":1,"content_index":0,"part":{"type":"output_text","annotations":[],"logprobs":[],"text":"Hello, \"world\" 你好!\nSecond line 🚀."}}

        event: response.output_item.done
        data: {"type":"response.output_item.done","sequence_number":17,"output_index":1,"item":{"id":"msg_01","type":"message","status":"completed","content":[{"type":"output_text","annotations":[],"logprobs":[],"text":"Hello, \"world\" 你好!\nSecond line 🚀."}],"role":"assistant"}}

        event: response.completed
        data: {"type":"response.completed","sequence_number":18,"response":{"id":"resp_68f0a1b2c3","object":"response","created_at":1765090000,"status":"completed","model":"gpt-5-codex","output":[],"usage":{"input_tokens":1200,"input_tokens_details":{"cached_tokens":1024},"output_tokens":90,"output_tokens_details":{"reasoning_tokens":64},"total_tokens":1290}}}


        """;

    /// <summary>Two parallel function calls whose argument deltas interleave.</summary>
    public const string ParallelToolCallStream = """
        event: response.created
        data: {"type":"response.created","sequence_number":0,"response":{"id":"resp_tools","created_at":1765090100,"status":"in_progress","output":[]}}

        event: response.output_item.added
        data: {"type":"response.output_item.added","sequence_number":1,"output_index":0,"item":{"id":"fc_a","type":"function_call","status":"in_progress","arguments":"","call_id":"call_paris","name":"weather"}}

        event: response.function_call_arguments.delta
        data: {"type":"response.function_call_arguments.delta","sequence_number":2,"item_id":"fc_a","output_index":0,"delta":"{\"city\":"}

        event: response.output_item.added
        data: {"type":"response.output_item.added","sequence_number":3,"output_index":1,"item":{"id":"fc_b","type":"function_call","status":"in_progress","arguments":"","call_id":"call_rome","name":"weather"}}

        event: response.function_call_arguments.delta
        data: {"type":"response.function_call_arguments.delta","sequence_number":4,"item_id":"fc_b","output_index":1,"delta":"{\"city\":\"Rome\"}"}

        event: response.function_call_arguments.delta
        data: {"type":"response.function_call_arguments.delta","sequence_number":5,"item_id":"fc_a","output_index":0,"delta":"\"Paris\"}"}

        event: response.function_call_arguments.done
        data: {"type":"response.function_call_arguments.done","sequence_number":6,"item_id":"fc_a","output_index":0,"arguments":"{\"city\":\"Paris\"}"}

        event: response.output_item.done
        data: {"type":"response.output_item.done","sequence_number":7,"output_index":0,"item":{"id":"fc_a","type":"function_call","status":"completed","arguments":"{\"city\":\"Paris\"}","call_id":"call_paris","name":"weather"}}

        event: response.function_call_arguments.done
        data: {"type":"response.function_call_arguments.done","sequence_number":8,"item_id":"fc_b","output_index":1,"arguments":"{\"city\":\"Rome\"}"}

        event: response.output_item.done
        data: {"type":"response.output_item.done","sequence_number":9,"output_index":1,"item":{"id":"fc_b","type":"function_call","status":"completed","arguments":"{\"city\":\"Rome\"}","call_id":"call_rome","name":"weather"}}

        event: response.completed
        data: {"type":"response.completed","sequence_number":10,"response":{"id":"resp_tools","created_at":1765090100,"status":"completed","usage":{"input_tokens":300,"output_tokens":40,"total_tokens":340}}}


        """;

    /// <summary>The lines of a fixture as the relay hands them over: without their "\n".</summary>
    public static IEnumerable<byte[]> Lines(string sse) => sse.Split('\n').Select(Encoding.UTF8.GetBytes);
}
