using Sub2Api.Scheduling.Concurrency;

namespace Sub2Api.Admin.Users;

/// <summary>Fills <c>current_concurrency</c> of listed users from the live per-user slots the relay holds.</summary>
internal static class UserConcurrency
{
    public static async Task<IReadOnlyList<AdminUserDto>> WithCurrentAsync(IReadOnlyList<AdminUserDto> users, IConcurrencySlots slots)
    {
        var result = new List<AdminUserDto>(users.Count);
        foreach (var user in users)
        {
            result.Add(user with { CurrentConcurrency = await slots.CountAsync(SlotScopes.User(user.Id)) });
        }
        return result;
    }
}
