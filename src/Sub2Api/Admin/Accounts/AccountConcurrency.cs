using Sub2Api.Scheduling.Concurrency;

namespace Sub2Api.Admin.Accounts;

/// <summary>Fills <c>current_concurrency</c> of listed accounts from the live slots (one round trip in multi-node mode).</summary>
internal static class AccountConcurrency
{
    public static async Task<IReadOnlyList<AccountDto>> WithCurrentAsync(IReadOnlyList<AccountDto> accounts, IConcurrencySlots slots)
    {
        if (accounts.Count == 0)
        {
            return accounts;
        }
        var loads = await slots.GetAccountLoadsAsync([.. accounts.Select(a => (a.Id, a.Concurrency))]);
        return [.. accounts.Select(a => a with { CurrentConcurrency = loads.TryGetValue(a.Id, out var load) ? load.InUse : 0 })];
    }
}
