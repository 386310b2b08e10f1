namespace Sub2Api.Providers.OpenAI;

/// <summary>Where OpenAI accounts are served (section <c>Gateway:OpenAI</c>).</summary>
internal sealed class OpenAIUpstreamOptions
{
    public const string Section = "Gateway:OpenAI";

    /// <summary>API-key accounts without their own <c>base_url</c>: <c>{BaseUrl}/v1/responses</c>, <c>…/v1/chat/completions</c>.</summary>
    public string BaseUrl { get; set; } = "https://api.openai.com";

    /// <summary>ChatGPT (Codex) OAuth accounts: <c>{CodexBaseUrl}/responses</c>.</summary>
    public string CodexBaseUrl { get; set; } = "https://chatgpt.com/backend-api/codex";
}
