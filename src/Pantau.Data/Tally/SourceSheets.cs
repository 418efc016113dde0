using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Pantau.Data.Tally;

/// <summary>
/// A TPS result published elsewhere (SIREKAP, a KawalPemilu-style CSV, a spreadsheet), imported under a named source as a
/// <em>partial sheet</em> (canonical version 2, absent fields <c>-</c>). Never counted as the official result and not in the
/// hash-chained log; compared field by field with the official count and with other sources. One row per source, contest and
/// TPS: an import replaces the source's earlier sheet of that TPS. Imports are audited as one entry each (who, file, counts).
/// </summary>
[NotAudited]
public class SourceSheet
{
    public long Id { get; set; }
    /// <summary>The source's name, e.g. <c>SIREKAP</c>.</summary>
    public required string Source { get; set; }
    public required string ContestCode { get; set; }
    public required string TpsCode { get; set; }
    public required string DesaCode { get; set; }
    /// <summary>Accepted (no rule broken among the fields it has) or Flagged.</summary>
    public ResultStatus Status { get; set; }
    public required string Payload { get; set; }
    public string ValidationCodes { get; set; } = "";
    /// <summary>Warnings (e.g. <c>RECEIVED_NE_DPT_RESERVE</c>), comma-separated.</summary>
    public string Warnings { get; set; } = "";
    /// <summary>The line of the imported file.</summary>
    public int Line { get; set; }
    public DateTimeOffset ImportedAt { get; set; }
    public required string ImportedBy { get; set; }
}

internal sealed class SourceSheetConfiguration : IEntityTypeConfiguration<SourceSheet>
{
    public void Configure(EntityTypeBuilder<SourceSheet> b)
    {
        b.Property(s => s.Source).HasMaxLength(40);
        b.Property(s => s.ContestCode).HasMaxLength(40);
        b.Property(s => s.TpsCode).HasMaxLength(13);
        b.Property(s => s.DesaCode).HasMaxLength(13);
        b.Property(s => s.Payload).HasMaxLength(1000);
        b.Property(s => s.ValidationCodes).HasMaxLength(1000);
        b.Property(s => s.Warnings).HasMaxLength(500);
        b.Property(s => s.ImportedBy).HasMaxLength(256);
        b.HasIndex(s => new { s.Source, s.ContestCode, s.TpsCode }).IsUnique();
        b.HasIndex(s => new { s.ContestCode, s.TpsCode });
    }
}
