using System.Buffers;
using System.Text;
using System.Text.Json;
using Sub2Api.Relay;

namespace Sub2Api.Providers.Anthropic;

/// <summary>Upstream error policy of the Anthropic relay (SPEC §4.4), ported from GatewayService.</summary>
internal static class AnthropicErrors
{
    // Compatibility 400s (beta headers, thinking/tool constraints) that another account or route may accept.
    private static readonly string[] FailoverOn400Keywords =
    [
        "anthropic-beta", "beta feature", "requires beta",
        "thinking", "thought_signature", "signature",
        "tool_use", "tool_result", "tools",
    ];

    /// <summary>
    /// 2xx None; 400 BadRequest; 401 AuthRejected; 403 Forbidden; 429 RateLimited; 529 Overloaded; other
    /// ≥500 ServerError; everything else (other 4xx, and stray 1xx/3xx, which are no usable answer either)
    /// OtherClientError.
    /// </summary>
    public static UpstreamFailure Classify(int status) => status switch
    {
        >= 200 and < 300 => UpstreamFailure.None,
        400 => UpstreamFailure.BadRequest,
        401 => UpstreamFailure.AuthRejected,
        403 => UpstreamFailure.Forbidden,
        429 => UpstreamFailure.RateLimited,
        529 => UpstreamFailure.Overloaded,
        >= 500 => UpstreamFailure.ServerError,
        _ => UpstreamFailure.OtherClientError,
    };

    /// <summary>shouldFailoverUpstreamError: 401/403/429/529/≥500, an SSE error event, and transport failures.</summary>
    public static bool CanFailOver(UpstreamFailure failure) => UpstreamFailures.CanFailOver(failure);

    /// <summary>Whether a 400 looks like a compatibility difference (only used with gateway.failover_on_400).</summary>
    public static bool ShouldFailoverOn400(ReadOnlySpan<byte> body)
    {
        var message = ExtractMessage(body).Trim();
        if (message.Length == 0)
        {
            return false;
        }

        message = message.ToLowerInvariant();
        foreach (var keyword in FailoverOn400Keywords)
        {
            if (message.Contains(keyword, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// extractUpstreamErrorMessage: Claude-style <c>error.message</c> (unwrapping upstreams that put a whole
    /// JSON error document into that string), else the top-level <c>message</c>, else "".
    /// </summary>
    public static string ExtractMessage(ReadOnlySpan<byte> body)
    {
        var message = AnthropicResponseJson.GetText(body, "error"u8, "message"u8);
        if (string.IsNullOrWhiteSpace(message))
        {
            return AnthropicResponseJson.GetText(body, "message"u8);
        }

        var inner = message.Trim();
        if (inner.StartsWith('{'))
        {
            var nested = AnthropicResponseJson.GetText(Encoding.UTF8.GetBytes(inner), "error"u8, "message"u8);
            if (!string.IsNullOrWhiteSpace(nested))
            {
                return nested;
            }
        }

        return message;
    }

    /// <summary>
    /// Same-account retry (shouldRetryUpstreamError): OAuth/setup-token accounts retry only 403. API-key accounts
    /// retry ≥400 statuses other than 400 that their custom error-code list does not claim; with custom codes
    /// disabled every status is "handled" (failover or error), so nothing is retried.
    /// </summary>
    public static bool ShouldRetrySameAccount(
        bool isOAuth, int status, bool customErrorCodesEnabled, IReadOnlyCollection<int> customErrorCodes)
    {
        ArgumentNullException.ThrowIfNull(customErrorCodes);
        if (isOAuth)
        {
            return status == 403;
        }

        return status >= 400 && status != 400 && customErrorCodesEnabled && !customErrorCodes.Contains(status);
    }

    /// <summary>The client-facing error for an upstream status that is not passed through (SPEC §4.4 table).</summary>
    public static (int Status, string Type, string Message) MapForClient(int upstreamStatus) => upstreamStatus switch
    {
        401 => (502, "upstream_error", "Upstream authentication failed, please contact administrator"),
        403 => (502, "upstream_error", "Upstream access forbidden, please contact administrator"),
        429 => (429, "rate_limit_error", "Upstream rate limit exceeded, please retry later"),
        529 => (503, "overloaded_error", "Upstream service overloaded, please retry later"),
        500 or 502 or 503 or 504 => (502, "upstream_error", "Upstream service temporarily unavailable"),
        _ => (502, "upstream_error", "Upstream request failed"),
    };

    /// <summary><c>{"type":"error","error":{"type":…,"message":…}}</c> as UTF-8.</summary>
    public static byte[] Json(string type, string message)
    {
        var buffer = new ArrayBufferWriter<byte>(96 + message.Length);
        WriteJson(buffer, type, message);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The same error as one SSE event: <c>event: error\ndata: {…}\n\n</c>.</summary>
    public static byte[] SseEvent(string type, string message)
    {
        var buffer = new ArrayBufferWriter<byte>(128 + message.Length);
        buffer.Write("event: error\ndata: "u8);
        WriteJson(buffer, type, message);
        buffer.Write("\n\n"u8);
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteJson(ArrayBufferWriter<byte> buffer, string type, string message)
    {
        using var writer = new Utf8JsonWriter(buffer);
        writer.WriteStartObject();
        writer.WriteString("type"u8, "error"u8);
        writer.WriteStartObject("error"u8);
        writer.WriteString("type"u8, type);
        writer.WriteString("message"u8, message);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}
