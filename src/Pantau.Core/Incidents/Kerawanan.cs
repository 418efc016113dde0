using Pantau.Core.Regions;

namespace Pantau.Core.Incidents;

/// <summary>
/// The IKP baseline of one region in one edition: a value per dimension of the edition (0–100) and, when Bawaslu published it, the index
/// itself (<see cref="PublishedTotal"/>). <see cref="IsSynthetic"/> is true when the value that enters the score is not Bawaslu's
/// (synthesized by Pantau from the region code, possibly constrained by a published band).
/// </summary>
public sealed record IkpBaseline(IkpEdition Edition, IReadOnlyList<double> Values, double? PublishedTotal, bool IsSynthetic, bool DimensionsSynthetic,
    string Source, IReadOnlyList<string> Facts)
{
    public const string ImportPrefix = "impor Desk dari tabel Bawaslu ";

    /// <summary>The source in English: Bawaslu's citations stay as published (Indonesian), Pantau's own labels are translated.</summary>
    public string SourceEn => IsSynthetic
        ? (Facts.Count == 0 ? "synthetic (Pantau)" : "synthetic (Pantau), kept inside the band Bawaslu published: " + string.Join("; ", Facts))
        : Source.StartsWith("impor", StringComparison.Ordinal) ? "Desk import of Bawaslu's table " + Source[Math.Min(Source.Length, ImportPrefix.Length)..] : Source;

    /// <summary>The weighted sum of the dimensions with Pantau's weights.</summary>
    public double Weighted => Values.Zip(Edition.Dimensions, (v, d) => Math.Clamp(v, 0, 100) * d.Weight).Sum();

    /// <summary>The baseline that enters the score: Bawaslu's index when published, otherwise the weighted dimensions.</summary>
    public double Total => PublishedTotal ?? Weighted;

    /// <summary>
    /// The band Bawaslu's table gives the region itself (published, or in the table a Desk imported): its category, else its index banded at the
    /// region's level. Null when Bawaslu gave none (a synthetic total, or a dimension band only).
    /// </summary>
    public KerawananBand? PublishedBand { get; init; }

    /// <summary>A baseline from dimension values alone (tests, imports of dimension columns).</summary>
    public static IkpBaseline Of(IkpEdition edition, double[] values, bool synthetic, string source) =>
        new(edition, values, null, synthetic, synthetic, source, []);
}

/// <summary>A confirmed incident as seen by the index.</summary>
public sealed record IncidentSignal(Severity Severity, DateTimeOffset OccurredAt);

/// <summary>Share (0–1) of a region's TPS flagged for each TPS-rawan variable (for one TPS: 0 or 1).</summary>
public sealed record TpsRawanShares(IReadOnlyDictionary<TpsRawanVariable, double> Shares, int TpsCount)
{
    public static readonly TpsRawanShares None = new(new Dictionary<TpsRawanVariable, double>(), 0);
}

public sealed record KerawananInput(string Code, IkpLevel Level, IkpBaseline Baseline, IReadOnlyList<IncidentSignal> Incidents, TpsRawanShares Tps, DateTimeOffset AsOf);

/// <summary>One term of a score: its points add up, with the others, to the score exactly. <see cref="Origin"/>: bawaslu, sintetis, impor or pantau.</summary>
public sealed record Contribution(string Key, string Id, string En, double Points, string Origin = "pantau");

public sealed record KerawananScore(string Code, IkpLevel Level, string Edition, double Score, KerawananBand Band, IReadOnlyList<Contribution> Contributions, bool IsSynthetic)
{
    public double Rounded => Math.Round(Score, 2);

    /// <summary>The three parts an officer sees: IKP baseline, verified incidents, TPS-rawan variables.</summary>
    public double BaselinePoints => Contributions.Where(c => c.Key.StartsWith("ikp", StringComparison.Ordinal)).Sum(c => c.Points);
    public double IncidentPoints => Contributions.Where(c => c.Key.StartsWith("insiden:", StringComparison.Ordinal)).Sum(c => c.Points);
    public double TpsPoints => Contributions.Where(c => c.Key.StartsWith("tps:", StringComparison.Ordinal)).Sum(c => c.Points);
}

/// <summary>
/// The kerawanan (vulnerability) index: a pure, reproducible function of its inputs.
/// score = IKP baseline (Bawaslu's published index, or Σ dimensions × Pantau's weight) + Σ confirmed incidents (severity points ×
/// 0.5^(age/7 days), capped at 30) + Σ TPS-rawan variables (3 points × share of TPS flagged); when the sum exceeds 100 every term is scaled
/// down proportionally, so the contributions always add up to the score. Bands are the edition's bands at the level of the region.
/// </summary>
public static class Kerawanan
{
    public const double IncidentHalfLifeDays = 7;
    public const double IncidentCap = 30;
    public const double PointsPerTpsVariable = 3;

