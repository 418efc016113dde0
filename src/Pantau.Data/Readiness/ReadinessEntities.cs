using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Pantau.Core.Readiness;

namespace Pantau.Data.Readiness;

/// <summary>A stage of the election schedule (seeded from <see cref="Schedule.Pilkada2024"/>, editable by the Desk).</summary>
public class TahapanStage
{
    public required string Code { get; set; }
    public required string NameId { get; set; }
    public required string NameEn { get; set; }
    public DateOnly Start { get; set; }
    public DateOnly End { get; set; }
    public int SortOrder { get; set; }
    public long Version { get; set; }

    public Stage ToStage() => new(Code, NameId, NameEn, Start, End);
}

/// <summary>A checklist item applying to every region of a level (e.g. "TPS site ready" for every TPS).</summary>
public class ReadinessTemplate
{
    public required string Code { get; set; }
    public ReadinessLevel Level { get; set; }
    public ReadinessCategory Category { get; set; }
    public required string TitleId { get; set; }
    public required string TitleEn { get; set; }
    /// <summary>Owner agency (e.g. "KPU kab/kota", "PLN", "Diskominfo").</summary>
    public required string Owner { get; set; }
    /// <summary>Target rule, see <see cref="TargetRule"/> ("H-10", "kampanye.start+3").</summary>
    public required string TargetRule { get; set; }
    /// <summary>Unfinished, this blocks voting day (appears on the critical list).</summary>
    public bool BlocksVoting { get; set; }
    public int SortOrder { get; set; }
}

