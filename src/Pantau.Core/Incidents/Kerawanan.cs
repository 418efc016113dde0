using Pantau.Core.Regions;

namespace Pantau.Core.Incidents;

public enum KerawananBand { Low = 0, Medium = 1, High = 2 }

/// <summary>IKP-style baseline: the four Bawaslu IKP dimensions, each 0–100.</summary>
public sealed record IkpBaseline(double SosialPolitik, double Penyelenggaraan, double Kontestasi, double Partisipasi, bool IsSynthetic, string Source)
{
    /// <summary>Dimension weights (sum 1): Bawaslu IKP 2024 weighs the social-political context and the organisation most.</summary>
    public static readonly (string Key, string Id, string En, double Weight)[] Dimensions =
    [
        ("sosial-politik", "Konteks sosial-politik", "Social-political context", 0.30),
        ("penyelenggaraan", "Penyelenggaraan pemilu", "Election organisation", 0.30),
        ("kontestasi", "Kontestasi", "Contestation", 0.20),
        ("partisipasi", "Partisipasi", "Participation", 0.20),
    ];

    public double[] Values => [SosialPolitik, Penyelenggaraan, Kontestasi, Partisipasi];

    public double Total => Values.Zip(Dimensions, (v, d) => v * d.Weight).Sum();
}

/// <summary>A confirmed incident as seen by the index.</summary>
public sealed record IncidentSignal(Severity Severity, DateTimeOffset OccurredAt);

/// <summary>Share (0–1) of a region's TPS flagged for each TPS-rawan variable (for one TPS: 0 or 1).</summary>
public sealed record TpsRawanShares(IReadOnlyDictionary<TpsRawanVariable, double> Shares, int TpsCount)
{
    public static readonly TpsRawanShares None = new(new Dictionary<TpsRawanVariable, double>(), 0);
}

public sealed record KerawananInput(string Code, IkpBaseline Baseline, IReadOnlyList<IncidentSignal> Incidents, TpsRawanShares Tps, DateTimeOffset AsOf);

/// <summary>One term of a score: its points add up, with the others, to the score exactly.</summary>
public sealed record Contribution(string Key, string Id, string En, double Points);

public sealed record KerawananScore(string Code, double Score, KerawananBand Band, IReadOnlyList<Contribution> Contributions, bool IsSynthetic)
{
    public double Rounded => Math.Round(Score, 2);
}

/// <summary>
/// The kerawanan (vulnerability) index: a pure, reproducible function of its inputs.
/// score = Σ baseline dimensions × weight + Σ confirmed incidents (severity points × 0.5^(age/7 days), capped at 30)
///       + Σ TPS-rawan variables (3 points × share of TPS flagged); when the sum exceeds 100 every term is scaled down proportionally,
/// so the contributions always add up to the score. Bands follow Bawaslu IKP 2024: high ≥ 49.33, medium ≥ 13.47, low below.
/// </summary>
public static class Kerawanan
{
    public const double HighThreshold = 49.33;
    public const double MediumThreshold = 13.47;
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

    public static KerawananBand BandOf(double score)
    {
        var r = Math.Round(score, 2);
        return r >= HighThreshold ? KerawananBand.High : r >= MediumThreshold ? KerawananBand.Medium : KerawananBand.Low;
    }

    public static double RecencyWeight(DateTimeOffset occurredAt, DateTimeOffset asOf)
    {
        var days = Math.Max(0, (asOf - occurredAt).TotalDays);
        return Math.Pow(0.5, days / IncidentHalfLifeDays);
    }

    public static KerawananScore Score(KerawananInput input)
    {
        var terms = new List<Contribution>();
        var values = input.Baseline.Values;
        for (var i = 0; i < IkpBaseline.Dimensions.Length; i++)
        {
            var d = IkpBaseline.Dimensions[i];
            terms.Add(new Contribution("ikp:" + d.Key, "IKP: " + d.Id, "IKP: " + d.En, Math.Clamp(values[i], 0, 100) * d.Weight));
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
        return new KerawananScore(input.Code, score, BandOf(score), terms, input.Baseline.IsSynthetic);
    }
}

/// <summary>
/// Baseline IKP values. Known Sumatera Selatan 2024 facts: provincial IKP 55.32 (4th highest), Lahat in the high band.
/// Everything else is synthesized deterministically from the region code (a stable hash), marked synthetic, and kept
/// around the parent's value: kab/kota 20–70 (Lahat 52–70), kecamatan parent ± 10, a TPS inherits its kecamatan.
/// </summary>
public static class IkpBaselines
{
    public const double SumselProvince = 55.32;

