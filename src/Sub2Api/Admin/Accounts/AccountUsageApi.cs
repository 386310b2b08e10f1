using Sub2Api.Common;
using Sub2Api.Data;
using Sub2Api.Providers.Anthropic.Usage;
using Sub2Api.Scheduling;

namespace Sub2Api.Admin.Accounts;

/// <summary><c>GET /admin/accounts/:id/usage</c>: the account's 5-hour and 7-day windows (see <see cref="AccountUsageService"/>).</summary>
internal static class AccountUsageApi
{
    public static void MapAdminAccountUsage(this RouteGroupBuilder admin) =>
        admin.MapGet("/accounts/{id:long}/usage", async (long id, AccountPool pool, AccountUsageService usage, CancellationToken ct) =>
        {
            var snapshot = await pool.GetAsync(ct);
            if (!snapshot.ById.TryGetValue(id, out var account))
            {
                return Api.NotFound($"account {id} not found");
            }
            return await usage.GetAsync(account, ct) is { } info
                ? Api.Ok(info)
                : Api.BadRequest($"account type {account.Type} does not support usage query");
        });

    /// <summary>The services behind the per-account admin reads.</summary>
    public static IServiceCollection AddAccountInsights(this IServiceCollection services)
    {
        services.AddSingleton<ClaudeUsageClient>();
        services.AddSingleton<AccountUsageService>();
        return services;
    }
}
