using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Pantau.Data.Tally;

public enum ResultStatus
{
    /// <summary>Valid and counted (or counted until superseded).</summary>
    Accepted = 1,
    /// <summary>Breaks a C.Hasil rule: stored, excluded from totals until corrected or adjudicated.</summary>
    Flagged = 2,
    /// <summary>Replaced by a later accepted version.</summary>
    Superseded = 3,
    /// <summary>Differs from another source's submission for the same TPS and contest: waits for adjudication.</summary>
    Conflict = 4,
    /// <summary>Not chosen when a conflict was adjudicated.</summary>
    Rejected = 5,
}

/// <summary>
/// One submission or correction of a C.Hasil sheet for a TPS and contest. Never overwritten: every change is a new row with the
/// next version number; only the status (and resolution fields) move when later versions or adjudication supersede it.
/// </summary>
public class ResultVersion
{
    public long Id { get; set; }
    public required string ContestCode { get; set; }
    public required string TpsCode { get; set; }
    /// <summary>Dotted desa code of the TPS (for scope filters).</summary>
    public required string DesaCode { get; set; }
    public int VersionNo { get; set; }
    public ResultStatus Status { get; set; }
    /// <summary>The sheet in its canonical encoding (<c>CHasilSheet.Canonical()</c>).</summary>
    public required string Payload { get; set; }
    /// <summary>Comma-separated rule codes broken by the sheet (empty when valid).</summary>
    public string ValidationCodes { get; set; } = "";
    /// <summary>Comma-separated anomaly codes (informational).</summary>
    public string Anomalies { get; set; } = "";
    /// <summary>submit, correction, batch, form ...</summary>
    public required string Source { get; set; }
    public required string SubmittedById { get; set; }
    public required string SubmittedBy { get; set; }
    public DateTimeOffset SubmittedAt { get; set; }
    public string? Reason { get; set; }
    public string? BeritaAcara { get; set; }
    public string? IdempotencyKey { get; set; }
    /// <summary>The photo of the form in the shared file store (<c>StoredFile.Id</c>).</summary>
    public Guid? PhotoId { get; set; }
    public string? PhotoSha256 { get; set; }
    /// <summary>Sequence number of the tally log entry that recorded this version.</summary>
    public long LogSeq { get; set; }
    public string? ResolvedBy { get; set; }
    public string? Resolution { get; set; }
    public DateTimeOffset? ResolvedAt { get; set; }
}

public enum TallyState
{
    Accepted = 1,
    Flagged = 2,
    Conflict = 3,
}

/// <summary>The current state of one TPS and contest: which version counts. Guarded by the <see cref="Version"/> concurrency token.</summary>
[NotAudited]
public class TallyCurrent
{
    public required string ContestCode { get; set; }
    public required string TpsCode { get; set; }
    /// <summary>The version that counts (0: none counts yet).</summary>
    public int CountedVersionNo { get; set; }
    public int LatestVersionNo { get; set; }
    public TallyState State { get; set; }
    public long Version { get; set; }
}

/// <summary>
/// Incremental recap counters of one contest in one region (levels 1-4, dotted code) or one TPS (level 5, TPS code),
/// updated in the same transaction as the accepted sheet. Derived data: <c>verify</c> recomputes them from the log.
/// </summary>
[NotAudited]
public class TallyRecap
{
    public required string ContestCode { get; set; }
    public required string RegionCode { get; set; }
    public string? ParentCode { get; set; }
    public int Level { get; set; }
    public long TpsIn { get; set; }
    public long SuaraSah { get; set; }
    public long SuaraTidakSah { get; set; }
    public long Users { get; set; }
    public long Registered { get; set; }
    public long Disabled { get; set; }
    public long BallotsReceived { get; set; }
    public long BallotsUsed { get; set; }
    public long BallotsDamaged { get; set; }
    public long BallotsUnused { get; set; }
    /// <summary>Votes per ballot number, <c>n=v,n=v</c>.</summary>
    public string Votes { get; set; } = "";
    public long Version { get; set; }
}

/// <summary>One entry of the tamper-evident hash chain (its own record, so not copied to the audit trail).</summary>
[NotAudited]
public class TallyLogEntry
{
    public long Seq { get; set; }
    public DateTimeOffset At { get; set; }
    public required string ContestCode { get; set; }
    public required string TpsCode { get; set; }
    public required string PrevHash { get; set; }
    public required string Hash { get; set; }
    /// <summary>The canonical entry (<c>LogEntry.Encode()</c>) that was hashed.</summary>
    public required string Entry { get; set; }
}

