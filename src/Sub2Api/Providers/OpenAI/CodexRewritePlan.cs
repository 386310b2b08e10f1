namespace Sub2Api.Providers.OpenAI;

/// <summary>What <see cref="CodexBodyRewriter"/> sets in a ChatGPT OAuth account's body.</summary>
/// <param name="Model">The Codex model to send (<see cref="CodexModels.Normalize"/> of the requested one, after the
/// account's model mapping).</param>
/// <param name="ReasoningEffort">The effort taken from the model's suffix (gpt-5.1-codex-high → "high"); set as
/// <c>reasoning.effort</c> only when the client did not send one.</param>
internal sealed record CodexRewritePlan(string Model, string? ReasoningEffort)
{
    /// <summary>The plan for a requested (already account-mapped) model id.</summary>
    public static CodexRewritePlan For(string requestedModel)
    {
        var (model, effort) = CodexModels.Split(requestedModel);
        return new CodexRewritePlan(model, effort);
    }
}