    public static double SeverityPoints(Severity s) => s switch
    {
        Severity.Critical => 10,
        Severity.High => 5,
        Severity.Medium => 2.5,
        _ => 1,
    };

    /// <summary>The band of a score at a level under an edition: province and kab/kota thresholds differ (Sumsel 55.32 is medium as a province).</summary>
    public static KerawananBand BandOf(double score, IkpLevel level, IkpEdition edition) => edition.BandOf(score, level);

    /// <summary>A number with 2 decimals: decimal comma in Indonesian, point in English (independent of the server culture).</summary>
    public static string Num(double v, bool indonesian)
    {
        var s = v.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture);
        return indonesian ? s.Replace('.', ',') : s;
    }

    public static double RecencyWeight(DateTimeOffset occurredAt, DateTimeOffset asOf)
    {
        var days = Math.Max(0, (asOf - occurredAt).TotalDays);
        return Math.Pow(0.5, days / IncidentHalfLifeDays);
    }

    public static KerawananScore Score(KerawananInput input)
    {
        var terms = new List<Contribution>();
        var b = input.Baseline;
        var origin = b.IsSynthetic ? "sintetis" : b.Source.StartsWith("impor", StringComparison.Ordinal) ? "impor" : "bawaslu";
        if (b.PublishedTotal is { } published)
            terms.Add(new Contribution("ikp", $"IKP Bawaslu ({b.Edition.NameId})", $"Bawaslu IKP ({b.Edition.NameId})", Math.Clamp(published, 0, 100), origin));
        else
        {
            var tag = b.IsSynthetic ? " — sintetis" : "";
            var tagEn = b.IsSynthetic ? " — synthetic" : "";
            for (var i = 0; i < b.Edition.Dimensions.Count; i++)
            {
                var d = b.Edition.Dimensions[i];
                var v = Math.Clamp(b.Values[i], 0, 100);
                terms.Add(new Contribution("ikp:" + d.Key, $"IKP: {d.Id} {Num(v, true)} × bobot Pantau {Num(d.Weight, true)}{tag}",
                    $"IKP: {d.En} {Num(v, false)} × Pantau weight {Num(d.Weight, false)}{tagEn}", v * d.Weight, origin));
            }
        }

        var incidentTerms = Enum.GetValues<Severity>().Reverse()
            .Select(s => (s, points: input.Incidents.Where(x => x.Severity == s).Sum(x => SeverityPoints(s) * RecencyWeight(x.OccurredAt, input.AsOf)),
                n: input.Incidents.Count(x => x.Severity == s)))
            .Where(t => t.n > 0).ToList();
        var incidentTotal = incidentTerms.Sum(t => t.points);
        var incidentScale = incidentTotal > IncidentCap ? IncidentCap / incidentTotal : 1;
        foreach (var (s, points, n) in incidentTerms)
        {
            var (id, en) = IncidentLabels.Of(s);
            terms.Add(new Contribution("insiden:" + s.ToString().ToLowerInvariant(), $"Insiden terverifikasi {id.ToLowerInvariant()} ({n})",
                $"Verified incidents, {en.ToLowerInvariant()} ({n})", points * incidentScale));
        }

        foreach (var v in Enum.GetValues<TpsRawanVariable>())
        {
            if (!input.Tps.Shares.TryGetValue(v, out var share) || share <= 0) continue;
            var (id, en) = IncidentLabels.Of(v);
            terms.Add(new Contribution("tps:" + v.ToString().ToLowerInvariant(), "TPS rawan: " + id, "Vulnerable TPS: " + en, Math.Clamp(share, 0, 1) * PointsPerTpsVariable));
        }

        var raw = terms.Sum(t => t.Points);
        if (raw > 100) terms = terms.Select(t => t with { Points = t.Points * 100 / raw }).ToList();
        var score = terms.Sum(t => t.Points);
        return new KerawananScore(input.Code, input.Level, b.Edition.Key, score, b.Edition.BandOf(score, input.Level), terms, b.IsSynthetic);
    }
}

/// <summary>
/// Baseline IKP values of one edition: what Bawaslu published (the edition's own facts, overridden by a Desk's import of Bawaslu's table),
/// and for the rest a deterministic synthetic value from the region code (a stable hash), marked synthetic and kept inside any band
/// Bawaslu published for the region or one of its dimensions: province 20–60, kab/kota 20–70, kecamatan parent ± 10; a desa or TPS
/// inherits its kecamatan.
/// </summary>
public sealed class IkpBaselines
{
    private readonly Dictionary<string, IkpPublished> published;
    private readonly Dictionary<string, IkpBaseline> cache = new(StringComparer.Ordinal);

