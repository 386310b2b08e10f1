using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Sub2Api.Data.Entities;

namespace Sub2Api.Infrastructure.Caching;

/// <summary>
/// A counter bumped whenever configuration the relay caches (keys, users, groups, accounts, proxies,
/// subscriptions, rates) changes. Hot-path caches remember the generation they were built at and rebuild
/// lazily when it moves, so the relay never queries the database for data a snapshot can serve, yet an
/// admin's change is visible on the very next request.
/// </summary>
internal sealed class ConfigGeneration
{
    private long _value;

    public long Value => Volatile.Read(ref _value);

    public void Bump() => Interlocked.Increment(ref _value);
}

/// <summary>Bumps <see cref="ConfigGeneration"/> after any tracked save that touched a cached entity.</summary>
internal sealed class ConfigGenerationInterceptor(ConfigGeneration generation) : SaveChangesInterceptor
{
    private static readonly HashSet<Type> Watched =
    [
        typeof(User), typeof(ApiKey), typeof(Group), typeof(Account), typeof(AccountGroup), typeof(Proxy),
        typeof(UserSubscription), typeof(UserAllowedGroup), typeof(UserGroupRateMultiplier),
    ];

    // One interceptor serves every context (options are singletons), so the "this save touched a watched
    // entity" flag is kept per context. Bumping happens after the commit: a rebuild that starts earlier
    // would otherwise read old rows and be stamped with the new generation.
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<DbContext, object> _pending = [];

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Remember(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData,
        InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Remember(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        BumpIfPending(eventData.Context);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result,
        CancellationToken cancellationToken = default)
    {
        BumpIfPending(eventData.Context);
        return ValueTask.FromResult(result);
    }

    private void Remember(DbContext? context)
    {
        if (context is not null && Touches(context))
        {
            _pending.AddOrUpdate(context, context);
        }
    }

    private void BumpIfPending(DbContext? context)
    {
        if (context is not null && _pending.Remove(context))
        {
            generation.Bump();
        }
    }

    private static bool Touches(DbContext? context) =>
        context is not null && context.ChangeTracker.Entries().Any(e =>
            e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted && Watched.Contains(e.Entity.GetType()));
}
