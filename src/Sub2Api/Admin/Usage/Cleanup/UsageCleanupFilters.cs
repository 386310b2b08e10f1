using System.Text.Json;
using Sub2Api.Usage;

namespace Sub2Api.Admin.Usage.Cleanup;

/// <summary>
/// Which usage rows a cleanup task deletes: those created in [<see cref="StartTime"/>, <see cref="EndTime"/>)
/// that match every filter given. Stored as the task's JSON and shown back in the task list.
/// </summary>
internal sealed record UsageCleanupFilters(
    DateTime StartTime, DateTime EndTime, long? UserId, long? ApiKeyId, long? AccountId, long? GroupId, string? Model,
    bool? Stream, short? BillingType)
{
    public UsageFilter ToUsageFilter() => new()
    {
        From = StartTime, Until = EndTime, UserId = UserId, ApiKeyId = ApiKeyId, AccountId = AccountId, GroupId = GroupId,
        Model = Model, Stream = Stream, BillingType = BillingType,
    };

    private static readonly JsonSerializerOptions Stored = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public string ToJson() => JsonSerializer.Serialize(this, Stored);

    public static UsageCleanupFilters? FromJson(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<UsageCleanupFilters>(json, Stored);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
