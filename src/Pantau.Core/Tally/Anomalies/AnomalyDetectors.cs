using System.Globalization;

namespace Pantau.Core.Tally.Anomalies;

/// <summary>
/// Stable codes of the anomalies (beyond the C.Hasil arithmetic), one set for the scanner and the intake's markers
/// (<see cref="AnomalyRules"/>, stored on each version): a concept found by both has one code.
/// </summary>
public static class AnomalyCodes
{
    /// <summary>Pengguna hak pilih above the registered voters (DPT + DPPh + DPTb).</summary>
    public const string TurnoutOver100 = "TURNOUT_OVER_100";
    /// <summary>Turnout above <see cref="AnomalyThresholds.TurnoutImprobable"/> in a TPS with many registered voters.</summary>
    public const string TurnoutImprobable = "TURNOUT_IMPROBABLE";
    /// <summary>One column with nearly all valid votes in a TPS with many voters.</summary>
    public const string PaslonNearAll = "PASLON_NEAR_ALL";
    /// <summary>Tidak sah share far above the kab/kota median (robust z-score).</summary>
    public const string InvalidShareOutlier = "INVALID_SHARE_OUTLIER";
    /// <summary>The same photo (SHA-256) on the sheets of two different TPS.</summary>
    public const string PhotoReused = "PHOTO_REUSED";
    /// <summary>A large change between consecutive counted versions of a TPS result.</summary>
    public const string LargeChange = "LARGE_CHANGE";
    /// <summary>Turnout far from the other TPS of the kecamatan.</summary>
    public const string KecamatanTurnoutOutlier = "KEC_TURNOUT_OUTLIER";
    /// <summary>A paslon share far from the other TPS of the kecamatan.</summary>
    public const string KecamatanShareOutlier = "KEC_SHARE_OUTLIER";
    /// <summary>Intake marker: one column with at least 99% of at least 200 valid votes (the scanner's wider rule is <see cref="PaslonNearAll"/>).</summary>
    public const string PaslonNear100 = "PASLON_NEAR_100";
    /// <summary>Intake marker: more than 25% tidak sah of at least 100 ballots used (the scanner's relative rule is <see cref="InvalidShareOutlier"/>).</summary>
    public const string InvalidShareHigh = "INVALID_SHARE_HIGH";
    /// <summary>Last digits of the paslon votes of a kab/kota far from uniform (chi-square); a weak signal.</summary>
    public const string LastDigit = "LAST_DIGIT";

    /// <summary>Found per sheet when a counted version is processed.</summary>
    public static readonly string[] PerSheet = [TurnoutOver100, TurnoutImprobable, PaslonNearAll];
    /// <summary>Recomputed over a kab/kota whenever one of its TPS changes.</summary>
    public static readonly string[] Aggregate = [InvalidShareOutlier, KecamatanTurnoutOutlier, KecamatanShareOutlier, LastDigit];
    /// <summary>Events (a transition or a reuse): never cleared automatically.</summary>
    public static readonly string[] Events = [LargeChange, PhotoReused];
    public static readonly string[] All = [.. PerSheet, .. Aggregate, .. Events];

    public static (string Id, string En) Describe(string code) => code switch
    {
        TurnoutOver100 => ("Partisipasi di atas 100%", "Turnout above 100%"),
        TurnoutImprobable => ("Partisipasi tidak wajar", "Improbable turnout"),
        PaslonNearAll => ("Satu paslon hampir 100%", "One paslon near 100%"),
        InvalidShareOutlier => ("Suara tidak sah menyimpang", "Invalid-vote share outlier"),
        PhotoReused => ("Foto sama di TPS lain", "Same photo at another TPS"),
        LargeChange => ("Perubahan besar antar versi", "Large change between versions"),
        KecamatanTurnoutOutlier => ("Partisipasi menyimpang dari kecamatan", "Turnout outlier in the kecamatan"),
        KecamatanShareOutlier => ("Perolehan paslon menyimpang dari kecamatan", "Paslon share outlier in the kecamatan"),
        LastDigit => ("Sebaran digit terakhir tidak wajar", "Unusual last-digit distribution"),
        _ => (code, code),
    };
}

