using Pantau.Core.Tally;
using Pantau.Core.Tally.Anomalies;
using Pantau.TestKit;

namespace Pantau.Core.Tests.Tally;

public class AnomalyDetectorTests
{
    private const string C = "PILGUB-16";
    private const string Tps = "1671011001001";

    private static CHasilSheet Sheet(long dpt, params long[] votes) => TallySheets.Valid(C, Tps, votes.Select((v, i) => (i + 1, v)).ToDictionary(x => x.Item1, x => x.v),
        tidakSah: 0, dpt: dpt, dpph: 0, dptb: 0, damaged: 0, disabled: 0);

    // ---- turnout ----

    [Fact]
    public void Turnout_over_100_is_high_and_the_reason_names_the_numbers()
    {
        // An adjudicated or hand-built sheet can claim more users than registered voters.
        var s = Sheet(412, 200, 200) with { UsersDpt = 426, UsersDptL = 213, UsersDptP = 213 };
        var f = AnomalyDetectors.Turnout(s);
        Assert.NotNull(f);
        Assert.Equal(AnomalyCodes.TurnoutOver100, f.Code);
        Assert.Equal(AnomalySeverity.High, f.Severity);
        Assert.Contains("Partisipasi 103,4%", f.ReasonId);
        Assert.Contains("412", f.ReasonId);
        Assert.Contains("426", f.ReasonId);
        Assert.Contains("Turnout 103.4%", f.ReasonEn);
    }

    [Fact]
    public void Turnout_exactly_100_is_improbable_but_not_over_100()
    {
        var f = AnomalyDetectors.Turnout(Sheet(300, 150, 150));
        Assert.NotNull(f);
        Assert.Equal(AnomalyCodes.TurnoutImprobable, f.Code);
        Assert.Contains("100,0%", f.ReasonId);
    }

    [Fact]
    public void Improbable_turnout_needs_more_than_95_percent_and_200_voters()
    {
        // 200 registered: 191 users (95.5%) flags; 190 (exactly 95%) does not.
        Assert.Equal(AnomalyCodes.TurnoutImprobable, AnomalyDetectors.Turnout(Sheet(200, 100, 91))?.Code);
        Assert.Null(AnomalyDetectors.Turnout(Sheet(200, 100, 90)));
        // 199 registered with 99% turnout: too few voters to call it improbable.
        Assert.Null(AnomalyDetectors.Turnout(Sheet(199, 100, 97)));
        Assert.Null(AnomalyDetectors.Turnout(Sheet(400, 150, 150)));
    }

    // ---- near 100% ----

    [Fact]
    public void One_paslon_with_98_percent_in_a_big_TPS_is_flagged_with_its_numbers()
    {
        var f = AnomalyDetectors.PaslonNearAll(Sheet(400, 196, 2, 2));
        Assert.NotNull(f);
        Assert.Equal(AnomalyCodes.PaslonNearAll, f.Code);
        Assert.Contains("paslon 1", f.ReasonId);
        Assert.Contains("98,0%", f.ReasonId);
        Assert.Contains("196 dari 200", f.ReasonId);
        Assert.Contains("196 of 200", f.ReasonEn);
    }

    [Fact]
    public void Near_100_boundaries()
    {
        Assert.Null(AnomalyDetectors.PaslonNearAll(Sheet(400, 195, 3, 2)));  // 97.5%
        Assert.Null(AnomalyDetectors.PaslonNearAll(Sheet(400, 196, 3)));     // 199 voters: too few
        Assert.NotNull(AnomalyDetectors.PaslonNearAll(Sheet(400, 0, 300)));  // 100% for paslon 2
        Assert.Null(AnomalyDetectors.PaslonNearAll(Sheet(400, 300)));        // a single column says nothing
    }

    // ---- large change ----

    [Fact]
    public void Large_change_by_share_of_sah_or_by_votes()
    {
        var v1 = Sheet(400, 100, 100);
        // 21 votes moved on sah 200: 10.5% > 10%.
        var f = AnomalyDetectors.LargeChange(v1, 1, Sheet(400, 121, 79), 2, null);
        Assert.NotNull(f);
        Assert.Equal(AnomalySeverity.High, f.Severity);
        Assert.Contains("100 → 121", f.ReasonId);
        Assert.Contains("+21", f.ReasonId);
        Assert.Contains("versi 1 ke versi 2", f.ReasonId);
        Assert.Contains("tanpa penjelasan", f.ReasonId);
        Assert.Contains("no explanation", f.ReasonEn);
        // Exactly 10% (20 of 200) is not large.
        Assert.Null(AnomalyDetectors.LargeChange(v1, 1, Sheet(400, 120, 80), 2, null));
        // 51 votes on a big TPS (sah 580: 8.8%) is large by count; 50 is not.
        var big = Sheet(600, 290, 290);
        Assert.NotNull(AnomalyDetectors.LargeChange(big, 1, Sheet(600, 341, 239), 2, "salah tulis"));
        Assert.Null(AnomalyDetectors.LargeChange(big, 1, Sheet(600, 340, 240), 2, null));
        Assert.Null(AnomalyDetectors.LargeChange(v1, 1, v1, 2, null));
    }

