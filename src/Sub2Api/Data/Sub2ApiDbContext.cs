using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Sub2Api.Data.Entities;

namespace Sub2Api.Data;

/// <summary>
/// The one model for both providers. Provider-specific migrations live in derived contexts
/// (<see cref="SqliteSub2ApiDbContext"/>, <see cref="PostgresSub2ApiDbContext"/>); everything else
/// asks for this type.
/// </summary>
internal class Sub2ApiDbContext(DbContextOptions options) : DbContext(options)
{
    /// <summary>Money and multipliers: exact decimals with 12 places in every provider.</summary>
    public const int MoneyPrecision = 24;
    public const int MoneyScale = 12;

    public DbSet<User> Users => Set<User>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<Group> Groups => Set<Group>();
    public DbSet<Account> Accounts => Set<Account>();
    public DbSet<AccountGroup> AccountGroups => Set<AccountGroup>();
    public DbSet<Proxy> Proxies => Set<Proxy>();
    public DbSet<UsageLog> UsageLogs => Set<UsageLog>();
    public DbSet<Setting> Settings => Set<Setting>();
    public DbSet<UserAllowedGroup> UserAllowedGroups => Set<UserAllowedGroup>();
    public DbSet<UserGroupRateMultiplier> UserGroupRateMultipliers => Set<UserGroupRateMultiplier>();
    public DbSet<UserSubscription> UserSubscriptions => Set<UserSubscription>();
    public DbSet<RedeemCode> RedeemCodes => Set<RedeemCode>();
    public DbSet<RefreshToken> RefreshTokens => Set<RefreshToken>();
    public DbSet<ErrorPassthroughRule> ErrorPassthroughRules => Set<ErrorPassthroughRule>();
    public DbSet<OpsErrorLog> OpsErrorLogs => Set<OpsErrorLog>();
    public DbSet<OpsAlertRule> OpsAlertRules => Set<OpsAlertRule>();
    public DbSet<OpsAlertEvent> OpsAlertEvents => Set<OpsAlertEvent>();
    public DbSet<OpsAlertSilence> OpsAlertSilences => Set<OpsAlertSilence>();
    public DbSet<PromoCode> PromoCodes => Set<PromoCode>();
    public DbSet<PromoCodeUsage> PromoCodeUsages => Set<PromoCodeUsage>();
    public DbSet<Announcement> Announcements => Set<Announcement>();
    public DbSet<AnnouncementRead> AnnouncementReads => Set<AnnouncementRead>();
    public DbSet<UserAttributeDefinition> UserAttributeDefinitions => Set<UserAttributeDefinition>();
    public DbSet<UserAttributeValue> UserAttributeValues => Set<UserAttributeValue>();
    public DbSet<UsageCleanupTask> UsageCleanupTasks => Set<UsageCleanupTask>();
    public DbSet<AuthChallenge> AuthChallenges => Set<AuthChallenge>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<decimal>().HavePrecision(MoneyPrecision, MoneyScale);
        configurationBuilder.Properties<decimal?>().HavePrecision(MoneyPrecision, MoneyScale);
        // SQLite hands DateTimes back as Unspecified; every timestamp here is UTC.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<UtcDateTimeConverter>();
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(Sub2ApiDbContext).Assembly,
            t => t.Namespace == typeof(Configurations.UserConfiguration).Namespace);

        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            if (typeof(ISoftDeletable).IsAssignableFrom(entity.ClrType))
            {
                var row = Expression.Parameter(entity.ClrType, "row");
                var deletedAt = Expression.Property(row, nameof(ISoftDeletable.DeletedAt));
                var filter = Expression.Lambda(Expression.Equal(deletedAt, Expression.Constant(null, typeof(DateTime?))), row);
                modelBuilder.Entity(entity.ClrType).HasQueryFilter(filter);
            }
        }
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        StampTimes();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        StampTimes();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    private void StampTimes()
    {
        var now = DateTime.UtcNow;
        foreach (var entry in ChangeTracker.Entries<ITimestamped>())
        {
            if (entry.State == EntityState.Added)
            {
                if (entry.Entity.CreatedAt == default)
                {
                    entry.Entity.CreatedAt = now;
                }
                entry.Entity.UpdatedAt = now;
            }
            else if (entry.State == EntityState.Modified)
            {
                entry.Entity.UpdatedAt = now;
            }
        }
    }

    private sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
}

/// <summary>SQLite migrations (Data/Migrations/Sqlite).</summary>
internal sealed class SqliteSub2ApiDbContext(DbContextOptions<SqliteSub2ApiDbContext> options) : Sub2ApiDbContext(options);

/// <summary>PostgreSQL migrations (Data/Migrations/Postgres).</summary>
internal sealed class PostgresSub2ApiDbContext(DbContextOptions<PostgresSub2ApiDbContext> options) : Sub2ApiDbContext(options);
