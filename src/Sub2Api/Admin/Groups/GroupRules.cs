using Microsoft.EntityFrameworkCore;
using Sub2Api.Common;
using Sub2Api.Data;
using Sub2Api.Data.Entities;

namespace Sub2Api.Admin.Groups;

/// <summary>Validation of a <see cref="GroupRequest"/> and copying it onto a <see cref="Group"/>.</summary>
internal static class GroupRules
{
    public static readonly string[] GroupStatuses = [Statuses.Active, Statuses.Disabled];
    public static readonly string[] ModelScopes = ["claude", "gemini_text", "gemini_image"];

    public static string? CheckFields(GroupRequest r, bool creating) => Validate.First(
        creating || r.Name is not null ? Validate.Required(r.Name, "name", 100) : null,
        r.Description?.Length > 2000 ? "description must be at most 2000 characters" : null,
        Validate.OneOf(r.Platform, "platform", Platforms.All, required: false),
        Validate.OneOf(r.Status, "status", GroupStatuses, required: false),
        Validate.OneOf(r.SubscriptionType, "subscription_type", SubscriptionTypes.All, required: false),
        MoneyBounds.Multiplier(r.RateMultiplier, "rate_multiplier"),
        MoneyBounds.Amount(r.DailyLimitUsd, "daily_limit_usd"),
        MoneyBounds.Amount(r.WeeklyLimitUsd, "weekly_limit_usd"),
        MoneyBounds.Amount(r.MonthlyLimitUsd, "monthly_limit_usd"),
        Validate.Range(r.DefaultValidityDays, "default_validity_days", 1, 36500),
        MoneyBounds.Amount(r.ImagePrice1K, "image_price_1k"),
        MoneyBounds.Amount(r.ImagePrice2K, "image_price_2k"),
        MoneyBounds.Amount(r.ImagePrice4K, "image_price_4k"),
        r.FallbackGroupId < 0 ? "fallback_group_id must be a group id (0 or null clears it)" : null,
        r.FallbackGroupIdOnInvalidRequest < 0 ? "fallback_group_id_on_invalid_request must be a group id (0 or null clears it)" : null,
        CheckScopes(r.SupportedModelScopes),
        CheckRoutingShape(r.ModelRouting));

    private static string? CheckScopes(List<string>? scopes) =>
        scopes?.FirstOrDefault(s => !ModelScopes.Contains(s)) is { } bad
            ? $"supported_model_scopes: '{bad}' is not one of: {string.Join(", ", ModelScopes)}"
            : null;

    private static string? CheckRoutingShape(Dictionary<string, List<long>?>? routing)
    {
        foreach (var (pattern, ids) in routing ?? [])
        {
            if (string.IsNullOrWhiteSpace(pattern) || pattern.Length > 200)
            {
                return "model_routing patterns must be non-empty and at most 200 characters";
            }
            if (ids is null || ids.Any(id => id <= 0))
            {
                return $"model_routing['{pattern}'] must be an array of account ids";
            }
        }
        return null;
    }

    /// <summary>Checks that referenced groups and accounts exist; <paramref name="selfId"/> is null on create.</summary>
    public static async Task<string?> CheckReferencesAsync(Sub2ApiDbContext db, long? selfId, GroupRequest r, CancellationToken ct)
    {
        if (r.FallbackGroupId is > 0 and var fallback)
        {
            if (fallback == selfId)
            {
                return "fallback_group_id must not be the group itself";
            }
            var target = await db.Groups.Where(g => g.Id == fallback).Select(g => new { g.ClaudeCodeOnly }).FirstOrDefaultAsync(ct);
            if (target is null)
            {
                return $"fallback_group_id: group {fallback} does not exist";
            }
            // Clients that are not Claude Code would be turned away again (or bounce between groups).
            if (target.ClaudeCodeOnly)
            {
                return "fallback_group_id must point to a group without claude_code_only";
            }
        }
        if (r.FallbackGroupIdOnInvalidRequest is > 0 and var onInvalid)
        {
            if (onInvalid == selfId)
            {
                return "fallback_group_id_on_invalid_request must not be the group itself";
            }
            if (!await db.Groups.AnyAsync(g => g.Id == onInvalid, ct))
            {
                return $"fallback_group_id_on_invalid_request: group {onInvalid} does not exist";
            }
        }
        var accountIds = r.ModelRouting?.Values.SelectMany(ids => ids!).Distinct().ToList() ?? [];
        if (accountIds.Count > 0)
        {
            var found = await db.Accounts.Where(a => accountIds.Contains(a.Id)).Select(a => a.Id).ToListAsync(ct);
            if (accountIds.Except(found).FirstOrDefault() is var missing and > 0)
            {
                return $"model_routing: account {missing} does not exist";
            }
        }
        return null;
    }

