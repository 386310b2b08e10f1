using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Sub2Api.Data.Entities;

namespace Sub2Api.Data.Configurations;

// One IEntityTypeConfiguration per entity. Unique indexes on soft-deletable tables ignore deleted rows,
// as the original's partial indexes do.

internal sealed class UserConfiguration : IEntityTypeConfiguration<User>
{
    public void Configure(EntityTypeBuilder<User> b)
    {
        b.Property(u => u.Email).HasMaxLength(255);
        b.Property(u => u.Role).HasMaxLength(20);
        b.Property(u => u.Status).HasMaxLength(20);
        b.Property(u => u.Username).HasMaxLength(100);
        b.HasIndex(u => u.Email).IsUnique().HasFilter("deleted_at IS NULL");
        b.HasMany(u => u.AllowedGroups).WithOne().HasForeignKey(a => a.UserId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(u => u.GroupRates).WithOne().HasForeignKey(r => r.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class UserAllowedGroupConfiguration : IEntityTypeConfiguration<UserAllowedGroup>
{
    public void Configure(EntityTypeBuilder<UserAllowedGroup> b) => b.HasKey(x => new { x.UserId, x.GroupId });
}

internal sealed class UserGroupRateMultiplierConfiguration : IEntityTypeConfiguration<UserGroupRateMultiplier>
{
    public void Configure(EntityTypeBuilder<UserGroupRateMultiplier> b) => b.HasKey(x => new { x.UserId, x.GroupId });
}

internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> b)
    {
        b.Property(k => k.KeyHash).HasMaxLength(64);
        b.Property(k => k.KeyHint).HasMaxLength(32);
        b.Property(k => k.Name).HasMaxLength(100);
        b.Property(k => k.Status).HasMaxLength(20);
        b.Property(k => k.IpWhitelist).AsJson();
        b.Property(k => k.IpBlacklist).AsJson();
        b.HasIndex(k => k.KeyHash).IsUnique();
        b.HasIndex(k => k.UserId);
        b.HasOne(k => k.User).WithMany().HasForeignKey(k => k.UserId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne(k => k.Group).WithMany().HasForeignKey(k => k.GroupId).OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class GroupConfiguration : IEntityTypeConfiguration<Group>
{
    public void Configure(EntityTypeBuilder<Group> b)
    {
        b.Property(g => g.Name).HasMaxLength(100);
        b.Property(g => g.Platform).HasMaxLength(20);
        b.Property(g => g.Status).HasMaxLength(20);
        b.Property(g => g.SubscriptionType).HasMaxLength(20);
        b.Property(g => g.ModelRouting).AsJson();
        b.Property(g => g.SupportedModelScopes).AsJson();
        b.HasIndex(g => g.Name).IsUnique().HasFilter("deleted_at IS NULL");
    }
}

internal sealed class AccountConfiguration : IEntityTypeConfiguration<Account>
{
    public void Configure(EntityTypeBuilder<Account> b)
    {
        b.Property(a => a.Name).HasMaxLength(100);
        b.Property(a => a.Platform).HasMaxLength(20);
        b.Property(a => a.Type).HasMaxLength(20);
        b.Property(a => a.Status).HasMaxLength(20);
        b.HasMany(a => a.Groups).WithOne().HasForeignKey(g => g.AccountId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(a => new { a.Platform, a.Status });
    }
}

internal sealed class AccountGroupConfiguration : IEntityTypeConfiguration<AccountGroup>
{
    public void Configure(EntityTypeBuilder<AccountGroup> b)
    {
        b.HasKey(x => new { x.AccountId, x.GroupId });
        b.HasIndex(x => x.GroupId);
    }
}

internal sealed class ProxyConfiguration : IEntityTypeConfiguration<Proxy>
{
    public void Configure(EntityTypeBuilder<Proxy> b)
    {
        b.Property(p => p.Name).HasMaxLength(100);
        b.Property(p => p.Protocol).HasMaxLength(10);
        b.Property(p => p.Host).HasMaxLength(255);
    }
}

internal sealed class UsageLogConfiguration : IEntityTypeConfiguration<UsageLog>
{
    public void Configure(EntityTypeBuilder<UsageLog> b)
    {
        b.Property(u => u.RequestId).HasMaxLength(64);
        b.Property(u => u.Model).HasMaxLength(100);
        b.HasIndex(u => new { u.RequestId, u.ApiKeyId }).IsUnique();
        b.HasIndex(u => new { u.UserId, u.CreatedAt });
        b.HasIndex(u => new { u.ApiKeyId, u.CreatedAt });
        b.HasIndex(u => new { u.AccountId, u.CreatedAt });
        b.HasIndex(u => u.CreatedAt);
    }
}

internal sealed class SettingConfiguration : IEntityTypeConfiguration<Setting>
{
    public void Configure(EntityTypeBuilder<Setting> b)
    {
        b.HasKey(s => s.Key);
        b.Property(s => s.Key).HasMaxLength(100);
    }
}

internal sealed class UserSubscriptionConfiguration : IEntityTypeConfiguration<UserSubscription>
{
    public void Configure(EntityTypeBuilder<UserSubscription> b)
    {
        b.Property(s => s.Status).HasMaxLength(20);
        b.HasIndex(s => new { s.UserId, s.GroupId });
    }
}

internal sealed class RedeemCodeConfiguration : IEntityTypeConfiguration<RedeemCode>
{
    public void Configure(EntityTypeBuilder<RedeemCode> b)
    {
        b.Property(r => r.Code).HasMaxLength(64);
        b.Property(r => r.Type).HasMaxLength(20);
        b.Property(r => r.Status).HasMaxLength(20);
        b.HasIndex(r => r.Code).IsUnique();
        b.HasIndex(r => r.UsedBy);
    }
}

internal sealed class RefreshTokenConfiguration : IEntityTypeConfiguration<RefreshToken>
{
    public void Configure(EntityTypeBuilder<RefreshToken> b)
    {
        b.Property(r => r.TokenHash).HasMaxLength(64);
        b.Property(r => r.FamilyId).HasMaxLength(32);
        b.HasIndex(r => r.TokenHash).IsUnique();
        b.HasIndex(r => r.FamilyId);
        b.HasIndex(r => r.UserId);
    }
}

internal sealed class PromoCodeConfiguration : IEntityTypeConfiguration<PromoCode>
{
    public void Configure(EntityTypeBuilder<PromoCode> b)
    {
        b.Property(p => p.Code).HasMaxLength(64);
        b.Property(p => p.Status).HasMaxLength(20);
        b.Property(p => p.Notes).HasMaxLength(1000);
        b.HasIndex(p => p.Code).IsUnique();
    }
}

internal sealed class PromoCodeUsageConfiguration : IEntityTypeConfiguration<PromoCodeUsage>
{
    public void Configure(EntityTypeBuilder<PromoCodeUsage> b)
    {
        b.HasIndex(u => new { u.PromoCodeId, u.UserId }).IsUnique();
    }
}

internal sealed class AnnouncementConfiguration : IEntityTypeConfiguration<Announcement>
{
    public void Configure(EntityTypeBuilder<Announcement> b)
    {
        b.Property(a => a.Title).HasMaxLength(200);
        b.Property(a => a.Status).HasMaxLength(20);
        b.Property(a => a.Targeting).HasMaxLength(8000);
        b.HasIndex(a => new { a.Status, a.StartsAt });
    }
}

internal sealed class AnnouncementReadConfiguration : IEntityTypeConfiguration<AnnouncementRead>
{
    public void Configure(EntityTypeBuilder<AnnouncementRead> b)
    {
        b.HasIndex(r => new { r.AnnouncementId, r.UserId }).IsUnique();
        b.HasIndex(r => r.UserId);
    }
}

internal sealed class UserAttributeDefinitionConfiguration : IEntityTypeConfiguration<UserAttributeDefinition>
{
    public void Configure(EntityTypeBuilder<UserAttributeDefinition> b)
    {
        b.Property(d => d.Key).HasMaxLength(64);
        b.Property(d => d.Name).HasMaxLength(128);
        b.Property(d => d.Type).HasMaxLength(20);
        b.Property(d => d.Placeholder).HasMaxLength(255);
        b.HasIndex(d => d.Key).IsUnique().HasFilter("deleted_at IS NULL");
    }
}

internal sealed class UserAttributeValueConfiguration : IEntityTypeConfiguration<UserAttributeValue>
{
    public void Configure(EntityTypeBuilder<UserAttributeValue> b)
    {
        b.Property(v => v.Value).HasMaxLength(4000);
        b.HasIndex(v => new { v.UserId, v.AttributeId }).IsUnique();
    }
}

internal sealed class UsageCleanupTaskConfiguration : IEntityTypeConfiguration<UsageCleanupTask>
{
    public void Configure(EntityTypeBuilder<UsageCleanupTask> b)
    {
        b.Property(t => t.Status).HasMaxLength(20);
        b.Property(t => t.Filters).HasMaxLength(2000);
        b.Property(t => t.ErrorMessage).HasMaxLength(2000);
        b.HasIndex(t => t.Status);
    }
}

internal sealed class AuthChallengeConfiguration : IEntityTypeConfiguration<AuthChallenge>
{
    public void Configure(EntityTypeBuilder<AuthChallenge> b)
    {
        b.Property(c => c.Purpose).HasMaxLength(32);
        b.Property(c => c.Email).HasMaxLength(255);
        b.Property(c => c.SecretHash).HasMaxLength(64);
        b.HasIndex(c => new { c.Purpose, c.Email, c.CreatedAt });
        b.HasIndex(c => c.SecretHash);
        b.HasIndex(c => c.ExpiresAt);
    }
}