public enum AnomalySeverity
{
    Low = 1,
    Medium = 2,
    High = 3,
}

/// <summary>The thresholds of every detector, named so that the reasons and the documentation can quote them.</summary>
public static class AnomalyThresholds
{
    /// <summary>Turnout (users / registered) above which a TPS with many voters is improbable.</summary>
    public const double TurnoutImprobable = 0.95;
    /// <summary>"Many voters" for the improbable-turnout rule: registered voters (DPT + DPPh + DPTb).</summary>
    public const long TurnoutImprobableMinRegistered = 200;
    /// <summary>Share of the valid votes of one column that counts as "nearly all".</summary>
    public const double PaslonNearAllShare = 0.98;
    /// <summary>"Many voters" for the near-100% rule: pengguna hak pilih.</summary>
    public const long PaslonNearAllMinUsers = 200;
    /// <summary>A paslon changing by more than this share of the previous suara sah is a large change ...</summary>
    public const double LargeChangeShareOfSah = 0.10;
    /// <summary>... or by more than this many votes.</summary>
    public const long LargeChangeVotes = 50;
    /// <summary>Robust z-score (0.6745 (x - median) / MAD, Iglewicz-Hoaglin) above which a value is an outlier.</summary>
    public const double RobustZ = 3.5;
    /// <summary>Counted TPS a kab/kota needs before its invalid-vote median is used.</summary>
    public const int InvalidShareMinTps = 10;
    /// <summary>Smallest MAD used for the invalid share (homogeneous areas would otherwise flag tiny differences).</summary>
    public const double InvalidShareMadFloor = 0.005;
    /// <summary>The invalid share must also exceed the median by this many points (0.05 = 5 percentage points).</summary>
    public const double InvalidShareMinExcess = 0.05;
    /// <summary>Ballots used a TPS needs before its invalid share is judged.</summary>
    public const long InvalidShareMinUsed = 50;
    /// <summary>Counted TPS a kecamatan needs (besides the TPS judged) for the kecamatan outlier tests.</summary>
    public const int KecamatanMinOtherTps = 8;
    /// <summary>Smallest MAD used for turnout and paslon shares in a kecamatan.</summary>
    public const double KecamatanMadFloor = 0.01;
    /// <summary>A kecamatan outlier must also differ from the median of the others by this many points.</summary>
    public const double KecamatanMinDifference = 0.10;
    /// <summary>Pengguna hak pilih a TPS needs before its shares are compared.</summary>
    public const long KecamatanMinUsers = 50;
    /// <summary>Only vote counts of at least this size enter the last-digit test (small numbers are not uniform).</summary>
    public const long LastDigitMinCount = 10;
    /// <summary>TPS a kab/kota needs for the last-digit test.</summary>
    public const int LastDigitMinTps = 30;
    /// <summary>Vote counts (>= <see cref="LastDigitMinCount"/>) the test needs.</summary>
    public const int LastDigitMinCounts = 100;
    /// <summary>p-value below which the last-digit distribution is flagged.</summary>
    public const double LastDigitP = 0.001;
}

/// <summary>A finding of a detector: what, where, how strong, and why (Indonesian and English, with the numbers).</summary>
public sealed record AnomalyFinding(string Code, string Subject, AnomalySeverity Severity, double Score, string ReasonId, string ReasonEn);

/// <summary>The figures of one counted TPS sheet used by the aggregate tests (from the TPS-level recap counters).</summary>
public sealed record TpsFigures(string Tps, long Registered, long Users, long SuaraSah, long SuaraTidakSah, IReadOnlyDictionary<int, long> Votes)
{
    /// <summary>Kecamatan numeric code (first 6 digits of the TPS code).</summary>
    public string Kecamatan => Tps[..6];
    public long Used => SuaraSah + SuaraTidakSah;
    public double Turnout => Registered > 0 ? (double)Users / Registered : 0;
    public double InvalidShare => Used > 0 ? (double)SuaraTidakSah / Used : 0;
    public double Share(int paslon) => SuaraSah > 0 ? (double)Votes.GetValueOrDefault(paslon) / SuaraSah : 0;
}

