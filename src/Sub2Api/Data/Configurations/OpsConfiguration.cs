using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Sub2Api.Data.Entities;

namespace Sub2Api.Data.Configurations;

internal sealed class OpsErrorLogConfiguration : IEntityTypeConfiguration<OpsErrorLog>
{
    public void Configure(EntityTypeBuilder<OpsErrorLog> b)
    {
        b.Property(e => e.Kind).HasMaxLength(16);
        b.Property(e => e.Phase).HasMaxLength(16);
        b.Property(e => e.Type).HasMaxLength(64);
        b.Property(e => e.Owner).HasMaxLength(16);
        b.Property(e => e.Severity).HasMaxLength(4);
        b.Property(e => e.Platform).HasMaxLength(32);
        b.Property(e => e.Model).HasMaxLength(200);
        b.Property(e => e.RequestId).HasMaxLength(64);
        b.Property(e => e.Message).HasMaxLength(2000);
        b.Property(e => e.ClientIp).HasMaxLength(64);
        b.Property(e => e.RequestPath).HasMaxLength(200);
        b.Property(e => e.UserAgent).HasMaxLength(500);
        b.Property(e => e.UpstreamErrorMessage).HasMaxLength(2000);
        // Time-ordered reads: the list is newest first per kind; per-account views for the "which account fails" card;
        // retention deletes by time.
        b.HasIndex(e => new { e.Kind, e.CreatedAt });
        b.HasIndex(e => new { e.AccountId, e.CreatedAt });
        b.HasIndex(e => e.CreatedAt);
        b.HasIndex(e => e.RequestId);
    }
}

internal sealed class OpsAlertRuleConfiguration : IEntityTypeConfiguration<OpsAlertRule>
{
    public void Configure(EntityTypeBuilder<OpsAlertRule> b)
    {
        b.Property(r => r.Name).HasMaxLength(128);
        b.Property(r => r.Description).HasMaxLength(2000);
        b.Property(r => r.Severity).HasMaxLength(4);
        b.Property(r => r.MetricType).HasMaxLength(64);
        b.Property(r => r.Operator).HasMaxLength(4);
        b.Property(r => r.Filters).HasMaxLength(2000);
    }
}

internal sealed class OpsAlertEventConfiguration : IEntityTypeConfiguration<OpsAlertEvent>
{
    public void Configure(EntityTypeBuilder<OpsAlertEvent> b)
    {
        b.Property(e => e.Severity).HasMaxLength(4);
        b.Property(e => e.Status).HasMaxLength(16);
        b.Property(e => e.Title).HasMaxLength(300);
        b.Property(e => e.Description).HasMaxLength(4000);
        b.Property(e => e.Dimensions).HasMaxLength(2000);
        b.HasIndex(e => new { e.RuleId, e.Status });
        b.HasIndex(e => e.FiredAt);
    }
}

internal sealed class OpsAlertSilenceConfiguration : IEntityTypeConfiguration<OpsAlertSilence>
{
    public void Configure(EntityTypeBuilder<OpsAlertSilence> b)
    {
        b.Property(s => s.Platform).HasMaxLength(32);
        b.Property(s => s.Reason).HasMaxLength(500);
        b.HasIndex(s => new { s.RuleId, s.Until });
    }
}
