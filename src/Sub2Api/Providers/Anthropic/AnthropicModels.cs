using Sub2Api.Common;

namespace Sub2Api.Providers.Anthropic;

/// <summary>The Claude models offered when no account of a key's group names its own (through its model mapping).</summary>
internal static class AnthropicModels
{
    public static readonly string[] Defaults =
        ["claude-opus-4-5-20251101", "claude-opus-4-6", "claude-sonnet-4-5-20250929", "claude-haiku-4-5-20251001"];

    /// <summary><c>GET /v1/models</c> in Anthropic's list shape.</summary>
    public static Task WriteListAsync(HttpContext context, IReadOnlyList<string> mappedModels)
    {
        IReadOnlyList<string> ids = mappedModels.Count > 0 ? mappedModels : Defaults;
        const string created = "2025-01-01T00:00:00Z";
        var data = ids.Select(id => new { id, type = "model", display_name = id, created_at = created }).ToList();
        return context.Response.WriteAsJsonAsync(new { @object = "list", data, has_more = false, first_id = ids[0], last_id = ids[^1] },
            JsonDefaults.Verbatim);
    }
}