    public IkpBaselines(IkpEdition edition, IEnumerable<IkpPublished>? imported = null)
    {
        Edition = edition;
        published = edition.Published.ToDictionary(p => p.Code, StringComparer.Ordinal);
        foreach (var p in imported ?? []) published[p.Code] = Merge(published.GetValueOrDefault(p.Code), p);
    }

    public IkpEdition Edition { get; }

    public IkpPublished? PublishedFor(string code) => published.GetValueOrDefault(code);

    /// <summary>An import replaces the values it carries and keeps the published facts it does not contradict (a dimension band, the source).</summary>
    private static IkpPublished Merge(IkpPublished? old, IkpPublished imp)
    {
        if (old is null) return imp;
        var bands = new Dictionary<string, KerawananBand>(old.DimensionBands);
        foreach (var (k, v) in imp.DimensionBands) bands[k] = v;
        return imp with { DimensionBands = bands, Band = imp.Band ?? (imp.Total is null ? old.Band : null), Total = imp.Total ?? (imp.Dimensions.Count == 0 ? old.Total : null) };
    }

    public IkpBaseline For(string code)
    {
        if (cache.TryGetValue(code, out var hit)) return hit;
        var level = IkpEditions.LevelOf(code);
        if (level is IkpLevel.Desa or IkpLevel.Tps)
            return cache[code] = For(level == IkpLevel.Tps ? RegionCode.AncestorAt(RegionCode.FromNumeric(code[..10]), RegionLevel.Kecamatan) : RegionCode.AncestorAt(code, RegionLevel.Kecamatan));
        var p = published.GetValueOrDefault(code);
        var facts = p is null ? new List<string>() : [p.Source];
        var dims = Edition.Dimensions;
        var bands = Edition.BandsAt(level);

        // All dimensions published: Bawaslu's values, weighted by Pantau (unless the index itself is published too).
        KerawananBand? publishedBand = p?.Band ?? (p?.Total is { } pt ? bands.Of(pt) : null);
        if (p is not null && dims.All(d => p.Dimensions.ContainsKey(d.Key)))
            return cache[code] = new IkpBaseline(Edition, dims.Select(d => p.Dimensions[d.Key]).ToArray(), p.Total, false, false, p.Source, facts)
                { PublishedBand = publishedBand }; // dimensions alone: the weights are Pantau's, so no band is Bawaslu's

        double total;
        var synthetic = p?.Total is null;
        if (p?.Total is { } t) total = t;
        else if (p?.Band is { } band) total = InBand(code, band, bands);
        else total = level switch
        {
            IkpLevel.Provinsi => 20 + 40 * Unit(code, "prov"),
            IkpLevel.KabKota => 20 + 50 * Unit(code, "kab"),
            _ => Math.Clamp(For(RegionCode.AncestorAt(code, RegionLevel.KabKota)).Total + (Unit(code, "kec") - 0.5) * 20, 0, 100),
        };
        var v = Split(code, total);
        if (p is not null)
        {
            for (var i = 0; i < dims.Count; i++)
            {
                if (p.Dimensions.TryGetValue(dims[i].Key, out var known)) v[i] = known;
                else if (p.DimensionBands.TryGetValue(dims[i].Key, out var db)) v[i] = Math.Clamp(v[i], Low(db, bands), High(db, bands));
            }
        }
        var source = p is null ? "sintetis (Pantau)"
            : synthetic ? "sintetis (Pantau), dibatasi kategori terbitan Bawaslu: " + p.Source
            : p.Source;
        return cache[code] = new IkpBaseline(Edition, v, p?.Total, synthetic, true, source, facts) { PublishedBand = publishedBand };
    }

    private static double Low(KerawananBand b, IkpBands bands) => b switch { KerawananBand.High => bands.High, KerawananBand.Medium => bands.Medium, _ => 0 };
    private static double High(KerawananBand b, IkpBands bands) => b switch { KerawananBand.High => 100, KerawananBand.Medium => bands.High - 0.01, _ => bands.Medium - 0.01 };

    /// <summary>A synthetic value inside a band, away from its edges (the upper part of the high band stops at 85).</summary>
    private static double InBand(string code, KerawananBand band, IkpBands bands)
    {
        var (lo, hi) = band switch { KerawananBand.High => (bands.High, Math.Max(bands.High, 85)), KerawananBand.Medium => (bands.Medium, bands.High), _ => (0.0, bands.Medium) };
        return lo + 0.5 + (hi - lo - 1) * Unit(code, "band");
    }

