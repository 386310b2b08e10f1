namespace Sub2Api.Billing;

/// <summary>Section "Billing".</summary>
internal sealed class BillingOptions
{
    public const string Section = "Billing";

    /// <summary>
    /// LiteLLM-format price file to download at start and every <see cref="PricingRefreshHours"/>
    /// (e.g. the claude-relay-service price mirror). Unset: the built-in table only, no network access.
    /// </summary>
    public string? PricingUrl { get; set; }

    public int PricingRefreshHours { get; set; } = 24;
}
