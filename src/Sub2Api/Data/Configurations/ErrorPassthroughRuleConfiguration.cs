using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Sub2Api.Data.Entities;

namespace Sub2Api.Data.Configurations;

internal sealed class ErrorPassthroughRuleConfiguration : IEntityTypeConfiguration<ErrorPassthroughRule>
{
    public void Configure(EntityTypeBuilder<ErrorPassthroughRule> b)
    {
        b.Property(r => r.Name).HasMaxLength(100);
        b.Property(r => r.MatchMode).HasMaxLength(10);
        b.Property(r => r.CustomMessage).HasMaxLength(2000);
        b.Property(r => r.Description).HasMaxLength(2000);
        b.Property(r => r.ErrorCodes).AsJson();
        b.Property(r => r.Keywords).AsJson();
        b.Property(r => r.Platforms).AsJson();
        b.HasIndex(r => new { r.Enabled, r.Priority });
    }
}
