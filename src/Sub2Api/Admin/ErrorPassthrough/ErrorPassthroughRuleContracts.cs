using Sub2Api.Data.Entities;

namespace Sub2Api.Admin.ErrorPassthrough;

/// <summary>Body of <c>POST /error-passthrough-rules</c> and <c>PUT /error-passthrough-rules/:id</c> (on update a missing field keeps its value).</summary>
internal sealed record ErrorPassthroughRuleRequest(
    string? Name,
    bool? Enabled,
    int? Priority,
    List<int>? ErrorCodes,
    List<string>? Keywords,
    string? MatchMode,
    List<string>? Platforms,
    bool? PassthroughCode,
    int? ResponseCode,
    bool? PassthroughBody,
    string? CustomMessage,
    bool? SkipMonitoring,
    string? Description);

/// <summary>A rule as the admin API shows it (the original's field names).</summary>
internal sealed record ErrorPassthroughRuleDto(
    long Id,
    string Name,
    bool Enabled,
    int Priority,
    IReadOnlyList<int> ErrorCodes,
    IReadOnlyList<string> Keywords,
    string MatchMode,
    IReadOnlyList<string> Platforms,
    bool PassthroughCode,
    int? ResponseCode,
    bool PassthroughBody,
    string? CustomMessage,
    bool SkipMonitoring,
    string? Description,
    DateTime CreatedAt,
    DateTime UpdatedAt)
{
    public static ErrorPassthroughRuleDto From(ErrorPassthroughRule r) => new(r.Id, r.Name, r.Enabled, r.Priority, r.ErrorCodes, r.Keywords,
        r.MatchMode, r.Platforms, r.PassthroughCode, r.ResponseCode, r.PassthroughBody, r.CustomMessage, r.SkipMonitoring, r.Description,
        r.CreatedAt, r.UpdatedAt);
}