/// <summary>Pure detection functions (no I/O). The scanner feeds them counted sheets and TPS figures and stores what they find.</summary>
public static class AnomalyDetectors
{
    private static readonly CultureInfo Id = CultureInfo.GetCultureInfo("id-ID");
    private static readonly CultureInfo En = CultureInfo.InvariantCulture;

    internal static string N(long v, CultureInfo c) => v.ToString("N0", c);
    internal static string P(double fraction, CultureInfo c) => (fraction * 100).ToString("0.0", c) + "%";
    internal static string D(double v, CultureInfo c, int decimals = 1) => v.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), c);
    internal static string Paslon(int n, bool en) => n == 0 ? "kolom kosong" : $"paslon {n}";

    /// <summary>Turnout above 100%, or above 95% in a TPS with many voters.</summary>
    public static AnomalyFinding? Turnout(CHasilSheet s)
    {
        var registered = s.RegisteredTotal;
        var users = s.UsersTotal;
        if (users > registered && users > 0)
        {
            var t = registered > 0 ? (double)users / registered : double.PositiveInfinity;
            return new AnomalyFinding(AnomalyCodes.TurnoutOver100, s.Tps, AnomalySeverity.High, t,
                $"Partisipasi {(registered > 0 ? P(t, Id) : "tak hingga")} (DPT+DPPh+DPTb {N(registered, Id)}, pengguna hak pilih {N(users, Id)})",
                $"Turnout {(registered > 0 ? P(t, En) : "infinite")} (DPT+DPPh+DPTb {N(registered, En)}, voters who voted {N(users, En)})");
        }
        if (registered >= AnomalyThresholds.TurnoutImprobableMinRegistered && users > registered * AnomalyThresholds.TurnoutImprobable)
        {
            var t = (double)users / registered;
            return new AnomalyFinding(AnomalyCodes.TurnoutImprobable, s.Tps, AnomalySeverity.Medium, t,
                $"Partisipasi {P(t, Id)} (DPT+DPPh+DPTb {N(registered, Id)}, pengguna hak pilih {N(users, Id)}), di atas {P(AnomalyThresholds.TurnoutImprobable, Id)} dengan pemilih {N(AnomalyThresholds.TurnoutImprobableMinRegistered, Id)} atau lebih",
                $"Turnout {P(t, En)} (DPT+DPPh+DPTb {N(registered, En)}, voters who voted {N(users, En)}), above {P(AnomalyThresholds.TurnoutImprobable, En)} with {N(AnomalyThresholds.TurnoutImprobableMinRegistered, En)} or more voters");
        }
        return null;
    }

    /// <summary>One column with at least 98% of the valid votes in a TPS with at least 200 voters (contests with two or more columns).</summary>
    public static AnomalyFinding? PaslonNearAll(CHasilSheet s)
    {
        if (s.Votes.Count < 2 || s.SuaraSah <= 0 || s.UsersTotal < AnomalyThresholds.PaslonNearAllMinUsers) return null;
        var (n, v) = s.Votes.MaxBy(kv => kv.Value);
        var share = (double)v / s.SuaraSah;
        if (share < AnomalyThresholds.PaslonNearAllShare) return null;
        return new AnomalyFinding(AnomalyCodes.PaslonNearAll, s.Tps, AnomalySeverity.High, share,
            $"{Paslon(n, false)} memperoleh {P(share, Id)} suara sah ({N(v, Id)} dari {N(s.SuaraSah, Id)}; pengguna hak pilih {N(s.UsersTotal, Id)})",
            $"{Paslon(n, true)} got {P(share, En)} of the valid votes ({N(v, En)} of {N(s.SuaraSah, En)}; voters who voted {N(s.UsersTotal, En)})");
    }

    /// <summary>Per-sheet detectors of a counted sheet.</summary>
    public static IReadOnlyList<AnomalyFinding> PerSheet(CHasilSheet s)
    {
        var list = new List<AnomalyFinding>(2);
        if (Turnout(s) is { } t) list.Add(t);
        if (PaslonNearAll(s) is { } p) list.Add(p);
        return list;
    }

    /// <summary>
    /// A large change between two consecutive counted versions: some column moved by more than 10% of the previous suara sah
    /// or by more than 50 votes. <paramref name="explanation"/> is the reason given with the new version, if any.
    /// </summary>
    public static AnomalyFinding? LargeChange(CHasilSheet previous, int previousVersion, CHasilSheet current, int currentVersion, string? explanation)
    {
        var worst = (Number: -1, From: 0L, To: 0L, Delta: 0L);
        foreach (var n in previous.Votes.Keys.Union(current.Votes.Keys))
        {
            var a = previous.Votes.GetValueOrDefault(n);
            var b = current.Votes.GetValueOrDefault(n);
            if (Math.Abs(b - a) > Math.Abs(worst.Delta)) worst = (n, a, b, b - a);
        }
        if (worst.Number < 0 || worst.Delta == 0) return null;
        var abs = Math.Abs(worst.Delta);
        var byShare = previous.SuaraSah > 0 && abs > previous.SuaraSah * AnomalyThresholds.LargeChangeShareOfSah;
        if (!byShare && abs <= AnomalyThresholds.LargeChangeVotes) return null;
        var share = previous.SuaraSah > 0 ? (double)abs / previous.SuaraSah : 1;
        var explained = !string.IsNullOrWhiteSpace(explanation);
        string Sign(long d, CultureInfo c) => (d > 0 ? "+" : "−") + N(Math.Abs(d), c);
        return new AnomalyFinding(AnomalyCodes.LargeChange, current.Tps, explained ? AnomalySeverity.Medium : AnomalySeverity.High, share,
            $"{Paslon(worst.Number, false)} berubah {N(worst.From, Id)} → {N(worst.To, Id)} ({Sign(worst.Delta, Id)}, {P(share, Id)} dari suara sah {N(previous.SuaraSah, Id)}) dari versi {previousVersion} ke versi {currentVersion}; " +
            (explained ? $"alasan: \"{explanation}\"" : "tanpa penjelasan"),
            $"{Paslon(worst.Number, true)} changed {N(worst.From, En)} → {N(worst.To, En)} ({Sign(worst.Delta, En)}, {P(share, En)} of the valid votes {N(previous.SuaraSah, En)}) from version {previousVersion} to version {currentVersion}; " +
            (explained ? $"reason: \"{explanation}\"" : "no explanation given"));
    }

    /// <summary>The same photo used for the sheet of <paramref name="tps"/> and of <paramref name="otherTps"/>.</summary>
    public static AnomalyFinding? PhotoReused(string tps, string sha256, string otherTps, string otherContest)
    {
        if (tps == otherTps) return null;
        return new AnomalyFinding(AnomalyCodes.PhotoReused, tps, AnomalySeverity.High, 1,
            $"Foto C.Hasil yang sama (SHA-256 {sha256[..12]}…) juga dipakai untuk TPS {otherTps} ({otherContest})",
            $"The same C.Hasil photo (SHA-256 {sha256[..12]}…) is also used for TPS {otherTps} ({otherContest})");
    }

    /// <summary>
    /// Invalid-vote share far above the median of the kab/kota: robust z > 3.5 and at least 5 points above the median, for TPS
    /// with at least 50 ballots used, when the kab/kota has at least 10 counted TPS.
    /// </summary>
    public static IReadOnlyList<AnomalyFinding> InvalidShareOutliers(IReadOnlyList<TpsFigures> kabKota)
    {
        var eligible = kabKota.Where(t => t.Used >= AnomalyThresholds.InvalidShareMinUsed).ToList();
        if (eligible.Count < AnomalyThresholds.InvalidShareMinTps) return [];
        var shares = eligible.Select(t => t.InvalidShare).ToArray();
        var median = Stats.Median(shares);
        var mad = Math.Max(Stats.Mad(shares, median), AnomalyThresholds.InvalidShareMadFloor);
        var list = new List<AnomalyFinding>();
        foreach (var t in eligible)
        {
            var z = Stats.RobustZ(t.InvalidShare, median, mad);
            if (z <= AnomalyThresholds.RobustZ || t.InvalidShare - median < AnomalyThresholds.InvalidShareMinExcess) continue;
            list.Add(new AnomalyFinding(AnomalyCodes.InvalidShareOutlier, t.Tps, AnomalySeverity.Medium, z,
                $"Suara tidak sah {P(t.InvalidShare, Id)} ({N(t.SuaraTidakSah, Id)} dari {N(t.Used, Id)}), median kab/kota {P(median, Id)} dari {N(eligible.Count, Id)} TPS, skor-z robust {D(z, Id)}",
                $"Invalid votes {P(t.InvalidShare, En)} ({N(t.SuaraTidakSah, En)} of {N(t.Used, En)}), kab/kota median {P(median, En)} over {N(eligible.Count, En)} TPS, robust z-score {D(z, En)}"));
        }
        return list;
    }

    /// <summary>
    /// Turnout and paslon-share outliers against the other TPS of the same kecamatan (leave-one-out median and MAD): |robust z| > 3.5
    /// and at least 10 points from the median of the others, only when the kecamatan has at least 8 other comparable TPS.
    /// </summary>
    public static IReadOnlyList<AnomalyFinding> KecamatanOutliers(IReadOnlyList<TpsFigures> tps, IReadOnlyCollection<int> paslon)
    {
        var list = new List<AnomalyFinding>();
        foreach (var kec in tps.Where(t => t.Users >= AnomalyThresholds.KecamatanMinUsers && t.Registered > 0).GroupBy(t => t.Kecamatan))
        {
            var members = kec.ToList();
            if (members.Count - 1 < AnomalyThresholds.KecamatanMinOtherTps) continue;
            var kecCode = kec.Key;
            for (var i = 0; i < members.Count; i++)
            {
                var t = members[i];
                var others = members.Where((_, j) => j != i).ToList();
                // Turnout.
                var (zt, mt) = Compare(t.Turnout, others.Select(o => o.Turnout).ToArray());
                if (Math.Abs(zt) > AnomalyThresholds.RobustZ && Math.Abs(t.Turnout - mt) >= AnomalyThresholds.KecamatanMinDifference)
                    list.Add(new AnomalyFinding(AnomalyCodes.KecamatanTurnoutOutlier, t.Tps, AnomalySeverity.Medium, zt,
                        $"Partisipasi {P(t.Turnout, Id)} ({N(t.Users, Id)} dari {N(t.Registered, Id)}), median {N(others.Count, Id)} TPS lain di kecamatan {kecCode} {P(mt, Id)}, skor-z robust {D(zt, Id)}",
                        $"Turnout {P(t.Turnout, En)} ({N(t.Users, En)} of {N(t.Registered, En)}), median of the {N(others.Count, En)} other TPS in kecamatan {kecCode} {P(mt, En)}, robust z-score {D(zt, En)}"));
                // Paslon shares: the strongest deviation.
                if (t.SuaraSah <= 0) continue;
                (int N, double Z, double Median)? worst = null;
                foreach (var n in paslon)
                {
                    var (z, m) = Compare(t.Share(n), others.Where(o => o.SuaraSah > 0).Select(o => o.Share(n)).ToArray());
                    if (Math.Abs(z) > AnomalyThresholds.RobustZ && Math.Abs(t.Share(n) - m) >= AnomalyThresholds.KecamatanMinDifference &&
                        (worst is null || Math.Abs(z) > Math.Abs(worst.Value.Z)))
                        worst = (n, z, m);
                }
                if (worst is { } w)
                    list.Add(new AnomalyFinding(AnomalyCodes.KecamatanShareOutlier, t.Tps, AnomalySeverity.Medium, w.Z,
                        $"{Paslon(w.N, false)} {P(t.Share(w.N), Id)} suara sah ({N(t.Votes.GetValueOrDefault(w.N), Id)} dari {N(t.SuaraSah, Id)}), median {N(others.Count, Id)} TPS lain di kecamatan {kecCode} {P(w.Median, Id)}, skor-z robust {D(w.Z, Id)}",
                        $"{Paslon(w.N, true)} {P(t.Share(w.N), En)} of the valid votes ({N(t.Votes.GetValueOrDefault(w.N), En)} of {N(t.SuaraSah, En)}), median of the {N(others.Count, En)} other TPS in kecamatan {kecCode} {P(w.Median, En)}, robust z-score {D(w.Z, En)}"));
            }
        }
        return list;

        static (double Z, double Median) Compare(double x, double[] others)
        {
            if (others.Length == 0) return (0, x);
            var m = Stats.Median(others);
            var mad = Math.Max(Stats.Mad(others, m), AnomalyThresholds.KecamatanMadFloor);
            return (Stats.RobustZ(x, m, mad), m);
        }
    }

    /// <summary>
    /// Last-digit test over a kab/kota: the last digits of every paslon count of at least 10 should be close to uniform; flagged when
    /// the chi-square test (9 degrees of freedom) gives p &lt; 0.001 with at least 30 TPS and 100 counts. A weak signal: honest counts
    /// can fail it and fabricated ones can pass it.
    /// </summary>
    public static AnomalyFinding? LastDigit(string kabKota, IReadOnlyList<TpsFigures> tps)
    {
        if (tps.Count < AnomalyThresholds.LastDigitMinTps) return null;
        var counts = new long[10];
        foreach (var t in tps)
            foreach (var v in t.Votes.Values)
                if (v >= AnomalyThresholds.LastDigitMinCount) counts[v % 10]++;
        var total = counts.Sum();
        if (total < AnomalyThresholds.LastDigitMinCounts) return null;
        var (chi2, p) = Stats.LastDigitChiSquare(counts);
        if (p >= AnomalyThresholds.LastDigitP) return null;
        var top = Enumerable.Range(0, 10).MaxBy(d => counts[d]);
        var topShare = (double)counts[top] / total;
        var pId = p < 1e-6 ? "< 0,000001" : "= " + p.ToString("0.000000", Id);
        var pEn = p < 1e-6 ? "< 0.000001" : "= " + p.ToString("0.000000", En);
        return new AnomalyFinding(AnomalyCodes.LastDigit, kabKota, AnomalySeverity.Low, chi2,
            $"Digit terakhir suara paslon tidak merata: χ² {D(chi2, Id)} (df 9), p {pId}, dari {N(total, Id)} angka ≥ {AnomalyThresholds.LastDigitMinCount} di {N(tps.Count, Id)} TPS; digit {top} muncul {P(topShare, Id)} (harapan 10,0%). Sinyal lemah, bukan bukti kecurangan: periksa sampel TPS",
            $"Last digits of paslon votes are not uniform: χ² {D(chi2, En)} (df 9), p {pEn}, over {N(total, En)} counts ≥ {AnomalyThresholds.LastDigitMinCount} in {N(tps.Count, En)} TPS; digit {top} appears {P(topShare, En)} (expected 10.0%). A weak signal, not proof of fraud: check a sample of TPS");
    }

    /// <summary>All aggregate detectors of one kab/kota (its counted TPS).</summary>
    public static IReadOnlyList<AnomalyFinding> Aggregate(string kabKota, IReadOnlyList<TpsFigures> tps, IReadOnlyCollection<int> paslon)
    {
        var list = new List<AnomalyFinding>();
        list.AddRange(InvalidShareOutliers(tps));
        list.AddRange(KecamatanOutliers(tps, paslon));
        if (LastDigit(kabKota, tps) is { } ld) list.Add(ld);
        return list;
    }
}

