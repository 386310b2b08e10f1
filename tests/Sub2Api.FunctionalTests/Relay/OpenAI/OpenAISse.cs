using System.Text.Json.Nodes;

namespace Sub2Api.FunctionalTests.Relay.OpenAI;

/// <summary>Reads an SSE body the way OpenAI clients do: one JSON payload per <c>data:</c> line.</summary>
internal static class OpenAISse
{
    /// <summary>The <c>data:</c> payloads in order (<c>[DONE]</c> included as the raw string).</summary>
    public static IReadOnlyList<string> DataLines(string body) =>
        [.. body.Split('\n').Where(line => line.StartsWith("data:", StringComparison.Ordinal)).Select(line => line["data:".Length..].Trim())];

    /// <summary>The JSON payloads (every <c>data:</c> line but <c>[DONE]</c> and pings).</summary>
    public static IReadOnlyList<JsonObject> Events(string body) =>
        [.. DataLines(body).Where(d => d.StartsWith('{')).Select(d => JsonNode.Parse(d)!.AsObject())];

    public static string TypeOf(JsonObject payload) => payload["type"]?.GetValue<string>() ?? "";

    /// <summary>The text of a Responses stream: its <c>response.output_text.delta</c>s joined.</summary>
    public static string ResponsesText(string body) =>
        string.Concat(Events(body).Where(e => TypeOf(e) == "response.output_text.delta").Select(e => e["delta"]!.GetValue<string>()));

    /// <summary>The text of a Chat Completions stream: its <c>choices[0].delta.content</c>s joined.</summary>
    public static string ChatText(string body) =>
        string.Concat(Events(body).Select(e => e["choices"] is JsonArray { Count: > 0 } choices
            ? choices[0]!["delta"]?["content"]?.GetValue<string>() ?? "" : ""));

    /// <summary>The text of a Responses object: its message items' <c>output_text</c> parts joined.</summary>
    public static string ResponseObjectText(JsonNode response) =>
        string.Concat((response["output"] as JsonArray ?? [])
            .Where(item => item?["type"]?.GetValue<string>() == "message")
            .SelectMany(item => item!["content"] as JsonArray ?? [])
            .Where(part => part?["type"]?.GetValue<string>() == "output_text")
            .Select(part => part!["text"]!.GetValue<string>()));
}
