using Pantau.Core.Regions;

namespace Pantau.Core.Incidents;

public enum KerawananBand { Low = 0, Medium = 1, High = 2 }

/// <summary>The level a kerawanan score is given at: the region levels plus a single TPS (numbering follows <see cref="RegionLevel"/>).</summary>
public enum IkpLevel { Provinsi = 1, KabKota = 2, Kecamatan = 3, Desa = 4, Tps = 5 }

/// <summary>One dimension of an IKP edition. <see cref="Weight"/> is Pantau's choice: Bawaslu publishes no dimension weights.</summary>
public sealed record IkpDimension(string Key, string Id, string En, double Weight);

/// <summary>
/// Band thresholds at one level (score rounded to 2 decimals: high ≥ <see cref="High"/>, medium ≥ <see cref="Medium"/>, low below).
/// <see cref="Published"/> is false where Bawaslu publishes no band for the level and Pantau applies another level's thresholds.
/// </summary>
public sealed record IkpBands(double High, double Medium, bool Published, string SourceId, string SourceEn)
{
    public KerawananBand Of(double score)
    {
        var r = Math.Round(score, 2);
        return r >= High ? KerawananBand.High : r >= Medium ? KerawananBand.Medium : KerawananBand.Low;
    }

    /// <summary>"Kategori tingkat kab/kota: tinggi ≥ 49,33; sedang 13,47–49,32; rendah di bawahnya (source)", in one language.</summary>
    public string Describe(IkpLevel level, bool indonesian)
    {
        string N(double v) => Kerawanan.Num(v, indonesian).Replace(indonesian ? ",00" : ".00", "");
        return indonesian
            ? $"Kategori tingkat {IkpImport.LevelId(level)}: tinggi ≥ {N(High)}; sedang {N(Medium)}–{N(High - 0.01)}; rendah di bawahnya ({SourceId})"
            : $"Bands at {LevelEn(level)} level: high ≥ {N(High)}; medium {N(Medium)}–{N(High - 0.01)}; low below ({SourceEn})";
    }

    public static string LevelEn(IkpLevel l) => l switch
    {
        IkpLevel.Provinsi => "province", IkpLevel.KabKota => "regency/city", IkpLevel.Kecamatan => "kecamatan", IkpLevel.Desa => "desa", _ => "TPS",
    };
}

/// <summary>A value Bawaslu published for one region in one edition: the index, its band, or the band of one dimension.</summary>
public sealed record IkpPublished(string Code, double? Total, KerawananBand? Band, IReadOnlyDictionary<string, double> Dimensions,
    IReadOnlyDictionary<string, KerawananBand> DimensionBands, string Source, bool Imported = false)
{
    public bool HasAnything => Total is not null || Band is not null || Dimensions.Count > 0 || DimensionBands.Count > 0;
}

/// <summary>
/// One edition of Bawaslu's Indeks Kerawanan Pemilu (IKP): the structure it was published with (dimensions), its bands per level and the
/// values Bawaslu published per region. Each election context picks its edition (<see cref="IkpEditions.Get"/>).
/// </summary>
public sealed record IkpEdition(string Key, string NameId, string NameEn, string PublishedId, string PublishedEn, string StructureId, string StructureEn,
    IReadOnlyList<IkpDimension> Dimensions, IReadOnlyDictionary<IkpLevel, IkpBands> Bands, IReadOnlyList<IkpPublished> Published, string Source)
{
    /// <summary>The bands at <paramref name="level"/>. Below kab/kota Bawaslu publishes none: the kab/kota thresholds apply, marked as not published.</summary>
    public IkpBands BandsAt(IkpLevel level) => Bands.TryGetValue(level, out var b) ? b
        : Bands[IkpLevel.KabKota] with
        {
            Published = false,
            SourceId = "Bawaslu tidak menerbitkan kategori untuk tingkat ini; Pantau memakai ambang kab/kota",
            SourceEn = "Bawaslu publishes no bands for this level; Pantau applies the kab/kota thresholds",
        };

    public KerawananBand BandOf(double score, IkpLevel level) => BandsAt(level).Of(score);

    public IkpDimension? Dimension(string key) => Dimensions.FirstOrDefault(d => string.Equals(d.Key, key, StringComparison.OrdinalIgnoreCase));
}

/// <summary>The IKP editions Pantau knows (checked against shared/GLOSSARY.md, "Kerawanan (Bawaslu IKP 2024)").</summary>
public static class IkpEditions
{
    public const string Pemilu2024Key = "ikp-pemilu-2024";
    public const string Pilkada2024Key = "ikp-pilkada-2024";

    /// <summary>The edition used when no setting picks one: the Desk's election is the Pilkada 2024 (configuration key <c>Pantau:Kerawanan:Edition</c>).</summary>
    public const string DefaultKey = Pilkada2024Key;

