using Sub2Api.Data.Entities;

namespace Sub2Api.Subscriptions;

/// <summary>The user a subscription belongs to, as the admin list nests it.</summary>
internal sealed record SubscriptionUserDto(long Id, string Email, string Username)
{
    public static SubscriptionUserDto From(User u) => new(u.Id, u.Email, u.Username);
}

/// <summary>The plan a subscription is for: the group's name and caps.</summary>
internal sealed record SubscriptionGroupDto(
    long Id, string Name, string Description, string Platform, string Status, string SubscriptionType,
    decimal? DailyLimitUsd, decimal? WeeklyLimitUsd, decimal? MonthlyLimitUsd, int DefaultValidityDays)
{
    public static SubscriptionGroupDto From(Group g) => new(g.Id, g.Name, g.Description, g.Platform, g.Status,
        g.SubscriptionType, g.DailyLimitUsd, g.WeeklyLimitUsd, g.MonthlyLimitUsd, g.DefaultValidityDays);
}

/// <summary>
/// A subscription as its owner sees it: no notes and no assignment details. Status and windows are as of now:
/// an active row past its expiry reads "expired", and a window whose span has passed shows no start and no usage.
/// </summary>
internal sealed record UserSubscriptionDto(
    long Id, long UserId, long GroupId, DateTime StartsAt, DateTime ExpiresAt, string Status,
    DateTime? DailyWindowStart, DateTime? WeeklyWindowStart, DateTime? MonthlyWindowStart,
    decimal DailyUsageUsd, decimal WeeklyUsageUsd, decimal MonthlyUsageUsd,
    DateTime CreatedAt, DateTime UpdatedAt, SubscriptionGroupDto? Group)
{
    public static UserSubscriptionDto From(UserSubscription s, Group? g, DateTime now)
    {
        var w = SubscriptionView.Windows(s, now);
        return new(s.Id, s.UserId, s.GroupId, s.StartsAt, s.ExpiresAt, SubscriptionView.Status(s, now),
            w.Daily.WindowStart, w.Weekly.WindowStart, w.Monthly.WindowStart, w.Daily.UsedUsd, w.Weekly.UsedUsd, w.Monthly.UsedUsd,
            s.CreatedAt, s.UpdatedAt, g is null ? null : SubscriptionGroupDto.From(g));
    }
}

/// <summary>A subscription as admins see it: the owner's view plus assignment details, notes and the user.</summary>
internal sealed record AdminSubscriptionDto(
    long Id, long UserId, long GroupId, DateTime StartsAt, DateTime ExpiresAt, string Status,
    DateTime? DailyWindowStart, DateTime? WeeklyWindowStart, DateTime? MonthlyWindowStart,
    decimal DailyUsageUsd, decimal WeeklyUsageUsd, decimal MonthlyUsageUsd,
    long? AssignedBy, DateTime AssignedAt, string Notes,
    DateTime CreatedAt, DateTime UpdatedAt, SubscriptionUserDto? User, SubscriptionGroupDto? Group)
{
    public static AdminSubscriptionDto From(UserSubscription s, User? u, Group? g, DateTime now)
    {
        var w = SubscriptionView.Windows(s, now);
        return new(s.Id, s.UserId, s.GroupId, s.StartsAt, s.ExpiresAt, SubscriptionView.Status(s, now),
            w.Daily.WindowStart, w.Weekly.WindowStart, w.Monthly.WindowStart, w.Daily.UsedUsd, w.Weekly.UsedUsd, w.Monthly.UsedUsd,
            s.AssignedBy, s.AssignedAt, s.Notes, s.CreatedAt, s.UpdatedAt,
            u is null ? null : SubscriptionUserDto.From(u), g is null ? null : SubscriptionGroupDto.From(g));
    }
}
