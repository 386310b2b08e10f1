using Microsoft.EntityFrameworkCore;
using Sub2Api.Auth;
using Sub2Api.Common;
using Sub2Api.Data;

namespace Sub2Api.Codes;

/// <summary>The logged-in user's <c>POST /redeem</c> and <c>GET /redeem/history</c>.</summary>
internal static class RedeemApi
{
    /// <summary>Rows in the history when the client asks for no page (the original's plain-array answer).</summary>
    private const int DefaultHistoryLimit = 25;

    public static void MapRedeemApi(this RouteGroupBuilder user)
    {
        user.MapPost("/redeem", (CodeRequest req, CurrentUser me, CodeRedeemer redeemer, CancellationToken ct) =>
            redeemer.RedeemAsync(me.Id, req.Code, ct));
        user.MapGet("/redeem/history", HistoryAsync);
    }

    /// <summary>
    /// Everything credited to the user through this table (codes and the admin's adjustments), newest first, never
    /// with the admin's notes. With <c>page</c>/<c>page_size</c> a page object, otherwise the latest 25 as an array.
    /// </summary>
    private static async Task<IResult> HistoryAsync(HttpRequest request, CurrentUser me, Sub2ApiDbContext db, CancellationToken ct)
    {
        var query = db.RedeemCodes.AsNoTracking().Where(r => r.UsedBy == me.Id)
            .OrderByDescending(r => r.UsedAt).ThenByDescending(r => r.Id);
        if (!request.Query.ContainsKey("page") && !request.Query.ContainsKey("page_size"))
        {
            var latest = await query.Take(DefaultHistoryLimit).ToListAsync(ct);
            return Api.Ok(await RedeemCodeViews.UserAsync(db, latest, ct));
        }
        var page = PageRequest.From(request);
        var total = await query.LongCountAsync(ct);
        var rows = await query.Skip(page.Skip).Take(page.PageSize).ToListAsync(ct);
        return Api.Ok(page.Wrap(await RedeemCodeViews.UserAsync(db, rows, ct), total));
    }
}
