using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Pantau.Data.Tally.Anomalies;

/// <summary>Where an anomaly is in the review queue.</summary>
public enum AnomalyStatus
{
    /// <summary>Found (or found again) and not yet looked at.</summary>
    Open = 1,
    /// <summary>Someone is looking at it.</summary>
    Acknowledged = 2,
    /// <summary>Passed on for follow-up (Bawaslu finding, KPU recount ...).</summary>
    Escalated = 3,
    /// <summary>Closed by a reviewer with a reason; reopens when a newer version of the TPS result triggers it again.</summary>
    Dismissed = 4,
    /// <summary>Closed by the scanner: the condition no longer holds (a newer version, or the area's statistics moved).</summary>
    Resolved = 5,
}

/// <summary>
/// One anomaly of a contest at a TPS (or, for the last-digit test, a kab/kota): one row per contest, subject and code, updated
/// in place when it is found again. Changes are audited by <c>SaveChanges</c>; the status history is kept in <see cref="TallyAnomalyEvent"/>.
/// </summary>
public class TallyAnomaly
{
    public long Id { get; set; }
    public required string ContestCode { get; set; }
    /// <summary>TPS code (13 digits) or dotted kab/kota code.</summary>
    public required string SubjectCode { get; set; }
    public required string Code { get; set; }
    /// <summary>Dotted region of the subject (the desa of a TPS, or the kab/kota): the scope check uses it.</summary>
    public required string RegionCode { get; set; }
    public required string KabKotaCode { get; set; }
    public string? KecamatanCode { get; set; }
    public int Severity { get; set; }
    public AnomalyStatus Status { get; set; }
    public required string ReasonId { get; set; }
    public required string ReasonEn { get; set; }
    public double Score { get; set; }
    /// <summary>The counted version of the TPS result the finding is about (0 for kab/kota findings).</summary>
    public int VersionNo { get; set; }
    /// <summary>The tally log entry that last triggered it (0 for aggregate findings).</summary>
    public long LogSeq { get; set; }
    public DateTimeOffset FirstDetectedAt { get; set; }
    public DateTimeOffset LastDetectedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public string? StatusBy { get; set; }
    public string? StatusNote { get; set; }
    public long Version { get; set; }
}

/// <summary>One status change of an anomaly (opened, acknowledged, escalated, dismissed, resolved, reopened).</summary>
public class TallyAnomalyEvent
{
    public long Id { get; set; }
    public long AnomalyId { get; set; }
    public TallyAnomaly? Anomaly { get; set; }
    public DateTimeOffset At { get; set; }
    public required string Actor { get; set; }
    public AnomalyStatus? FromStatus { get; set; }
    public AnomalyStatus ToStatus { get; set; }
    public string? Note { get; set; }
}

/// <summary>The scanner's cursor: the last tally log entry processed and the kab/kota whose aggregate tests are due.</summary>
[NotAudited]
public class TallyAnomalyScanState
{
    public required string Name { get; set; }
    public long LastSeq { get; set; }
    /// <summary><c>contest:kabkota</c> pairs (comma-separated) whose aggregate tests must be recomputed.</summary>
    public string Dirty { get; set; } = "";
    public DateTimeOffset? LastRunAt { get; set; }
    public long Version { get; set; }
}

internal sealed class TallyAnomalyConfiguration : IEntityTypeConfiguration<TallyAnomaly>
{
    public void Configure(EntityTypeBuilder<TallyAnomaly> b)
    {
        b.Property(a => a.ContestCode).HasMaxLength(40);
        b.Property(a => a.SubjectCode).HasMaxLength(20);
        b.Property(a => a.Code).HasMaxLength(40);
        b.Property(a => a.RegionCode).HasMaxLength(20);
        b.Property(a => a.KabKotaCode).HasMaxLength(8);
        b.Property(a => a.KecamatanCode).HasMaxLength(12);
        b.Property(a => a.ReasonId).HasMaxLength(1000);
        b.Property(a => a.ReasonEn).HasMaxLength(1000);
        b.Property(a => a.StatusBy).HasMaxLength(256);
        b.Property(a => a.StatusNote).HasMaxLength(1000);
        b.Property(a => a.Version).IsConcurrencyToken();
        b.HasIndex(a => new { a.ContestCode, a.SubjectCode, a.Code }).IsUnique();
        b.HasIndex(a => new { a.Status, a.KabKotaCode });
        b.HasIndex(a => new { a.ContestCode, a.KabKotaCode, a.Code });
    }
}

internal sealed class TallyAnomalyEventConfiguration : IEntityTypeConfiguration<TallyAnomalyEvent>
{
    public void Configure(EntityTypeBuilder<TallyAnomalyEvent> b)
    {
        b.Property(e => e.Actor).HasMaxLength(256);
        b.Property(e => e.Note).HasMaxLength(1000);
        b.HasOne(e => e.Anomaly).WithMany().HasForeignKey(e => e.AnomalyId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(e => e.AnomalyId);
    }
}

internal sealed class TallyAnomalyScanStateConfiguration : IEntityTypeConfiguration<TallyAnomalyScanState>
{
    public void Configure(EntityTypeBuilder<TallyAnomalyScanState> b)
    {
        b.HasKey(s => s.Name);
        b.Property(s => s.Name).HasMaxLength(40);
        b.Property(s => s.Version).IsConcurrencyToken();
    }
}
