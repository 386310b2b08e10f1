using System.Text.Json;
using Sub2Api.FuzzTests.Generation;

namespace Sub2Api.FuzzTests.Checking;

/// <summary>What every answer must be, whatever was sent: never a 5xx, errors in the route family's shape, and JSON when it says JSON.</summary>
internal static class ResponseChecker
{
    /// <summary>The problem with this answer, or null when it is fine.</summary>
    public static string? Check(FuzzCase sent, int status, string? contentType, byte[] body)
    {
        if (status >= 500)
        {
            return "5xx";
        }
        if (status >= 400)
        {
            var root = Parse(body);
            var anthropic = root is { } a && IsAnthropicError(a);
            var envelope = root is { } e && IsEnvelopeError(e);
            var openAI = root is { } o && IsOpenAIError(o);
            return sent.Family switch
            {
                RouteFamily.Gateway when sent.OpenAIRoute => openAI ? null : "error not in OpenAI's shape",
                RouteFamily.Gateway when sent.EitherErrorShape => anthropic || envelope ? null : "error in neither shape",
                RouteFamily.Gateway => anthropic ? null : "error not in Anthropic's shape",
                RouteFamily.Management => envelope ? null : "error not in the envelope shape",
                _ => null,
            };
        }
        if (contentType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true && Parse(body) is null)
        {
            return "declared JSON, body is not";
        }
        return null;
    }

    /// <summary><c>{"type":"error","error":{"type":string,"message":string}}</c>.</summary>
    private static bool IsAnthropicError(JsonElement root) =>
        root.ValueKind == JsonValueKind.Object
        && root.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() == "error"
        && root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object
        && error.TryGetProperty("type", out var errorType) && errorType.ValueKind == JsonValueKind.String
        && error.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String;

    /// <summary><c>{"error":{"type":string,"message":string,…}}</c>.</summary>
    private static bool IsOpenAIError(JsonElement root) =>
        root.ValueKind == JsonValueKind.Object
        && root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object
        && error.TryGetProperty("type", out var errorType) && errorType.ValueKind == JsonValueKind.String
        && error.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String;

    /// <summary><c>{"code":number,"message":string,…}</c> with a non-zero code.</summary>
    private static bool IsEnvelopeError(JsonElement root) =>
        root.ValueKind == JsonValueKind.Object
        && root.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.Number && code.GetRawText() != "0"
        && root.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String;

    private static JsonElement? Parse(byte[] body)
    {
        if (body.Length == 0)
        {
            return null;
        }
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
