using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Pantau.Data.Auditing;
using Pantau.Data.Elections;
using Pantau.Data.Identity;
using Pantau.Data.Regions;

namespace Pantau.Data;

internal sealed class RegionConfiguration : IEntityTypeConfiguration<Region>
{
    public void Configure(EntityTypeBuilder<Region> b)
    {
        b.HasKey(r => r.Code);
        b.Property(r => r.Code).HasMaxLength(13);
        b.Property(r => r.ParentCode).HasMaxLength(13);
        b.Property(r => r.Name).HasMaxLength(200);
        b.Property(r => r.Type).HasMaxLength(20);
        b.HasIndex(r => r.ParentCode);
        b.HasIndex(r => r.Level);
    }
}

internal sealed class TpsConfiguration : IEntityTypeConfiguration<Tps>
{
    public void Configure(EntityTypeBuilder<Tps> b)
    {
        b.HasKey(t => t.Code);
        b.Property(t => t.Code).HasMaxLength(13);
        b.Property(t => t.DesaCode).HasMaxLength(13);
        b.Property(t => t.KecamatanCode).HasMaxLength(8);
        b.Property(t => t.KabKotaCode).HasMaxLength(5);
        b.HasIndex(t => t.DesaCode);
        b.HasIndex(t => t.KecamatanCode);
        b.HasIndex(t => t.KabKotaCode);
    }
}

internal sealed class PemiluTpsConfiguration : IEntityTypeConfiguration<PemiluTps>
{
    public void Configure(EntityTypeBuilder<PemiluTps> b)
    {
        b.HasKey(t => t.Code);
        b.Property(t => t.Code).HasMaxLength(13);
        b.Property(t => t.DesaCode).HasMaxLength(13);
        b.HasIndex(t => t.DesaCode);
    }
}

internal sealed class ElectionConfiguration : IEntityTypeConfiguration<Election>
{
    public void Configure(EntityTypeBuilder<Election> b)
    {
        b.HasIndex(e => e.Code).IsUnique();
        b.Property(e => e.Code).HasMaxLength(40);
        b.Property(e => e.Name).HasMaxLength(200);
        b.Property(e => e.RegionCode).HasMaxLength(13);
        b.Property(e => e.IkpEdition).HasMaxLength(40);
        b.Property(e => e.Source).HasMaxLength(Pantau.Core.Text.TextRules.Note);
        b.Property(e => e.Notes).HasMaxLength(Pantau.Core.Text.TextRules.Note);
        b.Property(e => e.Version).IsConcurrencyToken();
        b.HasMany(e => e.Contests).WithOne().HasForeignKey(c => c.ElectionId);
        b.HasOne<Election>().WithMany().HasForeignKey(e => e.ReVotesElectionId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class PsuTpsConfiguration : IEntityTypeConfiguration<PsuTps>
{
    public void Configure(EntityTypeBuilder<PsuTps> b)
    {
        b.Property(t => t.ContestCode).HasMaxLength(40);
        b.Property(t => t.TpsCode).HasMaxLength(13);
        b.HasIndex(t => new { t.ElectionId, t.ContestCode, t.TpsCode }).IsUnique();
        b.HasIndex(t => new { t.ContestCode, t.TpsCode });
        b.HasOne<Election>().WithMany().HasForeignKey(t => t.ElectionId);
    }
}

internal sealed class ContestConfiguration : IEntityTypeConfiguration<Contest>
{
    public void Configure(EntityTypeBuilder<Contest> b)
    {
        b.HasIndex(c => c.Code).IsUnique();
        b.Property(c => c.Code).HasMaxLength(40);
        b.Property(c => c.RegionCode).HasMaxLength(13);
        b.Property(c => c.Name).HasMaxLength(200);
        b.Property(c => c.Notes).HasMaxLength(Pantau.Core.Text.TextRules.Note);
        b.HasMany(c => c.Paslon).WithOne().HasForeignKey(p => p.ContestId);
    }
}

internal sealed class PaslonConfiguration : IEntityTypeConfiguration<Paslon>
{
    public void Configure(EntityTypeBuilder<Paslon> b)
    {
        b.HasIndex(p => new { p.ContestId, p.Number }).IsUnique();
        b.Property(p => p.Candidate).HasMaxLength(200);
        b.Property(p => p.RunningMate).HasMaxLength(200);
        b.Property(p => p.Alias).HasMaxLength(100);
        b.Ignore(p => p.DisplayName);
    }
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> b)
    {
        b.HasIndex(a => a.At);
        b.HasIndex(a => new { a.EntityType, a.EntityKey });
        b.Property(a => a.UserId).HasMaxLength(64);
        b.Property(a => a.UserName).HasMaxLength(256);
        b.Property(a => a.RemoteIp).HasMaxLength(64);
        b.Property(a => a.Action).HasMaxLength(16);
        b.Property(a => a.EntityType).HasMaxLength(100);
        b.Property(a => a.EntityKey).HasMaxLength(200);
        // The chain position is unique: two writers that read the same tail cannot both append after it (no fork of the chain).
        b.HasIndex(a => a.Seq).IsUnique();
        b.Property(a => a.PrevHash).HasMaxLength(64);
        b.Property(a => a.Hash).HasMaxLength(64);
    }
}

internal sealed class ApiTokenConfiguration : IEntityTypeConfiguration<ApiToken>
{
    public void Configure(EntityTypeBuilder<ApiToken> b)
    {
        b.HasIndex(t => t.TokenHash).IsUnique();
        b.Property(t => t.TokenHash).HasMaxLength(64);
        b.Property(t => t.Name).HasMaxLength(100);
        b.Property(t => t.UserId).HasMaxLength(64);
    }
}

internal sealed class PantauUserConfiguration : IEntityTypeConfiguration<PantauUser>
{
    public void Configure(EntityTypeBuilder<PantauUser> b)
    {
        b.Property(u => u.DisplayName).HasMaxLength(Pantau.Core.Text.TextRules.Name);
        b.Property(u => u.Agency).HasMaxLength(Pantau.Core.Text.TextRules.Name);
        b.Property(u => u.ScopeCode).HasMaxLength(Pantau.Core.Text.TextRules.ScopeCode);
        b.Property(u => u.PhoneNumber).HasMaxLength(Pantau.Core.Text.TextRules.Phone);
    }
}
