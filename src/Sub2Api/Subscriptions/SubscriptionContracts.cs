namespace Sub2Api.Subscriptions;

/// <summary><c>POST /admin/subscriptions/assign</c>: validity_days defaults to the group's default_validity_days.</summary>
internal sealed record AssignSubscriptionRequest(long? UserId, long? GroupId, int? ValidityDays, string? Notes);

/// <summary><c>POST /admin/subscriptions/bulk-assign</c>: the same assignment for up to 1000 users.</summary>
internal sealed record BulkAssignSubscriptionRequest(List<long>? UserIds, long? GroupId, int? ValidityDays, string? Notes);

/// <summary><c>POST /admin/subscriptions/:id/extend</c>: moves the expiry by ±days.</summary>
internal sealed record ExtendSubscriptionRequest(int? Days);

/// <summary>What a bulk assignment did, per user: the original's result shape.</summary>
internal sealed record BulkAssignResultDto(
    int SuccessCount,
    int CreatedCount,
    int ReusedCount,
    int FailedCount,
    IReadOnlyList<AdminSubscriptionDto> Subscriptions,
    IReadOnlyList<string> Errors,
    IReadOnlyDictionary<string, string> Statuses);