/// <summary>A signed statement of the log head at a point in time.</summary>
[NotAudited]
public class TallyCheckpoint
{
    public long Id { get; set; }
    public long Seq { get; set; }
    public required string HeadHash { get; set; }
    public required string Signature { get; set; }
    public required string KeyId { get; set; }
    public DateTimeOffset At { get; set; }
}

internal sealed class ResultVersionConfiguration : IEntityTypeConfiguration<ResultVersion>
{
    public void Configure(EntityTypeBuilder<ResultVersion> b)
    {
        b.Property(r => r.ContestCode).HasMaxLength(40);
        b.Property(r => r.TpsCode).HasMaxLength(13);
        b.Property(r => r.DesaCode).HasMaxLength(13);
        b.Property(r => r.ValidationCodes).HasMaxLength(1000);
        b.Property(r => r.Anomalies).HasMaxLength(500);
        b.Property(r => r.Source).HasMaxLength(20);
        b.Property(r => r.SubmittedById).HasMaxLength(64);
        b.Property(r => r.SubmittedBy).HasMaxLength(256);
        b.Property(r => r.Reason).HasMaxLength(Pantau.Core.Text.TextRules.Reason);
        b.Property(r => r.BeritaAcara).HasMaxLength(Pantau.Core.Text.TextRules.BeritaAcara);
        b.Property(r => r.IdempotencyKey).HasMaxLength(100);
        b.Property(r => r.PhotoSha256).HasMaxLength(64);
        b.Property(r => r.ResolvedBy).HasMaxLength(256);
        b.Property(r => r.Resolution).HasMaxLength(Pantau.Core.Text.TextRules.Reason);
        b.HasIndex(r => new { r.ContestCode, r.TpsCode, r.VersionNo }).IsUnique();
        b.HasIndex(r => new { r.SubmittedById, r.IdempotencyKey }).IsUnique();
        b.HasIndex(r => new { r.Status, r.DesaCode });
        b.HasIndex(r => r.PhotoSha256);
    }
}

internal sealed class TallyCurrentConfiguration : IEntityTypeConfiguration<TallyCurrent>
{
    public void Configure(EntityTypeBuilder<TallyCurrent> b)
    {
        b.HasKey(c => new { c.ContestCode, c.TpsCode });
        b.Property(c => c.ContestCode).HasMaxLength(40);
        b.Property(c => c.TpsCode).HasMaxLength(13);
        b.Property(c => c.Version).IsConcurrencyToken();
        b.HasIndex(c => c.State);
    }
}

internal sealed class TallyRecapConfiguration : IEntityTypeConfiguration<TallyRecap>
{
    public void Configure(EntityTypeBuilder<TallyRecap> b)
    {
        b.HasKey(c => new { c.ContestCode, c.RegionCode });
        b.Property(c => c.ContestCode).HasMaxLength(40);
        b.Property(c => c.RegionCode).HasMaxLength(13);
        b.Property(c => c.ParentCode).HasMaxLength(13);
        b.Property(c => c.Votes).HasMaxLength(400);
        b.Property(c => c.Version).IsConcurrencyToken();
        b.HasIndex(c => new { c.ContestCode, c.ParentCode });
    }
}

internal sealed class TallyLogEntryConfiguration : IEntityTypeConfiguration<TallyLogEntry>
{
    public void Configure(EntityTypeBuilder<TallyLogEntry> b)
    {
        b.HasKey(e => e.Seq);
        b.Property(e => e.Seq).ValueGeneratedNever();
        b.Property(e => e.ContestCode).HasMaxLength(40);
        b.Property(e => e.TpsCode).HasMaxLength(13);
        b.Property(e => e.PrevHash).HasMaxLength(64);
        b.Property(e => e.Hash).HasMaxLength(64);
        b.HasIndex(e => new { e.ContestCode, e.TpsCode });
    }
}

internal sealed class TallyCheckpointConfiguration : IEntityTypeConfiguration<TallyCheckpoint>
{
    public void Configure(EntityTypeBuilder<TallyCheckpoint> b)
    {
        b.Property(c => c.HeadHash).HasMaxLength(64);
        b.Property(c => c.Signature).HasMaxLength(200);
        b.Property(c => c.KeyId).HasMaxLength(32);
        b.HasIndex(c => c.Seq);
    }
}
