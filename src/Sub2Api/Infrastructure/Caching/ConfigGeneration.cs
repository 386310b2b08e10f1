using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using System.Runtime.CompilerServices;
using Sub2Api.Data.Entities;

namespace Sub2Api.Infrastructure.Caching;

/// <summary>What changed: who may call (keys, users, groups, subscriptions, rates) or which accounts serve.</summary>
[Flags]
internal enum ConfigScope
{
    Callers = 1,
    Accounts = 2,
    /// <summary>The error-passthrough rules (read only when an upstream error is answered).</summary>
    ErrorPassthroughRules = 4,
    All = Callers | Accounts | ErrorPassthroughRules,
}

/// <summary>
/// Counters bumped whenever configuration the relay caches changes, one per scope. Hot-path caches remember
/// the generation they were built at and rebuild lazily when it moves, so the relay never queries the database
/// for data a snapshot can serve, yet an admin's change is visible on the very next request. Account health
/// marks move only <see cref="ConfigScope.Accounts"/>, so a 429 storm never flushes the callers' cache.
/// </summary>
internal sealed class ConfigGeneration
{
    private long _callers;
    private long _accounts;
    private long _errorPassthroughRules;

    public long Callers => Volatile.Read(ref _callers);
    public long Accounts => Volatile.Read(ref _accounts);
    public long ErrorPassthroughRules => Volatile.Read(ref _errorPassthroughRules);

    /// <summary>Raised after a local change, so a cluster bus can tell the other nodes.</summary>
    public event Action<ConfigScope>? ChangedLocally;

    public void Bump(ConfigScope scope)
    {
        BumpFromRemote(scope);
        ChangedLocally?.Invoke(scope);
    }

    /// <summary>Another node changed something: invalidate here without announcing it again.</summary>
    public void BumpFromRemote(ConfigScope scope)
    {
        if (scope.HasFlag(ConfigScope.Callers))
        {
            Interlocked.Increment(ref _callers);
        }
        if (scope.HasFlag(ConfigScope.Accounts))
        {
            Interlocked.Increment(ref _accounts);
        }
        if (scope.HasFlag(ConfigScope.ErrorPassthroughRules))
        {
            Interlocked.Increment(ref _errorPassthroughRules);
        }
    }
}

/// <summary>Bumps <see cref="ConfigGeneration"/> after any tracked save that touched a cached entity.</summary>
internal sealed class ConfigGenerationInterceptor(ConfigGeneration generation) : SaveChangesInterceptor
{
    private static readonly Dictionary<Type, ConfigScope> Watched = new()
    {
        [typeof(User)] = ConfigScope.Callers,
        [typeof(ApiKey)] = ConfigScope.Callers,
        [typeof(Group)] = ConfigScope.All,
        [typeof(UserSubscription)] = ConfigScope.Callers,
        [typeof(UserAllowedGroup)] = ConfigScope.Callers,
        [typeof(UserGroupRateMultiplier)] = ConfigScope.Callers,
        [typeof(Account)] = ConfigScope.Accounts,
        [typeof(AccountGroup)] = ConfigScope.Accounts,
        [typeof(Proxy)] = ConfigScope.Accounts,
        [typeof(ErrorPassthroughRule)] = ConfigScope.ErrorPassthroughRules,
    };

    // One interceptor serves every context (options are singletons), so the "this save touched a watched
    // entity" flag is kept per context. Bumping happens after the commit: a rebuild that starts earlier
    // would otherwise read old rows and be stamped with the new generation.
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<DbContext, StrongBox<ConfigScope>> _pending = [];

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
        if (context is not null && Touched(context) is { } scope and not 0)
        {
            _pending.AddOrUpdate(context, new StrongBox<ConfigScope>(scope));
        }
    }

    private void BumpIfPending(DbContext? context)
    {
        if (context is not null && _pending.TryGetValue(context, out var scope) && _pending.Remove(context))
        {
            generation.Bump(scope.Value);
        }
    }

    private static ConfigScope Touched(DbContext context)
    {
        ConfigScope scope = 0;
        foreach (var entry in context.ChangeTracker.Entries())
        {
            if (entry.State is EntityState.Added or EntityState.Modified or EntityState.Deleted
                && Watched.TryGetValue(entry.Entity.GetType(), out var touched))
            {
                scope |= touched;
            }
        }
        return scope;
    }
}
