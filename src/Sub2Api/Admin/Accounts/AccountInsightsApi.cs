using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Sub2Api.Common;
using Sub2Api.Data;
using Sub2Api.Data.Entities;
using Sub2Api.Providers.Anthropic;
using Sub2Api.Relay;
using Sub2Api.Scheduling;
using Sub2Api.Security;

namespace Sub2Api.Admin.Accounts;

/// <summary>A model an account serves, as the original's model list shows it.</summary>
internal sealed record AccountModelInfo(string Id, string Type, string DisplayName, string CreatedAt);

/// <summary>
/// What an admin reads about one account: <c>stats</c>, <c>today-stats</c>, <c>models</c>, and the
/// <c>temp-unschedulable</c> state (GET, and DELETE to end it now).
/// </summary>
internal static class AccountInsightsApi
{
    private const int MaxStatsDays = 365;

    public static void MapAdminAccountInsights(this RouteGroupBuilder admin)
    {
        var account = admin.MapGroup("/accounts/{id:long}");
        account.MapGet("/stats", StatsAsync);
        account.MapGet("/today-stats", TodayStatsAsync);
        account.MapGet("/models", ModelsAsync);
        account.MapGet("/temp-unschedulable", TempUnschedulableAsync);
        account.MapDelete("/temp-unschedulable", ClearTempUnschedulableAsync);
    }

    private static IResult NotFound(long id) => Api.NotFound($"account {id} not found");

    private static async Task<IResult> StatsAsync(long id, string? days, Sub2ApiDbContext db, TimeProvider time, CancellationToken ct)
    {
        var window = 30;
        if (!string.IsNullOrEmpty(days) && (!int.TryParse(days, out window) || window is < 1 or > MaxStatsDays))
        {
            return Api.BadRequest($"days must be a whole number between 1 and {MaxStatsDays}");
        }
        if (!await db.Accounts.AnyAsync(a => a.Id == id, ct))
        {
            return NotFound(id);
        }
        return Api.Ok(await AccountStatsQueries.StatsAsync(db.UsageLogs.AsNoTracking(), id, window, time.GetUtcNow().UtcDateTime, ct));
    }

    private static async Task<IResult> TodayStatsAsync(long id, Sub2ApiDbContext db, TimeProvider time, CancellationToken ct)
    {
        if (!await db.Accounts.AnyAsync(a => a.Id == id, ct))
        {
            return NotFound(id);
        }
        return Api.Ok(await AccountStatsQueries.WindowAsync(db.UsageLogs.AsNoTracking(), id, time.GetUtcNow().UtcDateTime.Date, ct));
    }

    /// <summary>
    /// The models the account takes: the keys of its <c>model_mapping</c> (the scheduler only sends it those), or, without
    /// a mapping, the default Claude list.
    /// </summary>
    private static async Task<IResult> ModelsAsync(long id, Sub2ApiDbContext db, CredentialsCodec codec, CancellationToken ct)
    {
        var account = await db.Accounts.AsNoTracking().Where(a => a.Id == id)
            .Select(a => new { a.Platform, a.CredentialsEncrypted }).FirstOrDefaultAsync(ct);
        if (account is null)
        {
            return NotFound(id);
        }
        JsonObject credentials;
        try
        {
            credentials = codec.Unprotect(account.CredentialsEncrypted);
        }
        catch (Exception e) when (e is JsonException or System.Security.Cryptography.CryptographicException or FormatException)
        {
            credentials = [];
        }
        var mapped = credentials["model_mapping"] is JsonObject mapping ? mapping.Select(p => p.Key).ToList() : [];
        var ids = mapped.Count > 0 ? mapped : [.. AnthropicModels.Defaults];
        return Api.Ok(ids.Select(model => new AccountModelInfo(model, "model", model,
            AnthropicModels.Defaults.Contains(model) ? DefaultCreatedAt : "")).ToList());
    }

    private const string DefaultCreatedAt = "2025-01-01T00:00:00Z";

    /// <summary><c>{"active":false}</c>, or <c>{"active":true,"state":{until_unix, triggered_at_unix, status_code,
    /// matched_keyword, rule_index, error_message}}</c> while the account rests.</summary>
    private static async Task<IResult> TempUnschedulableAsync(long id, Sub2ApiDbContext db, TimeProvider time, CancellationToken ct)
    {
        var account = await db.Accounts.AsNoTracking().Where(a => a.Id == id)
            .Select(a => new { a.TempUnschedulableUntil, a.TempUnschedulableReason }).FirstOrDefaultAsync(ct);
        if (account is null)
        {
            return NotFound(id);
        }
        if (account.TempUnschedulableUntil is not { } until || until <= time.GetUtcNow().UtcDateTime)
        {
            return Api.Ok(new { active = false });
        }
        var state = ParseReason(account.TempUnschedulableReason) ?? [];
        // A rest set without a rule (e.g. by the token refresh) has no reason; its end is still worth showing.
        state["until_unix"] ??= new DateTimeOffset(until).ToUnixTimeSeconds();
        return Api.Ok(new { active = true, state });
    }

    private static JsonObject? ParseReason(string? reason)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            return null;
        }
        try
        {
            return JsonNode.Parse(reason) as JsonObject ?? new JsonObject { ["error_message"] = reason };
        }
        catch (JsonException)
        {
            return new JsonObject { ["error_message"] = reason };
        }
    }

    private static async Task<IResult> ClearTempUnschedulableAsync(long id, Sub2ApiDbContext db, AccountHealth health, CancellationToken ct)
    {
        if (!await db.Accounts.AnyAsync(a => a.Id == id, ct))
        {
            return NotFound(id);
        }
        await health.ClearTempUnschedulableAsync(id, ct);
        return Api.Ok(new { message = "Temp unschedulable cleared" });
    }
}
