using System.Globalization;
using Sub2Api.Data.Entities;

namespace Sub2Api.Ops.ErrorLog;

/// <summary>
/// The list filters of the error-log routes, read from the query string: the time window (<see cref="OpsTimeRange"/>),
/// <c>kind</c>, <c>platform</c>, <c>group_id</c>, <c>account_id</c>, <c>phase</c>, <c>error_owner</c>,
/// <c>severity</c>, <c>status_codes</c> (comma list), <c>resolved</c>, <c>model</c> and <c>q</c> (a case-insensitive
/// part of the request id or the message). A value that cannot be read is the client's mistake: an error message.
/// </summary>
internal sealed class OpsErrorFilter
{
    public DateTime Start { get; private init; }
    public DateTime End { get; private init; }
    public string? Kind { get; private init; }
    public string? Platform { get; private init; }
    public long? GroupId { get; private init; }
    public long? AccountId { get; private init; }
    public string? Phase { get; private init; }
    public string? Owner { get; private init; }
    public string? Severity { get; private init; }
    public IReadOnlyList<int>? StatusCodes { get; private init; }
    public bool? Resolved { get; private init; }
    public string? Model { get; private init; }
    public string? Query { get; private init; }

    private static readonly string[] Kinds = [OpsErrorKinds.Request, OpsErrorKinds.Upstream];

    /// <param name="kind">The kind the route is for (request-errors, upstream-errors), or null to read <c>kind</c>.</param>
    public static OpsErrorFilter? TryParse(HttpRequest request, DateTime now, string? kind, out string? error)
    {
        var query = request.Query;
        if (!OpsTimeRange.TryParse(query, now, out var start, out var end, out error))
        {
            return null;
        }
        if (kind is null && Text(query, "kind") is { } asked)
        {
            if (!Kinds.Contains(asked))
            {
                error = $"kind must be one of: {string.Join(", ", Kinds)}";
                return null;
            }
            kind = asked;
        }
        if (!TryId(query, "group_id", out var groupId, out error) || !TryId(query, "account_id", out var accountId, out error)
            || !TryStatusCodes(query, out var statusCodes, out error) || !TryBool(query, "resolved", out var resolved, out error))
        {
            return null;
        }
        return new OpsErrorFilter
        {
            Start = start,
            End = end,
            Kind = kind,
            Platform = Text(query, "platform"),
            GroupId = groupId,
            AccountId = accountId,
            Phase = Text(query, "phase"),
            Owner = Text(query, "error_owner"),
            Severity = Text(query, "severity"),
            StatusCodes = statusCodes,
            Resolved = resolved,
            Model = Text(query, "model"),
            Query = Text(query, "q")?.ToLowerInvariant(),
        };
    }

    public IQueryable<OpsErrorLog> Apply(IQueryable<OpsErrorLog> rows)
    {
        rows = rows.Where(e => e.CreatedAt >= Start && e.CreatedAt < End);
        if (Kind is { } kind)
        {
            rows = rows.Where(e => e.Kind == kind);
        }
        if (Platform is { } platform)
        {
            rows = rows.Where(e => e.Platform == platform);
        }
        if (GroupId is { } groupId)
        {
            rows = rows.Where(e => e.GroupId == groupId);
        }
        if (AccountId is { } accountId)
        {
            rows = rows.Where(e => e.AccountId == accountId);
        }
        if (Phase is { } phase)
        {
            rows = rows.Where(e => e.Phase == phase);
        }
        if (Owner is { } owner)
        {
            rows = rows.Where(e => e.Owner == owner);
        }
        if (Severity is { } severity)
        {
            rows = rows.Where(e => e.Severity == severity);
        }
        if (StatusCodes is { Count: > 0 } codes)
        {
            rows = rows.Where(e => codes.Contains(e.StatusCode));
        }
        if (Resolved is { } resolved)
        {
            rows = rows.Where(e => e.Resolved == resolved);
        }
        if (Model is { } model)
        {
            rows = rows.Where(e => e.Model == model);
        }
        if (Query is { } term)
        {
            rows = rows.Where(e => e.RequestId.ToLower().Contains(term) || e.Message.ToLower().Contains(term));
        }
        // Newest first; the id breaks ties between rows written in the same instant.
        return rows.OrderByDescending(e => e.CreatedAt).ThenByDescending(e => e.Id);
    }

    private static string? Text(IQueryCollection query, string name) =>
        query[name].ToString().Trim() is { Length: > 0 } value ? value : null;

    private static bool TryId(IQueryCollection query, string name, out long? id, out string? error)
    {
        id = null;
        error = null;
        if (Text(query, name) is not { } text)
        {
            return true;
        }
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < 1)
        {
            error = $"{name} must be a positive integer";
            return false;
        }
        id = value;
        return true;
    }

    private static bool TryBool(IQueryCollection query, string name, out bool? result, out string? error)
    {
        result = null;
        error = null;
        switch (Text(query, name)?.ToLowerInvariant())
        {
            case null:
                return true;
            case "true" or "1":
                result = true;
                return true;
            case "false" or "0":
                result = false;
                return true;
            default:
                error = $"{name} must be true or false";
                return false;
        }
    }

    private static bool TryStatusCodes(IQueryCollection query, out IReadOnlyList<int>? codes, out string? error)
    {
        codes = null;
        error = null;
        if (Text(query, "status_codes") is not { } text)
        {
            return true;
        }
        var parsed = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var code) || code > 999 || parsed.Count == 50)
            {
                error = "status_codes must be a comma-separated list of HTTP status codes (at most 50)";
                return false;
            }
            parsed.Add(code);
        }
        codes = parsed;
        return true;
    }
}
