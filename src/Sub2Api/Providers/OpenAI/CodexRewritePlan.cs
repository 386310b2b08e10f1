namespace Sub2Api.Providers.OpenAI;

/// <summary>What <see cref="CodexBodyRewriter"/> sets in a ChatGPT OAuth account's body.</summary>
/// <param name="Model">The Codex model to send (<see cref="CodexModels.Normalize"/> of the requested one, after the
/// account's model mapping).</param>
/// <param name="ReasoningEffort">The effort taken from the model's suffix (gpt-5.1-codex-high → "high"); set as
/// <c>reasoning.effort</c> only when the client did not send one.</param>
/// <param name="Compact">The body goes to <c>/responses/compact</c> (Codex's remote compaction), which answers JSON
/// and takes no <c>store</c>, <c>stream</c> or <c>include</c>: those are then neither set nor added.</param>
internal sealed record CodexRewritePlan(string Model, string? ReasoningEffort, bool Compact = false)
{
    /// <summary>The plan for a requested (already account-mapped) model id.</summary>
    public static CodexRewritePlan For(string requestedModel, bool compact = false)
    {
        var (model, effort) = CodexModels.Split(requestedModel);
        return new CodexRewritePlan(model, effort, compact);
    }
}