    /// <summary>Spreads a total over the dimensions with deterministic offsets whose weighted sum is zero.</summary>
    private double[] Split(string code, double total)
    {
        var w = Edition.Dimensions.Select(d => d.Weight).ToArray();
        var n = w.Length;
        var o = new double[n];
        for (var i = 0; i < n - 1; i++) o[i] = (Unit(code, "dim" + i) - 0.5) * 16;
        o[n - 1] = -Enumerable.Range(0, n - 1).Sum(i => o[i] * w[i]) / w[n - 1];
        var v = o.Select(x => total + x).ToArray();
        return v.Any(x => x is < 0 or > 100) ? Enumerable.Repeat(total, n).ToArray() : v;
    }

    /// <summary>A stable pseudo-random number in [0, 1) from the code (FNV-1a), identical on every machine and run.</summary>
    public static double Unit(string code, string salt)
    {
        var h = 2166136261u;
        foreach (var ch in salt + "|" + code) { h ^= ch; h *= 16777619u; }
        h ^= h >> 15; h *= 2246822519u; h ^= h >> 13;
        return (h & 0xFFFFFF) / (double)0x1000000;
    }
}

/// <summary>
/// A score as an officer must see it (issue 27.4): the score and its band at the region's level, its three parts (IKP baseline with its source,
/// verified incidents, TPS-rawan variables), whether the baseline is synthetic, and the band Bawaslu's table gives the region when there is one
/// (<see cref="BawasluBand"/>; null for a TPS, which Bawaslu does not band, and where nothing is published).
/// </summary>
public sealed record ScoreParts(double Score, KerawananBand Band, IkpLevel Level, bool IsSynthetic, double Baseline, double Incidents, double Tps,
    string SourceId, string SourceEn, KerawananBand? BawasluBand)
{
    public static ScoreParts Of(KerawananScore s, IkpBaseline b) => new(s.Rounded, s.Band, s.Level, s.IsSynthetic,
        Math.Round(s.BaselinePoints, 2), Math.Round(s.IncidentPoints, 2), Math.Round(s.TpsPoints, 2), b.Source, b.SourceEn,
        s.Level is IkpLevel.Tps or IkpLevel.Desa ? null : b.PublishedBand);

    /// <summary>"dasar IKP 55,32 (source) + insiden 2,48 + TPS rawan 0,00": the parts, which add up to the score (to rounding).</summary>
    public string Text(bool indonesian) => indonesian
        ? $"dasar IKP {Kerawanan.Num(Baseline, true)} ({SourceId}) + insiden terverifikasi {Kerawanan.Num(Incidents, true)} + variabel TPS rawan {Kerawanan.Num(Tps, true)}"
        : $"IKP baseline {Kerawanan.Num(Baseline, false)} ({SourceEn}) + verified incidents {Kerawanan.Num(Incidents, false)} + TPS-rawan variables {Kerawanan.Num(Tps, false)}";
}

/// <summary>One row of the daily deployment list for police and army.</summary>
public sealed record DeploymentItem(int Rank, string Code, double Score, KerawananBand Band, bool IsSynthetic, IReadOnlyList<string> ReasonsId, IReadOnlyList<string> ReasonsEn,
    double BaselinePoints, double IncidentPoints, double TpsPoints);

public static class Deployment
{
    /// <summary>One decimal, decimal comma in Indonesian (independent of the server culture).</summary>
    private static string One(double v, bool indonesian)
    {
        var t = v.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);
        return indonesian ? t.Replace('.', ',') : t;
    }

    /// <summary>Worst first (score, then code for stable ties); the reasons are the three largest contributions, live signals before the baseline.</summary>
    public static IReadOnlyList<DeploymentItem> Plan(IEnumerable<KerawananScore> scores, int take)
    {
        return scores.OrderByDescending(s => Math.Round(s.Score, 6)).ThenBy(s => s.Code, StringComparer.Ordinal).Take(take)
            .Select((s, i) =>
            {
                // Live signals (incidents, TPS-rawan variables) first: they are what differs between neighbours; then the IKP baseline.
                var top = s.Contributions.Where(c => c.Points > 0).OrderBy(c => c.Key.StartsWith("ikp", StringComparison.Ordinal)).ThenByDescending(c => c.Points).Take(3).ToList();
                return new DeploymentItem(i + 1, s.Code, s.Score, s.Band, s.IsSynthetic,
                    top.Select(c => $"{c.Id} (+{One(c.Points, true)})").ToList(), top.Select(c => $"{c.En} (+{One(c.Points, false)})").ToList(),
                    s.BaselinePoints, s.IncidentPoints, s.TpsPoints);
            }).ToList();
    }
}