/// <summary>Robust statistics and the chi-square distribution.</summary>
public static class Stats
{
    public static double Median(IReadOnlyList<double> values)
    {
        if (values.Count == 0) return 0;
        var a = values.ToArray();
        Array.Sort(a);
        var m = a.Length / 2;
        return a.Length % 2 == 1 ? a[m] : (a[m - 1] + a[m]) / 2;
    }

    /// <summary>Median absolute deviation (unscaled).</summary>
    public static double Mad(IReadOnlyList<double> values, double median) => Median(values.Select(v => Math.Abs(v - median)).ToArray());

    /// <summary>Iglewicz-Hoaglin modified z-score: 0.6745 (x - median) / MAD.</summary>
    public static double RobustZ(double x, double median, double mad) => mad <= 0 ? (x == median ? 0 : double.PositiveInfinity * Math.Sign(x - median)) : 0.6745 * (x - median) / mad;

    /// <summary>Chi-square statistic of digit counts against a uniform expectation, and its p-value (9 degrees of freedom).</summary>
    public static (double Chi2, double P) LastDigitChiSquare(IReadOnlyList<long> counts)
    {
        double total = counts.Sum();
        if (total <= 0) return (0, 1);
        var expected = total / counts.Count;
        var chi2 = counts.Sum(c => (c - expected) * (c - expected) / expected);
        return (chi2, ChiSquareSurvival(chi2, counts.Count - 1));
    }

