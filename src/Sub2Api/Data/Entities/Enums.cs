namespace Sub2Api.Data.Entities;

/// <summary>Wire values of the original's enums (SPEC §3.2). Stored and sent as these lower-case strings.</summary>
internal static class Platforms
{
    public const string Anthropic = "anthropic";
    public const string OpenAI = "openai";
    public const string Gemini = "gemini";
    public const string Antigravity = "antigravity";
    public static readonly string[] All = [Anthropic, OpenAI, Gemini, Antigravity];

    /// <summary>The platform of a key without a group (single-platform setups and simple mode).</summary>
    public const string Default = Anthropic;

    /// <summary>Whether an antigravity account with mixed scheduling on may serve a group of this platform.</summary>
    public static bool AcceptsMixedScheduling(string platform) => platform is Anthropic or Gemini;
}

internal static class AccountTypes
{
    public const string OAuth = "oauth";
    public const string SetupToken = "setup-token";
    public const string ApiKey = "apikey";
    public static readonly string[] All = [OAuth, SetupToken, ApiKey];
}

internal static class Statuses
{
    public const string Active = "active";
    public const string Disabled = "disabled";
    public const string Error = "error";
    public const string Inactive = "inactive";
    public const string Unused = "unused";
    public const string Used = "used";
    public const string Expired = "expired";
    public const string QuotaExhausted = "quota_exhausted";
    public const string Suspended = "suspended";
}

internal static class Roles
{
    public const string Admin = "admin";
    public const string User = "user";
    public static readonly string[] All = [Admin, User];
}

internal static class SubscriptionTypes
{
    public const string Standard = "standard";
    public const string Subscription = "subscription";
    public static readonly string[] All = [Standard, Subscription];
}

internal static class ProxyProtocols
{
    public static readonly string[] All = ["http", "https", "socks5", "socks5h"];
}

internal static class RedeemTypes
{
    public const string Balance = "balance";
    public const string Concurrency = "concurrency";
    public const string Subscription = "subscription";
    public const string Invitation = "invitation";
    public const string AdminBalance = "admin_balance";
    public const string AdminConcurrency = "admin_concurrency";
}

/// <summary>usage_logs.billing_type (int8 in the original).</summary>
internal static class BillingTypes
{
    public const short Balance = 0;
    public const short Subscription = 1;
}
