using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Sub2Api.Common;
using Sub2Api.Data;

namespace Sub2Api.Codes;

/// <summary><c>GET /admin/redeem-codes/export</c>: the filtered codes as a CSV download, streamed row by row.</summary>
internal static class RedeemCodeExport
{
    private static readonly string[] Header = ["id", "code", "type", "value", "status", "used_by", "used_by_email", "used_at", "created_at"];

    public static IResult ExportAsync(Sub2ApiDbContext db, string? type, string? status, string? search)
    {
        if (AdminRedeemCodesApi.Filter(db, type, status, search, out var query) is { } error)
        {
            return Api.BadRequest(error);
        }
        var rows = query.Select(r => new
        {
            r.Id, r.Code, r.Type, r.Value, r.Status, r.UsedBy, r.UsedAt, r.CreatedAt,
            Email = db.Users.IgnoreQueryFilters().Where(u => u.Id == r.UsedBy).Select(u => u.Email).FirstOrDefault(),
        });
        return Results.Stream(async body =>
        {
            await using var writer = new StreamWriter(body, new UTF8Encoding(false), leaveOpen: true);
            await writer.WriteAsync(Line(Header));
            await foreach (var r in rows.AsAsyncEnumerable())
            {
                await writer.WriteAsync(Line([
                    r.Id.ToString(CultureInfo.InvariantCulture), r.Code, r.Type, Money(r.Value), r.Status,
                    r.UsedBy?.ToString(CultureInfo.InvariantCulture) ?? "", r.Email ?? "", Time(r.UsedAt), Time(r.CreatedAt),
                ]));
            }
        }, "text/csv; charset=utf-8", "redeem_codes.csv");
    }

    /// <summary>The exact amount (never rounded), without the storage scale's trailing zeros.</summary>
    private static string Money(decimal value) => (value / 1.000000000000000000000000000000000m).ToString(CultureInfo.InvariantCulture);

    private static string Time(DateTime? value) =>
        value?.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? "";

    private static string Line(IEnumerable<string> cells) => string.Join(',', cells.Select(Cell)) + "\r\n";

    /// <summary>
    /// One RFC 4180 cell. A spreadsheet runs a cell starting with = + - @ (or a tab/CR that hides one) as a formula,
    /// so such text is prefixed with an apostrophe: an email or code can never execute on the admin's machine.
    /// </summary>
    public static string Cell(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }
        return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