    /// <summary>P(X ≥ x) for a chi-square distribution with <paramref name="df"/> degrees of freedom.</summary>
    public static double ChiSquareSurvival(double x, int df) => x <= 0 ? 1 : UpperRegularizedGamma(df / 2.0, x / 2.0);

    /// <summary>Q(a, x) = Γ(a, x) / Γ(a) (series for x &lt; a + 1, continued fraction otherwise; Numerical Recipes).</summary>
    public static double UpperRegularizedGamma(double a, double x)
    {
        if (x <= 0) return 1;
        var gln = LogGamma(a);
        if (x < a + 1)
        {
            double ap = a, sum = 1 / a, del = sum;
            for (var n = 0; n < 1000; n++)
            {
                ap++;
                del *= x / ap;
                sum += del;
                if (Math.Abs(del) < Math.Abs(sum) * 1e-15) break;
            }
            return Math.Max(0, 1 - sum * Math.Exp(-x + a * Math.Log(x) - gln));
        }
        double b = x + 1 - a, c = 1 / 1e-300, d = 1 / b, h = d;
        for (var i = 1; i < 1000; i++)
        {
            var an = -i * (i - a);
            b += 2;
            d = an * d + b;
            if (Math.Abs(d) < 1e-300) d = 1e-300;
            c = b + an / c;
            if (Math.Abs(c) < 1e-300) c = 1e-300;
            d = 1 / d;
            var del = d * c;
            h *= del;
            if (Math.Abs(del - 1) < 1e-15) break;
        }
        return Math.Exp(-x + a * Math.Log(x) - gln) * h;
    }

    /// <summary>ln Γ(x) for x &gt; 0 (Lanczos, g = 7).</summary>
    public static double LogGamma(double x)
    {
        double[] g = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
            12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
        if (x < 0.5) return Math.Log(Math.PI / Math.Abs(Math.Sin(Math.PI * x))) - LogGamma(1 - x);
        x -= 1;
        var a = g[0];
        var t = x + 7.5;
        for (var i = 1; i < 9; i++) a += g[i] / (x + i);
        return 0.5 * Math.Log(2 * Math.PI) + (x + 0.5) * Math.Log(t) - t + Math.Log(a);
    }
}