/// <summary>
/// The state of one checklist item for one region or TPS. Tasks are virtual (template × region); a row exists only once someone
/// has updated the task, so a missing row means "not started".
/// </summary>
public class ReadinessTaskState
{
    public long Id { get; set; }
    public required string TemplateCode { get; set; }
    /// <summary>Dotted region code the task belongs to; for a TPS task, its desa.</summary>
    public required string RegionCode { get; set; }
    /// <summary>KPU TPS code for TPS tasks, else null.</summary>
    public string? TpsCode { get; set; }
    /// <summary>RegionCode or TpsCode: unique with the template.</summary>
    public required string SubjectCode { get; set; }
    public Core.Readiness.TaskStatus Status { get; set; }
    public string? Note { get; set; }
    public Guid? PhotoFileId { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public required string UpdatedBy { get; set; }
    public long Version { get; set; }
}

/// <summary>Stock of one item at a KPU kab/kota warehouse.</summary>
public class WarehouseStock
{
    public required string KabKotaCode { get; set; }
    public required string ItemKey { get; set; }
    public long Quantity { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public required string UpdatedBy { get; set; }
    public long Version { get; set; }
}

/// <summary>A berita acara serah terima: one handover of logistics one step down the chain.</summary>
public class LogisticsHandover
{
    public long Id { get; set; }
    public CustodyLevel FromLevel { get; set; }
    public required string FromCode { get; set; }
    public CustodyLevel ToLevel { get; set; }
    /// <summary>Kecamatan, desa or TPS code of the receiving holder.</summary>
    public required string ToCode { get; set; }
    /// <summary>Dotted region of the receiver (a TPS maps to its desa), for scope queries.</summary>
    public required string ToRegionCode { get; set; }
    public required string KabKotaCode { get; set; }
    public DateTimeOffset HandedOverAt { get; set; }
    public required string HandedOverBy { get; set; }
    public required string ReceivedBy { get; set; }
    public string? EscortedBy { get; set; }
    public string? Note { get; set; }
    public Guid? PhotoFileId { get; set; }
    public DateTimeOffset RecordedAt { get; set; }
    public required string RecordedBy { get; set; }
    /// <summary>The labelled shipment this berita acara received (its labels scanned), or null for a handover typed in by hand.</summary>
    public string? ShipmentCode { get; set; }
    /// <summary>The form's or client's idempotency key: a double submit or a retry of the same berita acara returns the first record.</summary>
    public string? SubmissionKey { get; set; }
    /// <summary>When a wrong record was voided (with <see cref="VoidReason"/>): it stays in the history but no longer counts.</summary>
    public DateTimeOffset? VoidedAt { get; set; }
    public string? VoidedBy { get; set; }
    public string? VoidReason { get; set; }
    public List<LogisticsHandoverLine> Lines { get; set; } = [];
}

public class LogisticsHandoverLine
{
    public long Id { get; set; }
    public long HandoverId { get; set; }
    public required string ItemKey { get; set; }
    public long Sent { get; set; }
    public long Received { get; set; }
    public long Damaged { get; set; }
}

public enum ReplacementStatus { Requested = 0, Approved = 1, Fulfilled = 2, Rejected = 3 }

/// <summary>A request for replacement ballots for damaged ones found at a holder.</summary>
public class BallotReplacementRequest
{
    public long Id { get; set; }
    /// <summary>Holder code (kecamatan, desa or TPS code) where the damage was found.</summary>
    public required string HolderCode { get; set; }
    public required string RegionCode { get; set; }
    public required string KabKotaCode { get; set; }
    public required string ContestCode { get; set; }
    public long Quantity { get; set; }
    public required string Reason { get; set; }
    public ReplacementStatus Status { get; set; }
    public DateTimeOffset RequestedAt { get; set; }
    public required string RequestedBy { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
    public string? DecidedBy { get; set; }
    public long Version { get; set; }
}

internal sealed class TahapanStageConfiguration : IEntityTypeConfiguration<TahapanStage>
{
    public void Configure(EntityTypeBuilder<TahapanStage> b)
    {
        b.HasKey(s => s.Code);
        b.Property(s => s.Code).HasMaxLength(60);
        b.Property(s => s.NameId).HasMaxLength(200);
        b.Property(s => s.NameEn).HasMaxLength(200);
        b.Property(s => s.Version).IsConcurrencyToken();
    }
}

internal sealed class ReadinessTemplateConfiguration : IEntityTypeConfiguration<ReadinessTemplate>
{
    public void Configure(EntityTypeBuilder<ReadinessTemplate> b)
    {
        b.HasKey(t => t.Code);
        b.Property(t => t.Code).HasMaxLength(60);
        b.Property(t => t.TitleId).HasMaxLength(200);
        b.Property(t => t.TitleEn).HasMaxLength(200);
        b.Property(t => t.Owner).HasMaxLength(100);
        b.Property(t => t.TargetRule).HasMaxLength(80);
    }
}

internal sealed class ReadinessTaskStateConfiguration : IEntityTypeConfiguration<ReadinessTaskState>
{
    public void Configure(EntityTypeBuilder<ReadinessTaskState> b)
    {
        b.Property(t => t.TemplateCode).HasMaxLength(60);
        b.Property(t => t.RegionCode).HasMaxLength(13);
        b.Property(t => t.TpsCode).HasMaxLength(13);
        b.Property(t => t.SubjectCode).HasMaxLength(13);
        b.Property(t => t.Note).HasMaxLength(2000);
        b.Property(t => t.UpdatedBy).HasMaxLength(256);
        b.Property(t => t.Version).IsConcurrencyToken();
        b.HasIndex(t => new { t.TemplateCode, t.SubjectCode }).IsUnique();
        b.HasIndex(t => t.RegionCode);
        b.HasOne<ReadinessTemplate>().WithMany().HasForeignKey(t => t.TemplateCode);
    }
}

internal sealed class WarehouseStockConfiguration : IEntityTypeConfiguration<WarehouseStock>
{
    public void Configure(EntityTypeBuilder<WarehouseStock> b)
    {
        b.HasKey(s => new { s.KabKotaCode, s.ItemKey });
        b.Property(s => s.KabKotaCode).HasMaxLength(5);
        b.Property(s => s.ItemKey).HasMaxLength(80);
        b.Property(s => s.UpdatedBy).HasMaxLength(256);
        b.Property(s => s.Version).IsConcurrencyToken();
    }
}

internal sealed class LogisticsHandoverConfiguration : IEntityTypeConfiguration<LogisticsHandover>
{
    public void Configure(EntityTypeBuilder<LogisticsHandover> b)
    {
        b.Property(h => h.FromCode).HasMaxLength(13);
        b.Property(h => h.ToCode).HasMaxLength(13);
        b.Property(h => h.ToRegionCode).HasMaxLength(13);
        b.Property(h => h.KabKotaCode).HasMaxLength(5);
        b.Property(h => h.HandedOverBy).HasMaxLength(200);
        b.Property(h => h.ReceivedBy).HasMaxLength(200);
        b.Property(h => h.EscortedBy).HasMaxLength(200);
        b.Property(h => h.Note).HasMaxLength(2000);
        b.Property(h => h.RecordedBy).HasMaxLength(256);
        b.HasIndex(h => h.ToRegionCode);
        b.HasIndex(h => h.KabKotaCode);
        b.Property(h => h.ShipmentCode).HasMaxLength(40);
        b.HasIndex(h => h.ShipmentCode).IsUnique(); // a shipment is received once (NULLs, typed-in handovers, are not compared)
        b.Property(h => h.SubmissionKey).HasMaxLength(64);
        b.HasIndex(h => h.SubmissionKey).IsUnique(); // one berita acara per submission (NULLs are not compared)
        b.Property(h => h.VoidedBy).HasMaxLength(256);
        b.Property(h => h.VoidReason).HasMaxLength(1000);
        b.HasMany(h => h.Lines).WithOne().HasForeignKey(l => l.HandoverId);
    }
}

internal sealed class LogisticsHandoverLineConfiguration : IEntityTypeConfiguration<LogisticsHandoverLine>
{
    public void Configure(EntityTypeBuilder<LogisticsHandoverLine> b) => b.Property(l => l.ItemKey).HasMaxLength(80);
}

internal sealed class BallotReplacementRequestConfiguration : IEntityTypeConfiguration<BallotReplacementRequest>
{
    public void Configure(EntityTypeBuilder<BallotReplacementRequest> b)
    {
        b.Property(r => r.HolderCode).HasMaxLength(13);
        b.Property(r => r.RegionCode).HasMaxLength(13);
        b.Property(r => r.KabKotaCode).HasMaxLength(5);
        b.Property(r => r.ContestCode).HasMaxLength(40);
        b.Property(r => r.Reason).HasMaxLength(1000);
        b.Property(r => r.RequestedBy).HasMaxLength(256);
        b.Property(r => r.DecidedBy).HasMaxLength(256);
        b.Property(r => r.Version).IsConcurrencyToken();
        b.HasIndex(r => r.RegionCode);
    }
}
