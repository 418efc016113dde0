using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Pantau.Core.Readiness;

namespace Pantau.Data.Readiness;

/// <summary>
/// One leg of the chain for a set of labelled packages (gudang KPU kab/kota → PPK → PPS → KPPS): its QR label goes on the consignment
/// note; the receiver scans it and then each package label. Received once, by the berita acara whose <c>ShipmentCode</c> is this one.
/// </summary>
public class LogisticsShipment
{
    public long Id { get; set; }
    /// <summary>Label code, e.g. <c>S-16.71.01-1</c> (the n-th shipment to that holder).</summary>
    public required string Code { get; set; }
    public CustodyLevel FromLevel { get; set; }
    public required string FromCode { get; set; }
    public CustodyLevel ToLevel { get; set; }
    public required string ToCode { get; set; }
    /// <summary>Region of the receiver (a TPS maps to its desa), for scope checks.</summary>
    public required string ToRegionCode { get; set; }
    public required string KabKotaCode { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public required string CreatedBy { get; set; }
    public DateTimeOffset? ReceivedAt { get; set; }
    public long Version { get; set; }
}

/// <summary>
/// A labelled box or packet bound for one TPS: the ballot box of one contest (ballots, seals, forms ... of that contest) or the TPS's
/// packet of shared supplies. It keeps its label along the chain; <see cref="HolderCode"/> is who last received it.
/// </summary>
public class LogisticsPackage
{
    public long Id { get; set; }
    /// <summary>Label code: the TPS code and the contest (or <c>PERLENGKAPAN</c>), e.g. <c>1671011001001-PILGUB-16</c>.</summary>
    public required string Code { get; set; }
    public required string KabKotaCode { get; set; }
    /// <summary>What the label names (<c>kotak-suara:PILGUB-16</c>, or <c>perlengkapan</c>).</summary>
    public required string ItemKey { get; set; }
    /// <summary>What is packed inside, <c>item=quantity</c> joined by <c>;</c> (the lines a handover of it counts).</summary>
    public required string Contents { get; set; }
    public required string TpsCode { get; set; }
    public required string DesaCode { get; set; }
    public CustodyLevel HolderLevel { get; set; }
    public required string HolderCode { get; set; }
    public required string ShipmentCode { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public long Version { get; set; }
}

internal sealed class LogisticsShipmentConfiguration : IEntityTypeConfiguration<LogisticsShipment>
{
    public void Configure(EntityTypeBuilder<LogisticsShipment> b)
    {
        b.HasIndex(s => s.Code).IsUnique();
        b.HasIndex(s => new { s.ToRegionCode, s.CreatedAt });
        b.Property(s => s.Code).HasMaxLength(40);
        b.Property(s => s.FromCode).HasMaxLength(20);
        b.Property(s => s.ToCode).HasMaxLength(20);
        b.Property(s => s.ToRegionCode).HasMaxLength(20);
        b.Property(s => s.KabKotaCode).HasMaxLength(5);
        b.Property(s => s.CreatedBy).HasMaxLength(256);
        b.Property(s => s.Version).IsConcurrencyToken();
    }
}

internal sealed class LogisticsPackageConfiguration : IEntityTypeConfiguration<LogisticsPackage>
{
    public void Configure(EntityTypeBuilder<LogisticsPackage> b)
    {
        b.HasIndex(p => p.Code).IsUnique();
        b.HasIndex(p => p.ShipmentCode);
        b.HasIndex(p => new { p.HolderCode, p.DesaCode });
        b.Property(p => p.Code).HasMaxLength(64);
        b.Property(p => p.KabKotaCode).HasMaxLength(5);
        b.Property(p => p.ItemKey).HasMaxLength(60);
        b.Property(p => p.Contents).HasMaxLength(1000);
        b.Property(p => p.TpsCode).HasMaxLength(13);
        b.Property(p => p.DesaCode).HasMaxLength(13);
        b.Property(p => p.HolderCode).HasMaxLength(20);
        b.Property(p => p.ShipmentCode).HasMaxLength(40);
        b.Property(p => p.Version).IsConcurrencyToken();
    }
}
