using System.Text;

namespace Sub2Api.UnitTests.Providers.Anthropic;

/// <summary>
/// Recorded SSE streams, one per upstream quirk. They live here as raw string literals rather than as
/// Fixtures/anthropic/*.sse files because this agent may not edit the test csproj (which would need a
/// <c>&lt;None Include="Fixtures/**" CopyToOutputDirectory="PreserveNewest" /&gt;</c> item).
/// Literals use \n line endings; <see cref="ClaudeStreamCrlf"/> converts one to \r\n.
/// </summary>
internal static class AnthropicSseFixtures
{
    public const string UpstreamModel = "claude-sonnet-4-5-20250929";

    /// <summary>A normal Claude stream: cache split in message_start, ping, deltas, message_delta, message_stop.</summary>
    public const string ClaudeStream = """
        event: message_start
        data: {"type":"message_start","message":{"id":"msg_01XFDUDYJgAACzvnptvVoYEL","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":25,"cache_creation_input_tokens":1200,"cache_read_input_tokens":3400,"cache_creation":{"ephemeral_5m_input_tokens":200,"ephemeral_1h_input_tokens":1000},"output_tokens":1,"service_tier":"standard"}}}

        event: content_block_start
        data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

        event: ping
        data: {"type": "ping"}

        event: content_block_delta
        data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello"}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":", \"world\" \u4f60\u597d"}}

        event: content_block_stop
        data: {"type":"content_block_stop","index":0}

        event: message_delta
        data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":15}}

        event: message_stop
        data: {"type":"message_stop"}


        """;

    /// <summary>GLM-style: message_start reports zeros, everything arrives in message_delta.</summary>
    public const string GlmUsageInDelta = """
        event: message_start
        data: {"type":"message_start","message":{"id":"msg_glm","type":"message","role":"assistant","model":"glm-4.6","content":[],"usage":{"input_tokens":0,"output_tokens":0}}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"}}

        event: message_delta
        data: {"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"input_tokens":120,"output_tokens":42,"cache_read_input_tokens":30}}

        event: message_stop
        data: {"type":"message_stop"}


        """;

    /// <summary>An upstream that writes "data:" and "event:" without the space after the colon.</summary>
    public const string NoSpaceAfterColon = """
        event:message_start
        data:{"type":"message_start","message":{"model":"claude-sonnet-4-5-20250929","usage":{"input_tokens":7,"cache_creation_input_tokens":0,"cache_read_input_tokens":5,"output_tokens":1}}}

        event:content_block_delta
        data:{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"x"}}

        event:message_delta
        data:{"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":3}}

        event:message_stop
        data:{"type":"message_stop"}


        """;

    /// <summary>An overloaded error event in the middle of a stream.</summary>
    public const string ErrorMidStream = """
        event: message_start
        data: {"type":"message_start","message":{"model":"claude-sonnet-4-5-20250929","usage":{"input_tokens":11,"output_tokens":1}}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"par"}}

        event: error
        data: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}


        """;

    public const string ErrorEventPayload = """{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}""";

    /// <summary>Only the message_start line of <see cref="ClaudeStream"/> (the one a model mapping rewrites).</summary>
    public static string MessageStartLine => ClaudeStream.Split('\n')[1];

    /// <summary><see cref="ClaudeStream"/> with \r\n line endings.</summary>
    public static string ClaudeStreamCrlf => ClaudeStream.ReplaceLineEndings("\r\n");

    /// <summary>Lines as a relay's line splitter yields them: split on \n, a trailing \r removed unless kept.</summary>
    public static List<byte[]> Lines(string stream, bool keepCarriageReturn = false)
    {
        var lines = new List<byte[]>();
        var bytes = Encoding.UTF8.GetBytes(stream);
        var rest = bytes.AsSpan();
        while (rest.IndexOf((byte)'\n') is var newline and >= 0)
        {
            var line = rest[..newline];
            if (!keepCarriageReturn && line.EndsWith("\r"u8))
            {
                line = line[..^1];
            }

            lines.Add(line.ToArray());
            rest = rest[(newline + 1)..];
        }

        return lines;
    }
}
