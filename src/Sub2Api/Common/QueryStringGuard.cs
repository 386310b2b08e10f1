namespace Sub2Api.Common;

/// <summary>
/// Query values end up in SQL parameters (search terms, status and model filters). PostgreSQL refuses text
/// holding U+0000 and fails the whole query, which would be a 500 for a <c>%00</c> in a URL; SQLite takes it.
/// Such a query string is refused up front, so both databases give the client the same 400.
/// </summary>
internal static class QueryStringGuard
{
    public static Task RejectNulAsync(HttpContext context, RequestDelegate next)
    {
        if (context.Request.QueryString.HasValue && FindNul(context.Request.Query) is { } name)
        {
            return Api.BadRequest($"query parameter '{name}' must not contain the NUL character").ExecuteAsync(context);
        }
        return next(context);
    }

    private static string? FindNul(IQueryCollection query)
    {
        foreach (var (name, values) in query)
        {
            if (name.Contains('\0', StringComparison.Ordinal))
            {
                return "(name)";
            }
            foreach (var value in values)
            {
                if (value?.Contains('\0', StringComparison.Ordinal) == true)
                {
                    return name.Length <= 64 ? name : name[..64];
                }
            }
        }
        return null;
    }
}
