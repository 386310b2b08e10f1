using System.Text.Json;
using System.Text.Json.Serialization;
using Sub2Api.Common;

namespace Sub2Api.Announcements;

/// <summary>
/// Who sees an announcement: <c>any_of</c> is an OR of groups, each group's <c>all_of</c> an AND of conditions.
/// No groups at all means everyone.
/// </summary>
internal sealed record AnnouncementTargeting(IReadOnlyList<AnnouncementConditionGroup>? AnyOf)
{
    public const int MaxGroups = 50;
    public const int MaxConditions = 50;
    public const int MaxGroupIds = 100;
    /// <summary>The stored JSON's column limit.</summary>
    public const int MaxStoredLength = 8000;

    public static readonly AnnouncementTargeting Everyone = new([]);

    private static readonly JsonSerializerOptions StorageJson = CreateStorageJson();

    private static JsonSerializerOptions CreateStorageJson()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        JsonDefaults.Apply(options);
        return options;
    }

    /// <summary>A user matches when any group has all of its conditions true.</summary>
    public bool Matches(decimal balance, IReadOnlySet<long> activeSubscriptionGroupIds) =>
        AnyOf is not { Count: > 0 } groups
        || groups.Any(g => g.AllOf is { Count: > 0 } all && all.All(c => c.Matches(balance, activeSubscriptionGroupIds)));

    /// <summary>Trims names and checks every rule; the message names the first bad part, or null when valid.</summary>
    public static string? Normalize(AnnouncementTargeting? input, out AnnouncementTargeting normalized)
    {
        normalized = Everyone;
        if (input?.AnyOf is not { Count: > 0 } groups)
        {
            return null;
        }
        if (groups.Count > MaxGroups)
        {
            return $"targeting.any_of must have at most {MaxGroups} groups";
        }
        var outGroups = new List<AnnouncementConditionGroup>(groups.Count);
        for (var g = 0; g < groups.Count; g++)
        {
            var where = $"targeting.any_of[{g}]";
            if (groups[g]?.AllOf is not { Count: > 0 } conditions)
            {
                return $"{where}.all_of must have at least one condition";
            }
            if (conditions.Count > MaxConditions)
            {
                return $"{where}.all_of must have at most {MaxConditions} conditions";
            }
            var outConditions = new List<AnnouncementCondition>(conditions.Count);
            for (var c = 0; c < conditions.Count; c++)
            {
                if (AnnouncementCondition.Normalize(conditions[c], $"{where}.all_of[{c}]", out var condition) is { } error)
                {
                    return error;
                }
                outConditions.Add(condition);
            }
            outGroups.Add(new AnnouncementConditionGroup(outConditions));
        }
        normalized = new AnnouncementTargeting(outGroups);
        return normalized.ToStorage().Length > MaxStoredLength ? "targeting is too large" : null;
    }

    public string ToStorage() => JsonSerializer.Serialize(this, StorageJson);

    /// <summary>The stored JSON; anything unreadable (never written by this code) counts as no rule.</summary>
    public static AnnouncementTargeting FromStorage(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return Everyone;
        }
        try
        {
            return JsonSerializer.Deserialize<AnnouncementTargeting>(json, StorageJson) is { AnyOf: not null } parsed ? parsed : Everyone;
        }
        catch (JsonException)
        {
            return Everyone;
        }
    }
}

internal sealed record AnnouncementConditionGroup(IReadOnlyList<AnnouncementCondition>? AllOf);

/// <summary><c>subscription in group_ids</c> or <c>balance gt|gte|lt|lte|eq value</c>.</summary>
internal sealed record AnnouncementCondition(
    string? Type,
    string? Operator,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<long>? GroupIds,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] decimal? Value)
{
    public const string Subscription = "subscription";
    public const string Balance = "balance";
    public static readonly string[] Types = [Subscription, Balance];
    public static readonly string[] BalanceOperators = ["gt", "gte", "lt", "lte", "eq"];

    public bool Matches(decimal balance, IReadOnlySet<long> activeSubscriptionGroupIds) => Type switch
    {
        Subscription => GroupIds is { } ids && ids.Any(activeSubscriptionGroupIds.Contains),
        Balance when Value is { } v => Operator switch
        {
            "gt" => balance > v,
            "gte" => balance >= v,
            "lt" => balance < v,
            "lte" => balance <= v,
            "eq" => balance == v,
            _ => false,
        },
        _ => false,
    };

    public static string? Normalize(AnnouncementCondition? input, string where, out AnnouncementCondition normalized)
    {
        normalized = null!;
        if (input is null)
        {
            return $"{where} must be an object";
        }
        var type = input.Type?.Trim();
        var op = input.Operator?.Trim();
        switch (type)
        {
            case Subscription:
                if (op != "in")
                {
                    return $"{where}.operator must be \"in\" for a subscription condition";
                }
                if (input.GroupIds is not { Count: > 0 } ids)
                {
                    return $"{where}.group_ids must list at least one group id";
                }
                if (ids.Count > AnnouncementTargeting.MaxGroupIds)
                {
                    return $"{where}.group_ids must have at most {AnnouncementTargeting.MaxGroupIds} ids";
                }
                if (ids.Any(id => id <= 0))
                {
                    return $"{where}.group_ids must be positive ids";
                }
                normalized = new AnnouncementCondition(type, op, ids.Distinct().ToList(), null);
                return null;
            case Balance:
                if (op is null || !BalanceOperators.Contains(op))
                {
                    return $"{where}.operator must be one of: {string.Join(", ", BalanceOperators)} for a balance condition";
                }
                if (input.Value is not { } value)
                {
                    return $"{where}.value is required for a balance condition";
                }
                if (Math.Abs(value) > MoneyBounds.MaxAmount || decimal.Round(value, MoneyBounds.MaxFractionDigits) != value)
                {
                    return $"{where}.value must be between -{MoneyBounds.MaxAmount} and {MoneyBounds.MaxAmount} with at most {MoneyBounds.MaxFractionDigits} decimal places";
                }
                normalized = new AnnouncementCondition(type, op, null, value);
                return null;
            default:
                return $"{where}.type must be one of: {string.Join(", ", Types)}";
        }
    }
}
