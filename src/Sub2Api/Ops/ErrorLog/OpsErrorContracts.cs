using System.Diagnostics.CodeAnalysis;
using Sub2Api.Data.Entities;

namespace Sub2Api.Ops.ErrorLog;

/// <summary>An ops error row as the list shows it (the original's field names).</summary>
internal record OpsErrorLogDto
{
    public long Id { get; init; }
    public DateTime CreatedAt { get; init; }
    public required string Kind { get; init; }
    public required string Phase { get; init; }
    public required string Type { get; init; }
    public required string ErrorOwner { get; init; }
    public required string Severity { get; init; }
    public int StatusCode { get; init; }
    public string? Platform { get; init; }
    public string? Model { get; init; }
    public required string RequestId { get; init; }
    public required string Message { get; init; }
    public long? UserId { get; init; }
    public string? UserEmail { get; init; }
    public long? ApiKeyId { get; init; }
    public long? AccountId { get; init; }
    public string? AccountName { get; init; }
    public long? GroupId { get; init; }
    public string? GroupName { get; init; }
    public string? ClientIp { get; init; }
    public string? RequestPath { get; init; }
    public bool Stream { get; init; }
    public int? UpstreamStatusCode { get; init; }
    public bool FailedOver { get; init; }
    public int Attempt { get; init; }
    public int? DurationMs { get; init; }
    public bool Resolved { get; init; }
    public DateTime? ResolvedAt { get; init; }
}

/// <summary>One row in full: the list fields plus what only the detail view needs.</summary>
internal sealed record OpsErrorDetailDto : OpsErrorLogDto
{
    [SetsRequiredMembers]
    public OpsErrorDetailDto(OpsErrorLogDto item) : base(item)
    {
    }

    public string? UserAgent { get; init; }
    public string? UpstreamErrorMessage { get; init; }
    public string? UpstreamErrorDetail { get; init; }
    public string? RequestBody { get; init; }
    public int? RequestBodyBytes { get; init; }
    public bool RequestBodyTruncated { get; init; }
    /// <summary>For a request row: the failed upstream attempts of the same request, oldest first. Empty otherwise.</summary>
    public IReadOnlyList<OpsErrorLogDto> UpstreamErrors { get; init; } = [];
}

/// <summary>Body of <c>PUT …/{id}/resolve</c>.</summary>
internal sealed record OpsResolveRequest(bool? Resolved);

/// <summary>The display names of the users, accounts and groups a set of rows refers to.</summary>
internal sealed record OpsErrorNames(
    IReadOnlyDictionary<long, string> UserEmails,
    IReadOnlyDictionary<long, string> AccountNames,
    IReadOnlyDictionary<long, string> GroupNames)
{
    public OpsErrorLogDto Item(OpsErrorLog e) => new()
    {
        Id = e.Id,
        CreatedAt = e.CreatedAt,
        Kind = e.Kind,
        Phase = e.Phase,
        Type = e.Type,
        ErrorOwner = e.Owner,
        Severity = e.Severity,
        StatusCode = e.StatusCode,
        Platform = e.Platform,
        Model = e.Model,
        RequestId = e.RequestId,
        Message = e.Message,
        UserId = e.UserId,
        UserEmail = Lookup(UserEmails, e.UserId),
        ApiKeyId = e.ApiKeyId,
        AccountId = e.AccountId,
        AccountName = Lookup(AccountNames, e.AccountId),
        GroupId = e.GroupId,
        GroupName = Lookup(GroupNames, e.GroupId),
        ClientIp = e.ClientIp,
        RequestPath = e.RequestPath,
        Stream = e.Stream,
        UpstreamStatusCode = e.UpstreamStatusCode,
        FailedOver = e.FailedOver,
        Attempt = e.Attempt,
        DurationMs = e.DurationMs,
        Resolved = e.Resolved,
        ResolvedAt = e.ResolvedAt,
    };

    public OpsErrorDetailDto Detail(OpsErrorLog e, IReadOnlyList<OpsErrorLogDto> upstreamErrors) => new(Item(e))
    {
        UserAgent = e.UserAgent,
        UpstreamErrorMessage = e.UpstreamErrorMessage,
        UpstreamErrorDetail = e.UpstreamErrorDetail,
        RequestBody = e.RequestBody,
        RequestBodyBytes = e.RequestBodyBytes,
        RequestBodyTruncated = e.RequestBodyTruncated,
        UpstreamErrors = upstreamErrors,
    };

    private static string? Lookup(IReadOnlyDictionary<long, string> names, long? id) =>
        id is { } key && names.TryGetValue(key, out var name) ? name : null;
}