    /// <summary>
    /// Copies the given fields. <paramref name="cleared"/> tells whether a field was sent as an explicit null,
    /// which is how a client removes a limit, a price or a fallback.
    /// </summary>
    public static void Apply(Group g, GroupRequest r, Func<string, bool> cleared)
    {
        g.Name = r.Name?.Trim() ?? g.Name;
        g.Description = r.Description ?? g.Description;
        g.Platform = r.Platform ?? g.Platform;
        g.RateMultiplier = r.RateMultiplier ?? g.RateMultiplier;
        g.IsExclusive = r.IsExclusive ?? g.IsExclusive;
        g.Status = r.Status ?? g.Status;
        g.SubscriptionType = r.SubscriptionType ?? g.SubscriptionType;
        g.DailyLimitUsd = Pick(r.DailyLimitUsd, g.DailyLimitUsd, cleared("daily_limit_usd"));
        g.WeeklyLimitUsd = Pick(r.WeeklyLimitUsd, g.WeeklyLimitUsd, cleared("weekly_limit_usd"));
        g.MonthlyLimitUsd = Pick(r.MonthlyLimitUsd, g.MonthlyLimitUsd, cleared("monthly_limit_usd"));
        g.DefaultValidityDays = r.DefaultValidityDays ?? g.DefaultValidityDays;
        g.ImagePrice1K = Pick(r.ImagePrice1K, g.ImagePrice1K, cleared("image_price_1k"));
        g.ImagePrice2K = Pick(r.ImagePrice2K, g.ImagePrice2K, cleared("image_price_2k"));
        g.ImagePrice4K = Pick(r.ImagePrice4K, g.ImagePrice4K, cleared("image_price_4k"));
        g.ClaudeCodeOnly = r.ClaudeCodeOnly ?? g.ClaudeCodeOnly;
        // 0 clears as well: the original's UI sends 0 for "no fallback".
        g.FallbackGroupId = Pick(r.FallbackGroupId, g.FallbackGroupId, cleared("fallback_group_id")) is > 0 and var f ? f : null;
        g.FallbackGroupIdOnInvalidRequest = Pick(r.FallbackGroupIdOnInvalidRequest, g.FallbackGroupIdOnInvalidRequest,
            cleared("fallback_group_id_on_invalid_request")) is > 0 and var fi ? fi : null;
        if (r.ModelRouting is not null)
        {
            g.ModelRouting = r.ModelRouting.ToDictionary(kv => kv.Key, kv => kv.Value!.Distinct().ToList());
        }
        g.ModelRoutingEnabled = r.ModelRoutingEnabled ?? g.ModelRoutingEnabled;
        g.McpXmlInject = r.McpXmlInject ?? g.McpXmlInject;
        g.SupportedModelScopes = r.SupportedModelScopes?.Distinct().ToList() ?? g.SupportedModelScopes;
        g.SortOrder = r.SortOrder ?? g.SortOrder;
    }

    private static T? Pick<T>(T? incoming, T? current, bool clear) where T : struct =>
        incoming ?? (clear ? null : current);
}
