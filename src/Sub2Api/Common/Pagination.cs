using Microsoft.EntityFrameworkCore;

namespace Sub2Api.Common;

/// <summary>The original's page shape: <c>{items, total, page, page_size, pages}</c>.</summary>
internal sealed record PagedResult<T>(IReadOnlyList<T> Items, long Total, int Page, int PageSize, int Pages);

/// <summary>
/// <c>page</c> (default 1) and <c>page_size</c> or its alias <c>limit</c> (default 20, at most 1000).
/// Bound from the query string; invalid numbers are a 400.
/// </summary>
internal readonly record struct PageRequest(int Page, int PageSize)
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 1000;

    public static PageRequest From(HttpRequest request)
    {
        var page = ReadPositive(request, "page") ?? 1;
        var size = ReadPositive(request, "page_size") ?? ReadPositive(request, "limit") ?? DefaultPageSize;
        return new PageRequest(page, Math.Min(size, MaxPageSize));
    }

    private static int? ReadPositive(HttpRequest request, string name)
    {
        var raw = request.Query[name].ToString();
        if (raw.Length == 0)
        {
            return null;
        }
        if (!int.TryParse(raw, out var value) || value < 1)
        {
            throw ApiException.BadRequest($"{name} must be a positive integer");
        }
        return value;
    }

    /// <summary>
    /// Rows before the page. A far page (page=2147483647) would overflow int and go negative, which PostgreSQL
    /// refuses as an OFFSET; the largest offset instead simply yields an empty page.
    /// </summary>
    public int Skip => (int)Math.Min((long)(Page - 1) * PageSize, int.MaxValue);

    public PagedResult<T> Wrap<T>(IReadOnlyList<T> items, long total) =>
        new(items, total, Page, PageSize, total == 0 ? 0 : (int)((total + PageSize - 1) / PageSize));
}

internal static class PaginationExtensions
{
    /// <summary>Counts, then fetches one page (ordered by the caller), then maps rows to DTOs in memory.</summary>
    public static async Task<PagedResult<TOut>> ToPageAsync<TRow, TOut>(this IQueryable<TRow> query, PageRequest page,
        Func<TRow, TOut> map, CancellationToken cancellationToken)
    {
        var total = await query.LongCountAsync(cancellationToken);
        var rows = await query.Skip(page.Skip).Take(page.PageSize).ToListAsync(cancellationToken);
        return page.Wrap(rows.Select(map).ToList(), total);
    }
}
