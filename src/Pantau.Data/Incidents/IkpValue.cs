using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Pantau.Core.Incidents;

namespace Pantau.Data.Incidents;

/// <summary>
/// One region's row of Bawaslu's IKP table for one edition, imported by a Desk (CSV). Dimension values and bands are kept as
/// <c>key=value;key=value</c> text because each edition has its own dimensions.
/// </summary>
public class IkpValue
{
    public required string Edition { get; set; }
    public required string RegionCode { get; set; }
    public double? Total { get; set; }
    public KerawananBand? Band { get; set; }
    public string Dimensions { get; set; } = "";
    public string DimensionBands { get; set; } = "";
    public required string Source { get; set; }
    public DateTimeOffset ImportedAt { get; set; }
    public string? ImportedBy { get; set; }

    public IkpPublished ToPublished() => new(RegionCode, Total, Band,
        Pairs(Dimensions).ToDictionary(p => p.Key, p => double.Parse(p.Value, CultureInfo.InvariantCulture)),
        Pairs(DimensionBands).ToDictionary(p => p.Key, p => Enum.Parse<KerawananBand>(p.Value)), Source, Imported: true);

    public void Set(IkpPublished p)
    {
        Total = p.Total;
        Band = p.Band;
        Dimensions = string.Join(";", p.Dimensions.OrderBy(x => x.Key, StringComparer.Ordinal).Select(x => x.Key + "=" + x.Value.ToString("R", CultureInfo.InvariantCulture)));
        DimensionBands = string.Join(";", p.DimensionBands.OrderBy(x => x.Key, StringComparer.Ordinal).Select(x => x.Key + "=" + x.Value));
        Source = p.Source;
    }

    private static IEnumerable<KeyValuePair<string, string>> Pairs(string s) =>
        s.Split(';', StringSplitOptions.RemoveEmptyEntries).Select(x => x.Split('=', 2)).Where(x => x.Length == 2).Select(x => KeyValuePair.Create(x[0], x[1]));
}

internal sealed class IkpValueConfiguration : IEntityTypeConfiguration<IkpValue>
{
    public void Configure(EntityTypeBuilder<IkpValue> b)
    {
        b.HasKey(x => new { x.Edition, x.RegionCode });
        b.Property(x => x.Edition).HasMaxLength(40);
        b.Property(x => x.RegionCode).HasMaxLength(13);
        b.Property(x => x.Band).HasConversion<string>().HasMaxLength(10);
        b.Property(x => x.Dimensions).HasMaxLength(1000);
        b.Property(x => x.DimensionBands).HasMaxLength(1000);
        b.Property(x => x.Source).HasMaxLength(300);
        b.Property(x => x.ImportedBy).HasMaxLength(256);
    }
}