    [Fact]
    public void Explained_large_change_is_medium_and_quotes_the_reason()
    {
        var f = AnomalyDetectors.LargeChange(Sheet(400, 100, 100), 1, Sheet(400, 40, 160), 2, "salah input paslon 1");
        Assert.NotNull(f);
        Assert.Equal(AnomalySeverity.Medium, f.Severity);
        Assert.Contains("\"salah input paslon 1\"", f.ReasonId);
        Assert.Contains("−60", f.ReasonId);
    }

    // ---- photo ----

    [Fact]
    public void Photo_reuse_needs_two_different_TPS()
    {
        var sha = new string('a', 64);
        Assert.Null(AnomalyDetectors.PhotoReused(Tps, sha, Tps, C));
        var f = AnomalyDetectors.PhotoReused(Tps, sha, "1671011001002", C);
        Assert.NotNull(f);
        Assert.Contains("1671011001002", f.ReasonId);
        Assert.Contains("aaaaaaaaaaaa", f.ReasonEn);
    }

    // ---- invalid share ----

    private static TpsFigures Fig(string tps, long registered, long users, long tidakSah, params long[] votes) =>
        new(tps, registered, users, users - tidakSah, tidakSah, votes.Select((v, i) => (i + 1, v)).ToDictionary(x => x.Item1, x => x.v));

    private static string TpsCode(int kec, int n) => $"1671{kec:00}1001{n:000}";

    [Fact]
    public void Invalid_share_far_above_the_kabkota_median_is_flagged()
    {
        var rng = new Random(7);
        var list = Enumerable.Range(1, 30).Select(i => { var tidak = 8L + rng.Next(0, 8); return Fig(TpsCode(1, i), 400, 300, tidak, 150, 300 - tidak - 150); }).ToList();
        list.Add(Fig(TpsCode(1, 99), 400, 300, 60, 120, 120)); // 20% invalid
        var found = AnomalyDetectors.InvalidShareOutliers(list);
        var f = Assert.Single(found);
        Assert.Equal(TpsCode(1, 99), f.Subject);
        Assert.Contains("20,0%", f.ReasonId);
        Assert.Contains("60 dari 300", f.ReasonId);
        Assert.Contains("median kab/kota", f.ReasonId);
        Assert.True(f.Score > AnomalyThresholds.RobustZ);
    }

    [Fact]
    public void Invalid_share_needs_enough_TPS_and_a_real_excess()
    {
        // Nine TPS only.
        var few = Enumerable.Range(1, 8).Select(i => Fig(TpsCode(1, i), 400, 300, 10, 145, 145)).Append(Fig(TpsCode(1, 99), 400, 300, 90, 105, 105)).ToList();
        Assert.Empty(AnomalyDetectors.InvalidShareOutliers(few));
        // Homogeneous area (MAD 0): 4.7 points above the median is not enough, 5.3 is.
        var same = Enumerable.Range(1, 20).Select(i => Fig(TpsCode(1, i), 400, 300, 9, 150, 141)).ToList(); // 3%
        Assert.Empty(AnomalyDetectors.InvalidShareOutliers([.. same, Fig(TpsCode(1, 98), 400, 300, 23, 150, 127)])); // 7.67%
        Assert.Single(AnomalyDetectors.InvalidShareOutliers([.. same, Fig(TpsCode(1, 98), 400, 300, 25, 150, 125)])); // 8.33%
    }

    // ---- kecamatan outliers ----