    private static readonly IReadOnlyDictionary<IkpLevel, IkpBands> Bands2024 = new Dictionary<IkpLevel, IkpBands>
    {
        [IkpLevel.Provinsi] = new(68.5, 21.7, true, "Bawaslu IKP 2024, tingkat provinsi: tinggi ≥ 68,5; sedang 21,7–68,5", "Bawaslu IKP 2024, province level: high ≥ 68.5; medium 21.7–68.5"),
        [IkpLevel.KabKota] = new(49.33, 13.47, true, "Bawaslu IKP 2024, tingkat kab/kota: tinggi ≥ 49,33; sedang 13,47–49,32", "Bawaslu IKP 2024, regency/city level: high ≥ 49.33; medium 13.47–49.32"),
    };

    private static IReadOnlyDictionary<string, double> NoValues => new Dictionary<string, double>();
    private static IReadOnlyDictionary<string, KerawananBand> NoBands => new Dictionary<string, KerawananBand>();

    public static readonly IkpEdition Pemilu2024 = new(Pemilu2024Key, "IKP Pemilu 2024", "IKP Pemilu 2024 (general election)",
        "Desember 2022", "December 2022",
        "4 dimensi, 12 subdimensi, 61 indikator", "4 dimensions, 12 sub-dimensions, 61 indicators",
        [
            new("sosial-politik", "Konteks sosial-politik", "Social-political context", 0.30),
            new("penyelenggaraan", "Penyelenggaraan pemilu", "Election organisation", 0.30),
            new("kontestasi", "Kontestasi", "Contestation", 0.20),
            new("partisipasi", "Partisipasi", "Participation", 0.20),
        ],
        Bands2024, [], "Bawaslu, Indeks Kerawanan Pemilu 2024 (Desember 2022)");

    public static readonly IkpEdition Pilkada2024 = new(Pilkada2024Key, "IKP Pilkada 2024", "IKP Pilkada 2024 (regional elections)",
        "2024", "2024",
        "dimensi sosial-politik dan dimensi tahapan (pencalonan, kampanye, pemungutan dan penghitungan suara)",
        "a social-political dimension and stage dimensions (candidacy, campaign, voting and counting)",
        [
            new("sosial-politik", "Konteks sosial-politik", "Social-political context", 0.25),
            new("pencalonan", "Pencalonan", "Candidacy", 0.25),
            new("kampanye", "Kampanye", "Campaign", 0.25),
            new("pemungutan-penghitungan", "Pemungutan dan penghitungan suara", "Voting and counting", 0.25),
        ],
        Bands2024,
        [
            new("16", 55.32, KerawananBand.Medium, NoValues, NoBands,
                "Bawaslu IKP Pilkada 2024: Sumatera Selatan 55,32, kategori sedang (peringkat ke-4 dari 28 provinsi kategori sedang)"),
            new("16.04", null, null, NoValues, new Dictionary<string, KerawananBand> { ["pencalonan"] = KerawananBand.High },
                "Bawaslu IKP Pilkada 2024: Kab. Lahat kategori tinggi pada dimensi pencalonan"),
            new("16.06", null, null, NoValues, new Dictionary<string, KerawananBand> { ["sosial-politik"] = KerawananBand.High },
                "Bawaslu IKP Pilkada 2024: Kab. Musi Banyuasin kategori tinggi pada dimensi sosial-politik"),
        ],
        "Bawaslu, Pemetaan Kerawanan Pemilihan Serentak 2024 (IKP Pilkada 2024)");

    /// <summary>National facts of the Pilkada 2024 edition (shown on the IKP page): 84 high / 334 medium / 90 low kab/kota; high provinces.</summary>
    public const string Pilkada2024NationalId = "Nasional: 84 kab/kota tinggi, 334 sedang, 90 rendah; provinsi kategori tinggi: NTT, Sulawesi Selatan, Kalimantan Timur, Jawa Timur, Sulawesi Tengah.";
    public const string Pilkada2024NationalEn = "Nationally: 84 regencies/cities high, 334 medium, 90 low; high-band provinces: NTT, South Sulawesi, East Kalimantan, East Java, Central Sulawesi.";

    public static IReadOnlyList<IkpEdition> All { get; } = [Pilkada2024, Pemilu2024];

    public static IkpEdition? Find(string? key) => All.FirstOrDefault(e => string.Equals(e.Key, key, StringComparison.OrdinalIgnoreCase));

    /// <summary>The edition for a setting value; an empty setting is the default, an unknown one is an error (a typo must not silently pick another index).</summary>
    public static IkpEdition Get(string? key) => string.IsNullOrWhiteSpace(key) ? Find(DefaultKey)!
        : Find(key) ?? throw new ArgumentException($"Unknown IKP edition '{key}'; known: {string.Join(", ", All.Select(e => e.Key))}.", nameof(key));

    public static IkpLevel LevelOf(string code) => RegionCode.TryGetLevel(code, out var l) ? (IkpLevel)(int)l : IkpLevel.Tps;
}
