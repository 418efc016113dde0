using Pantau.Core.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Pantau.Core.Coordination;
using Pantau.Data.Auditing;

namespace Pantau.Data.Coordination;

/// <summary>An entry of the coordination directory (Forkopimda member, KPU, Bawaslu, camat ...).</summary>
public class Agency
{
    public int Id { get; set; }
    /// <summary>Stable code, <c>REGION:KIND</c> for generated entries (e.g. <c>16.71:POLRES</c>); users link to an agency through it.</summary>
    public required string Code { get; set; }
    public required string Name { get; set; }
    public AgencyKind Kind { get; set; }
    public required string RegionCode { get; set; }
    /// <summary>Member of the Forkopimda (province, kab/kota) or Forkopimcam (kecamatan).</summary>
    public bool IsForkopim { get; set; }
    /// <summary>Generated from the region list rather than entered by hand.</summary>
    public bool IsGenerated { get; set; }
    /// <summary>Phone or e-mail, often an official's own mobile: not copied to the audit trail.</summary>
    [Masked]
    public string? Contact { get; set; }
    public bool IsActive { get; set; } = true;
    public long Version { get; set; }
}

/// <summary>A rakor (rapat koordinasi) at province, kab/kota or kecamatan level.</summary>
public class Meeting
{
    public int Id { get; set; }
    public required string Title { get; set; }
    public required string RegionCode { get; set; }
    public DateTimeOffset HeldAt { get; set; }
    public string? Location { get; set; }
    public string? Chair { get; set; }
    public string? Minutes { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public string CreatedBy { get; set; } = "";
    public long Version { get; set; }
    public List<AgendaItem> Agenda { get; set; } = [];
    public List<MeetingParticipant> Participants { get; set; } = [];
    public List<Decision> Decisions { get; set; } = [];
}

public class AgendaItem
{
    public int Id { get; set; }
    public int MeetingId { get; set; }
    public int Order { get; set; }
    public required string Title { get; set; }
    public string? Notes { get; set; }
}

public class MeetingParticipant
{
    public int Id { get; set; }
    public int MeetingId { get; set; }
    public int AgencyId { get; set; }
    public Agency? Agency { get; set; }
    public bool Attended { get; set; }
    public string? Representative { get; set; }
}

public class Decision
{
    public int Id { get; set; }
    public int MeetingId { get; set; }
    public Meeting? Meeting { get; set; }
    public int Order { get; set; }
    public required string Text { get; set; }
}

/// <summary>A signed kesepakatan bersama between agencies; its follow-ups are <see cref="FollowUpAction"/>s.</summary>
public class Agreement
{
    public int Id { get; set; }
    public required string Title { get; set; }
    public required string RegionCode { get; set; }
    public DateTimeOffset SignedAt { get; set; }
    public required string Scope { get; set; }
    public Guid? DocumentFileId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public long Version { get; set; }
    public List<AgreementParty> Parties { get; set; } = [];
}

public class AgreementParty
{
    public int Id { get; set; }
    public int AgreementId { get; set; }
    public int AgencyId { get; set; }
    public Agency? Agency { get; set; }
}

/// <summary>A follow-up action (tindak lanjut) of a rakor decision or of an agreement, owned by one agency.</summary>
public class FollowUpAction
{
    public int Id { get; set; }
    public required string Title { get; set; }
    public string? Details { get; set; }
    public int? MeetingId { get; set; }
    public Meeting? Meeting { get; set; }
    public int? DecisionId { get; set; }
    public Decision? Decision { get; set; }
    public int? AgreementId { get; set; }
    public Agreement? Agreement { get; set; }
    public int OwnerAgencyId { get; set; }
    public Agency? OwnerAgency { get; set; }
    public required string RegionCode { get; set; }
    public DateTimeOffset DueAt { get; set; }
    /// <summary>Optional tahapan the due date is tied to (code) and the offset in days from its start.</summary>
    public string? TahapanCode { get; set; }
    public int? TahapanOffsetDays { get; set; }
    public ActionStatus Status { get; set; }
    public string? StatusNote { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }
    /// <summary>When the overdue job escalated the action to the Desk (null while not escalated).</summary>
    public DateTimeOffset? EscalatedAt { get; set; }
    public long Version { get; set; }
}

/// <summary>A generated daily situation report (laporan situasi): the PDF and Excel files live in the file store.</summary>
public class SituationReport
{
    public int Id { get; set; }
    public required string RegionCode { get; set; }
    /// <summary>Local (WIB) date the report describes, <c>yyyy-MM-dd</c>.</summary>
    public required string ReportDate { get; set; }
    public DateTimeOffset GeneratedAt { get; set; }
    public bool Scheduled { get; set; }
    public Guid? PdfFileId { get; set; }
    public Guid XlsxFileId { get; set; }
    public string GeneratedBy { get; set; } = "";
    public string? Error { get; set; }
}

internal sealed class AgencyConfiguration : IEntityTypeConfiguration<Agency>
{
    public void Configure(EntityTypeBuilder<Agency> b)
    {
        b.HasIndex(a => a.Code).IsUnique();
        b.HasIndex(a => a.RegionCode);
        b.Property(a => a.Code).HasMaxLength(60);
        b.Property(a => a.Name).HasMaxLength(200);
        b.Property(a => a.RegionCode).HasMaxLength(20);
        b.Property(a => a.Contact).HasMaxLength(300);
        b.Property(a => a.Version).IsConcurrencyToken();
    }
}

internal sealed class MeetingConfiguration : IEntityTypeConfiguration<Meeting>
{
    public void Configure(EntityTypeBuilder<Meeting> b)
    {
        b.HasIndex(m => new { m.RegionCode, m.HeldAt });
        b.Property(m => m.Title).HasMaxLength(300);
        b.Property(m => m.RegionCode).HasMaxLength(20);
        b.Property(m => m.Location).HasMaxLength(300);
        b.Property(m => m.Chair).HasMaxLength(200);
        b.Property(m => m.CreatedBy).HasMaxLength(256);
        b.Property(m => m.Minutes).HasMaxLength(TextRules.Minutes);
        b.Property(m => m.Version).IsConcurrencyToken();
        b.HasMany(m => m.Agenda).WithOne().HasForeignKey(a => a.MeetingId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(m => m.Participants).WithOne().HasForeignKey(a => a.MeetingId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(m => m.Decisions).WithOne(d => d.Meeting).HasForeignKey(a => a.MeetingId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AgendaItemConfiguration : IEntityTypeConfiguration<AgendaItem>
{
    public void Configure(EntityTypeBuilder<AgendaItem> b)
    {
        b.Property(a => a.Title).HasMaxLength(300);
        b.Property(a => a.Notes).HasMaxLength(TextRules.Note);
    }
}

internal sealed class DecisionConfiguration : IEntityTypeConfiguration<Decision>
{
    public void Configure(EntityTypeBuilder<Decision> b) => b.Property(d => d.Text).HasMaxLength(TextRules.Details);
}

internal sealed class MeetingParticipantConfiguration : IEntityTypeConfiguration<MeetingParticipant>
{
    public void Configure(EntityTypeBuilder<MeetingParticipant> b)
    {
        b.HasIndex(p => new { p.MeetingId, p.AgencyId }).IsUnique();
        b.HasOne(p => p.Agency).WithMany().HasForeignKey(p => p.AgencyId).OnDelete(DeleteBehavior.Restrict);
        b.Property(p => p.Representative).HasMaxLength(200);
    }
}

internal sealed class AgreementConfiguration : IEntityTypeConfiguration<Agreement>
{
    public void Configure(EntityTypeBuilder<Agreement> b)
    {
        b.Property(a => a.Title).HasMaxLength(300);
        b.Property(a => a.RegionCode).HasMaxLength(20);
        b.Property(a => a.Scope).HasMaxLength(TextRules.Details);
        b.Property(a => a.Version).IsConcurrencyToken();
        b.HasMany(a => a.Parties).WithOne().HasForeignKey(p => p.AgreementId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AgreementPartyConfiguration : IEntityTypeConfiguration<AgreementParty>
{
    public void Configure(EntityTypeBuilder<AgreementParty> b)
    {
        b.HasIndex(p => new { p.AgreementId, p.AgencyId }).IsUnique();
        b.HasOne(p => p.Agency).WithMany().HasForeignKey(p => p.AgencyId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class FollowUpActionConfiguration : IEntityTypeConfiguration<FollowUpAction>
{
    public void Configure(EntityTypeBuilder<FollowUpAction> b)
    {
        b.HasIndex(a => new { a.RegionCode, a.Status, a.DueAt });
        b.HasIndex(a => new { a.OwnerAgencyId, a.Status });
        b.Property(a => a.Title).HasMaxLength(300);
        b.Property(a => a.RegionCode).HasMaxLength(20);
        b.Property(a => a.TahapanCode).HasMaxLength(60);
        b.Property(a => a.StatusNote).HasMaxLength(1000);
        b.Property(a => a.Details).HasMaxLength(TextRules.Details);
        b.Property(a => a.Version).IsConcurrencyToken();
        b.HasOne(a => a.Meeting).WithMany().HasForeignKey(a => a.MeetingId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne(a => a.Decision).WithMany().HasForeignKey(a => a.DecisionId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne(a => a.Agreement).WithMany().HasForeignKey(a => a.AgreementId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne(a => a.OwnerAgency).WithMany().HasForeignKey(a => a.OwnerAgencyId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class SituationReportConfiguration : IEntityTypeConfiguration<SituationReport>
{
    public void Configure(EntityTypeBuilder<SituationReport> b)
    {
        b.HasIndex(r => new { r.RegionCode, r.ReportDate });
        b.Property(r => r.RegionCode).HasMaxLength(20);
        b.Property(r => r.ReportDate).HasMaxLength(10);
        b.Property(r => r.GeneratedBy).HasMaxLength(256);
        b.Property(r => r.Error).HasMaxLength(1000);
    }
}
