using Microsoft.EntityFrameworkCore;
using Sub2Api.Accounts;
using Sub2Api.Common;
using Sub2Api.Data;
using Sub2Api.Data.Entities;
using Sub2Api.Scheduling;
using Sub2Api.Scheduling.Concurrency;
using Sub2Api.Security;

namespace Sub2Api.Admin.Accounts;

/// <summary>
/// <c>POST /admin/accounts/:id/refresh</c>: refresh the account's OAuth token now, through the same locked path as
/// the background job. Answers the account (credentials masked) or says why it could not be refreshed.
/// </summary>
internal static class AccountRefreshApi
{
    public static void MapAdminAccountRefresh(this RouteGroupBuilder admin) =>
        admin.MapPost("/accounts/{id}/refresh", RefreshAsync);

    /// <summary>Also the body of the OpenAI route <c>/admin/openai/accounts/:id/refresh</c>, after its platform check.</summary>
    internal static async Task<IResult> RefreshAsync(string id, Sub2ApiDbContext db, TokenRefreshService tokens, AccountHealth health,
        CredentialsCodec codec, IConcurrencySlots slots, CancellationToken ct)
    {
        if (!long.TryParse(id, out var accountId) || accountId <= 0)
        {
            return Api.BadRequest("id must be an account id");
        }
        var account = await db.Accounts.AsNoTracking().FirstOrDefaultAsync(a => a.Id == accountId, ct);
        if (account is null)
        {
            return Api.NotFound($"account {accountId} not found");
        }
        if (account.Type is not (AccountTypes.OAuth or AccountTypes.SetupToken))
        {
            return Api.BadRequest($"account {accountId} is a {account.Type} account; only oauth and setup-token accounts have tokens to refresh");
        }
        var outcome = await tokens.RefreshAsync(accountId, RefreshReason.Forced, null, TimeSpan.Zero, ct);
        switch (outcome.Status)
        {
            case RefreshStatus.Refreshed or RefreshStatus.Current:
                if (account.Status == Statuses.Error)
                {
                    // The account was benched for its credentials; they have just been proven to work again.
                    await health.ClearErrorAsync(accountId, ct);
                }
                break;
            case RefreshStatus.NotRefreshable:
                return Api.BadRequest($"account {accountId} cannot be refreshed: {outcome.Error}", "TOKEN_NOT_REFRESHABLE");
            case RefreshStatus.Busy:
                return Api.Conflict("another refresh of this account is still running; try again", "TOKEN_REFRESH_BUSY");
            case RefreshStatus.Rejected:
                return Api.Error(502, "TOKEN_REFRESH_REJECTED",
                    $"the provider refused the refresh token ({outcome.Error}); the account is marked error and needs a new login");
            default:
                return Api.Error(502, "TOKEN_REFRESH_FAILED",
                    $"token refresh failed ({outcome.Error}); the account is temporarily unschedulable");
        }
        var refreshed = await db.Accounts.AsNoTracking().Include(a => a.Groups).FirstAsync(a => a.Id == accountId, ct);
        var dto = AccountDto.From(refreshed, codec.MaskStored(refreshed.CredentialsEncrypted));
        return Api.Ok((await AccountReferences.CompleteAsync([dto], db, slots, ct))[0]);
    }
}
