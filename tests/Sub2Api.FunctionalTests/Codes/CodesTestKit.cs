using System.Text.Json;
using Sub2Api.FunctionalTests.Infrastructure;

namespace Sub2Api.FunctionalTests.Codes;

/// <summary>Arranging codes through the admin API, shared by the code tests.</summary>
internal static class CodesTestKit
{
    public const string RedeemCodes = "/api/v1/admin/redeem-codes";
    public const string PromoCodes = "/api/v1/admin/promo-codes";

    public static async Task<JsonElement[]> GenerateAsync(ApiClient admin, object body) =>
        (await admin.PostAsync($"{RedeemCodes}/generate", body)).Data.EnumerateArray().ToArray();

    public static async Task<(string Code, long Id)> OneCodeAsync(ApiClient admin, string type = "balance", decimal value = 5m,
        long? groupId = null, int? validityDays = null)
    {
        var code = (await GenerateAsync(admin, new { count = 1, type, value, group_id = groupId, validity_days = validityDays, notes = "secret admin note" }))[0];
        return (code.GetProperty("code").GetString()!, code.GetProperty("id").GetInt64());
    }

    public static async Task<long> SubscriptionGroupAsync(ApiClient admin, string name = "monthly") =>
        (await admin.PostAsync("/api/v1/admin/groups", new { name, subscription_type = "subscription", monthly_limit_usd = 100m }))
            .Data.GetProperty("id").GetInt64();

    public static async Task<long> StandardGroupAsync(ApiClient admin, string name = "standard") =>
        (await admin.PostAsync("/api/v1/admin/groups", new { name })).Data.GetProperty("id").GetInt64();

    public static async Task<JsonElement> MeAsync(ApiClient user) => (await user.GetAsync("/api/v1/auth/me")).Data;
}

/// <summary>One app for tests that only send refused requests (nothing is written, so they can share it).</summary>
public sealed class SharedCodesApp : IAsyncDisposable
{
    public Sub2ApiFactory App { get; } = new();

    public async ValueTask DisposeAsync() => await App.DisposeAsync();
}
