using Sub2Api.Billing;

namespace Sub2Api.Providers.OpenAI;

/// <summary>Reads a Responses API <c>response</c> object (a JSON answer, or the object inside response.completed).</summary>
internal static class ResponsesJson
{
    /// <summary>The billed usage of a response object, or null when it has no usage object or is not JSON.</summary>
    public static TokenUsage? ReadUsage(ReadOnlySpan<byte> responseJson) => OpenAIUsageJson.Read(responseJson, OpenAIUsageNames.Responses);
}