    /// <summary>Official values known from the sources (code → total, source). Dimension splits are synthesized around the total.</summary>
    public static readonly IReadOnlyDictionary<string, (double Total, string Source)> Official = new Dictionary<string, (double, string)>
    {
        ["16"] = (SumselProvince, "Bawaslu IKP Pilkada 2024: Sumatera Selatan 55,32"),
    };

    /// <summary>Kab/kota whose band (not value) is known: Lahat is in the high band.</summary>
    public static readonly IReadOnlyDictionary<string, KerawananBand> KnownBands = new Dictionary<string, KerawananBand> { ["16.04"] = KerawananBand.High };

    public static IkpBaseline For(string code)
    {
        if (Official.TryGetValue(code, out var known)) return Split(code, known.Total, false, known.Source);
        var level = RegionCode.TryGetLevel(code, out var l) ? l : RegionLevel.Desa;
        double total = level switch
        {
            RegionLevel.Provinsi => 20 + 40 * Unit(code, "prov"),
            RegionLevel.KabKota => KnownBands.TryGetValue(code, out var band) && band == KerawananBand.High
                ? 52 + 18 * Unit(code, "kab")
                : 20 + 50 * Unit(code, "kab"),
            _ => Math.Clamp(For(RegionCode.AncestorAt(code, RegionLevel.KabKota)).Total + (Unit(code, "kec") - 0.5) * 20, 0, 100),
        };
        if (level == RegionLevel.Desa) total = For(RegionCode.AncestorAt(code, RegionLevel.Kecamatan)).Total;
        var source = KnownBands.ContainsKey(code) ? "sintetis; kategori tinggi sesuai IKP 2024 / synthetic; high band per IKP 2024" : "sintetis / synthetic";
        return Split(code, total, true, source);
    }

    /// <summary>Spreads a total over the four dimensions with deterministic offsets whose weighted sum is zero.</summary>
    private static IkpBaseline Split(string code, double total, bool synthetic, string source)
    {
        var w = IkpBaseline.Dimensions.Select(d => d.Weight).ToArray();
        var o = new double[4];
        for (var i = 0; i < 3; i++) o[i] = (Unit(code, "dim" + i) - 0.5) * 16;
        o[3] = -(o[0] * w[0] + o[1] * w[1] + o[2] * w[2]) / w[3];
        var v = o.Select(x => total + x).ToArray();
        if (v.Any(x => x is < 0 or > 100)) v = [total, total, total, total];
        return new IkpBaseline(v[0], v[1], v[2], v[3], synthetic, source);
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

/// <summary>One row of the daily deployment list for police and army.</summary>
public sealed record DeploymentItem(int Rank, string Code, double Score, KerawananBand Band, IReadOnlyList<string> ReasonsId, IReadOnlyList<string> ReasonsEn);

public static class Deployment
{
    /// <summary>Worst first (score, then code for stable ties); the reasons are the three largest contributions, live signals before the baseline.</summary>
    public static IReadOnlyList<DeploymentItem> Plan(IEnumerable<KerawananScore> scores, int take)
    {
        return scores.OrderByDescending(s => Math.Round(s.Score, 6)).ThenBy(s => s.Code, StringComparer.Ordinal).Take(take)
            .Select((s, i) =>
            {
                // Live signals (incidents, TPS-rawan variables) first: they are what differs between neighbours; then the IKP baseline.
                var top = s.Contributions.Where(c => c.Points > 0).OrderBy(c => c.Key.StartsWith("ikp:", StringComparison.Ordinal)).ThenByDescending(c => c.Points).Take(3).ToList();
                return new DeploymentItem(i + 1, s.Code, s.Score, s.Band,
                    top.Select(c => $"{c.Id} (+{c.Points:0.0})").ToList(), top.Select(c => $"{c.En} (+{c.Points:0.0})").ToList());
            }).ToList();
    }
}