    [Fact]
    public void Kecamatan_share_and_turnout_outliers()
    {
        var rng = new Random(11);
        var list = new List<TpsFigures>();
        for (var i = 1; i <= 12; i++)
        {
            var users = 280L + rng.Next(0, 30);
            var p1 = users / 2 + rng.Next(-10, 10);
            list.Add(Fig(TpsCode(2, i), 400, users, 0, p1, users - p1));
        }
        list.Add(Fig(TpsCode(2, 50), 400, 390, 0, 330, 60)); // turnout 97.5% and paslon 1 at 85%
        var found = AnomalyDetectors.KecamatanOutliers(list, [1, 2]);
        Assert.Contains(found, f => f.Code == AnomalyCodes.KecamatanTurnoutOutlier && f.Subject == TpsCode(2, 50));
        var share = Assert.Single(found, f => f.Code == AnomalyCodes.KecamatanShareOutlier);
        Assert.Equal(TpsCode(2, 50), share.Subject);
        Assert.Contains("dari 390", share.ReasonId);
        Assert.Contains("12 TPS lain", share.ReasonId);
        Assert.Contains("167102", share.ReasonId);
        Assert.DoesNotContain(found, f => f.Subject != TpsCode(2, 50));
    }

    [Fact]
    public void Kecamatan_outliers_need_enough_TPS()
    {
        var list = Enumerable.Range(1, 7).Select(i => Fig(TpsCode(3, i), 400, 300, 0, 150, 150)).ToList();
        list.Add(Fig(TpsCode(3, 50), 400, 390, 0, 380, 10));
        Assert.Empty(AnomalyDetectors.KecamatanOutliers(list, [1, 2])); // 7 others < 8
        list.Add(Fig(TpsCode(3, 8), 400, 300, 0, 150, 150));
        Assert.NotEmpty(AnomalyDetectors.KecamatanOutliers(list, [1, 2]));
    }

    // ---- last digit ----

    private static List<TpsFigures> Natural(int seed, int n)
    {
        var rng = new Random(seed);
        return Enumerable.Range(1, n).Select(i =>
        {
            var a = 40L + rng.Next(0, 260); var b = 20L + rng.Next(0, 200); var c = 10L + rng.Next(0, 120);
            return Fig(TpsCode(4, i % 900 + 1) + "", 600, a + b + c, 0, a, b, c);
        }).ToList();
    }

    [Fact]
    public void Last_digit_test_passes_a_natural_sample()
    {
        foreach (var seed in new[] { 1, 2, 3, 42 })
            Assert.Null(AnomalyDetectors.LastDigit("16.71", Natural(seed, 200)));
    }

    [Fact]
    public void Last_digit_test_flags_counts_ending_in_0_or_5()
    {
        var fabricated = Natural(5, 200).Select(t => t with { Votes = t.Votes.ToDictionary(v => v.Key, v => v.Value / 5 * 5) }).ToList();
        var f = AnomalyDetectors.LastDigit("16.71", fabricated);
        Assert.NotNull(f);
        Assert.Equal(AnomalyCodes.LastDigit, f.Code);
        Assert.Equal("16.71", f.Subject);
        Assert.Equal(AnomalySeverity.Low, f.Severity);
        Assert.Contains("Sinyal lemah", f.ReasonId);
        Assert.Contains("weak signal", f.ReasonEn);
        Assert.Contains("600", f.ReasonId); // 200 TPS x 3 counts
        // Too few TPS: no verdict even for fabricated data.
        Assert.Null(AnomalyDetectors.LastDigit("16.71", fabricated.Take(AnomalyThresholds.LastDigitMinTps - 1).ToList()));
    }

    [Fact]
    public void Chi_square_survival_matches_known_values()
    {
        // Critical values of chi-square with 9 degrees of freedom.
        Assert.Equal(0.05, Stats.ChiSquareSurvival(16.919, 9), 3);
        Assert.Equal(0.001, Stats.ChiSquareSurvival(27.877, 9), 4);
        Assert.Equal(0.5, Stats.ChiSquareSurvival(8.343, 9), 3);
        Assert.Equal(1, Stats.ChiSquareSurvival(0, 9));
    }

    [Fact]
    public void Median_and_robust_z()
    {
        Assert.Equal(2, Stats.Median([3, 1, 2]));
        Assert.Equal(2.5, Stats.Median([4, 1, 2, 3]));
        Assert.Equal(1, Stats.Mad([1, 2, 3, 4, 5], 3));
        Assert.Equal(0.6745 * 2, Stats.RobustZ(5, 3, 1), 6);
    }

    [FsCheck.Xunit.Property]
    public bool Per_sheet_findings_always_explain_themselves_with_the_voter_count(FsCheck.PositiveInt a, FsCheck.PositiveInt b)
    {
        var va = a.Get % 300; var vb = b.Get % 300;
        var s = Sheet(600, va, vb);
        return AnomalyDetectors.PerSheet(s).All(f => f.ReasonId.Contains(s.UsersTotal.ToString("N0", System.Globalization.CultureInfo.GetCultureInfo("id-ID"))));
    }
}
