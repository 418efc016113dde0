using FsCheck;
using FsCheck.Fluent;
using Pantau.Core.Incidents;

namespace Pantau.Core.Tests.Incidents;

public class KerawananTests
{
    private static readonly DateTimeOffset AsOf = new(2024, 11, 20, 2, 0, 0, TimeSpan.Zero);
    private static readonly IkpEdition Pilkada = IkpEditions.Pilkada2024;
    private static readonly IkpEdition Pemilu = IkpEditions.Pemilu2024;

    [Theory]
    [InlineData(68.5, KerawananBand.High)]
    [InlineData(68.49, KerawananBand.Medium)]
    [InlineData(55.32, KerawananBand.Medium)] // Sumatera Selatan: Bawaslu rates it medium as a province
    [InlineData(49.33, KerawananBand.Medium)]
    [InlineData(21.7, KerawananBand.Medium)]
    [InlineData(21.69, KerawananBand.Low)]
    [InlineData(0, KerawananBand.Low)]
    [InlineData(100, KerawananBand.High)]
    public void Province_bands_are_high_from_68_5_and_medium_from_21_7(double score, KerawananBand band)
    {
        Assert.Equal(band, Kerawanan.BandOf(score, IkpLevel.Provinsi, Pilkada));
        Assert.Equal(band, Kerawanan.BandOf(score, IkpLevel.Provinsi, Pemilu));
    }

    [Theory]
    [InlineData(49.33, KerawananBand.High)]
    [InlineData(55.32, KerawananBand.High)]
    [InlineData(49.32, KerawananBand.Medium)]
    [InlineData(49.325, KerawananBand.Medium)] // rounded to 2 decimals first (49.32 under banker's rounding)
    [InlineData(13.47, KerawananBand.Medium)]
    [InlineData(21.69, KerawananBand.Medium)] // low for a province, medium for a kab/kota
    [InlineData(13.46, KerawananBand.Low)]
    [InlineData(0, KerawananBand.Low)]
    public void Kabkota_bands_are_high_from_49_33_and_medium_from_13_47(double score, KerawananBand band) =>
        Assert.Equal(band, Kerawanan.BandOf(score, IkpLevel.KabKota, Pilkada));

    [Theory]
    [InlineData(IkpLevel.Kecamatan)]
    [InlineData(IkpLevel.Desa)]
    [InlineData(IkpLevel.Tps)]
    public void Below_kabkota_the_kabkota_thresholds_apply_and_say_they_are_not_published(IkpLevel level)
    {
        var b = Pilkada.BandsAt(level);
        Assert.False(b.Published);
        Assert.Contains("tidak menerbitkan", b.SourceId);
        Assert.Equal(KerawananBand.High, Kerawanan.BandOf(49.33, level, Pilkada));
        Assert.Equal(KerawananBand.Medium, Kerawanan.BandOf(49.32, level, Pilkada));
        Assert.Equal(KerawananBand.Low, Kerawanan.BandOf(13.46, level, Pilkada));
        Assert.True(Pilkada.BandsAt(IkpLevel.Provinsi).Published);
        Assert.True(Pilkada.BandsAt(IkpLevel.KabKota).Published);
    }

    [Fact]
    public void The_two_2024_editions_have_their_own_dimensions_and_weights_that_sum_to_one()
    {
        Assert.Equal(["sosial-politik", "penyelenggaraan", "kontestasi", "partisipasi"], Pemilu.Dimensions.Select(d => d.Key));
        Assert.Contains("61 indikator", Pemilu.StructureId);
        Assert.Equal(["sosial-politik", "pencalonan", "kampanye", "pemungutan-penghitungan"], Pilkada.Dimensions.Select(d => d.Key));
        foreach (var e in IkpEditions.All) Assert.Equal(1.0, e.Dimensions.Sum(d => d.Weight), 9);
        Assert.Same(Pilkada, IkpEditions.Get(null));
        Assert.Same(Pemilu, IkpEditions.Get("IKP-PEMILU-2024"));
        Assert.Throws<ArgumentException>(() => IkpEditions.Get("ikp-2019"));
    }

    [Fact]
    public void Sumsel_is_Bawaslus_55_32_and_medium_as_a_province()
    {
        var baselines = new IkpBaselines(Pilkada);
        var province = baselines.For("16");
        Assert.False(province.IsSynthetic);
        Assert.Equal(55.32, province.Total, 9);
        Assert.Contains("4 dari 28", province.Source.Replace("ke-4", "4"));
        var score = Kerawanan.Score(new KerawananInput("16", IkpLevel.Provinsi, province, [], TpsRawanShares.None, AsOf));
        Assert.Equal(55.32, score.Rounded);
        Assert.Equal(KerawananBand.Medium, score.Band);
        var part = Assert.Single(score.Contributions);
        Assert.Equal("ikp", part.Key);
        Assert.Equal("bawaslu", part.Origin);
        Assert.False(score.IsSynthetic);
    }

    [Fact]
    public void Lahat_is_high_on_pencalonan_and_Musi_Banyuasin_high_on_sosial_politik_while_their_totals_stay_synthetic()
    {
        var baselines = new IkpBaselines(Pilkada);
        var lahat = baselines.For("16.04");
        Assert.True(lahat.IsSynthetic);
        Assert.Equal(KerawananBand.High, Pilkada.BandOf(lahat.Values[1], IkpLevel.KabKota));
        Assert.Contains("Lahat", Assert.Single(lahat.Facts));
        var muba = baselines.For("16.06");
        Assert.Equal(KerawananBand.High, Pilkada.BandOf(muba.Values[0], IkpLevel.KabKota));
        Assert.Contains("Musi Banyuasin", Assert.Single(muba.Facts));
        var score = Kerawanan.Score(new KerawananInput("16.04", IkpLevel.KabKota, lahat, [], TpsRawanShares.None, AsOf));
        Assert.All(score.Contributions, c => Assert.Equal("sintetis", c.Origin));
        Assert.All(score.Contributions, c => Assert.Contains("sintetis", c.Id));
        Assert.All(score.Contributions, c => Assert.Contains("bobot Pantau", c.Id));
        Assert.True(score.IsSynthetic);
    }

    [Fact]
    public void Synthetic_baselines_are_deterministic_inside_0_100_and_a_tps_inherits_its_kecamatan()
    {
        var a = new IkpBaselines(Pilkada);
        var b = new IkpBaselines(Pilkada);
        foreach (var code in new[] { "16.01", "16.71", "16.71.01", "16.04.05", "16.71.01.1001" })
        {
            Assert.Equal(a.For(code).Values, b.For(code).Values);
            Assert.True(a.For(code).IsSynthetic);
            Assert.All(a.For(code).Values, v => Assert.InRange(v, 0, 100));
        }
        Assert.NotEqual(a.For("16.01").Total, a.For("16.02").Total);
        Assert.Equal(a.For("16.71.01").Total, a.For("1671011001001").Total, 9);
        Assert.Equal(a.For("16.71.01").Total, a.For("16.71.01.1001").Total, 9);
    }

    [Fact]
    public void An_imported_kabkota_value_replaces_the_synthetic_one_and_kecamatan_follow_it()
    {
        var imported = new IkpPublished("16.01", 62.5, KerawananBand.High, new Dictionary<string, double>(), new Dictionary<string, KerawananBand>(), IkpBaseline.ImportPrefix + "(t.csv, 2026-12-02)", true);
        var baselines = new IkpBaselines(Pilkada, [imported]);
        var oki = baselines.For("16.01");
        Assert.False(oki.IsSynthetic);
        Assert.Equal(62.5, oki.Total, 9);
        Assert.StartsWith("Desk import of Bawaslu's table (t.csv", oki.SourceEn);
        Assert.InRange(baselines.For("16.01.01").Total, 52.5, 72.5);
        var score = Kerawanan.Score(new KerawananInput("16.01", IkpLevel.KabKota, oki, [], TpsRawanShares.None, AsOf));
        Assert.Equal("impor", Assert.Single(score.Contributions).Origin);
        Assert.Equal(KerawananBand.High, score.Band);
        // the published dimension band of Lahat survives an import that only carries Lahat's total
        var lahat = new IkpBaselines(Pilkada, [imported with { Code = "16.04", Total = 40, Band = null }]).For("16.04");
        Assert.Equal(40, lahat.Total, 9);
        Assert.Equal(KerawananBand.High, Pilkada.BandOf(lahat.Values[1], IkpLevel.KabKota));
    }

    [Fact]
    public void Incidents_weigh_by_severity_and_fade_with_a_seven_day_half_life()
    {
        var baseline = IkpBaseline.Of(Pemilu, [10, 10, 10, 10], true, "test");
        var fresh = Kerawanan.Score(new KerawananInput("x", IkpLevel.KabKota, baseline, [new IncidentSignal(Severity.Critical, AsOf)], TpsRawanShares.None, AsOf));
        var week = Kerawanan.Score(new KerawananInput("x", IkpLevel.KabKota, baseline, [new IncidentSignal(Severity.Critical, AsOf.AddDays(-7))], TpsRawanShares.None, AsOf));
        Assert.Equal(20, fresh.Score, 9);
        Assert.Equal(15, week.Score, 9);
        Assert.Equal(KerawananBand.Medium, fresh.Band);
        Assert.Equal(10, fresh.BaselinePoints, 9);
        Assert.Equal(10, fresh.IncidentPoints, 9);
        Assert.Equal(0, fresh.TpsPoints, 9);
        var explained = Assert.Single(fresh.Contributions, c => c.Key == "insiden:critical");
        Assert.Equal(10, explained.Points, 9);
        // the same 20 points are low for a province
        Assert.Equal(KerawananBand.Low, Kerawanan.Score(new KerawananInput("x", IkpLevel.Provinsi, baseline, [new IncidentSignal(Severity.Critical, AsOf)], TpsRawanShares.None, AsOf)).Band);
    }

    [Fact]
    public void Tps_variables_add_three_points_each_and_the_deployment_list_is_worst_first_with_reasons_and_the_synthetic_flag()
    {
        var baseline = IkpBaseline.Of(Pemilu, [20, 20, 20, 20], true, "test");
        var shares = new Dictionary<TpsRawanVariable, double> { [TpsRawanVariable.Security] = 1, [TpsRawanVariable.MoneyPolitics] = 1 };
        var flagged = Kerawanan.Score(new KerawananInput("tps-a", IkpLevel.Tps, baseline, [], new TpsRawanShares(shares, 1), AsOf));
        var calm = Kerawanan.Score(new KerawananInput("tps-b", IkpLevel.Tps, IkpBaseline.Of(Pemilu, [20, 20, 20, 20], false, "impor"), [], TpsRawanShares.None, AsOf));
        Assert.Equal(26, flagged.Score, 9);
        Assert.Equal(6, flagged.TpsPoints, 9);
        var plan = Deployment.Plan([calm, flagged], 10);
        Assert.Equal(["tps-a", "tps-b"], plan.Select(p => p.Code));
        Assert.Equal(1, plan[0].Rank);
        Assert.True(plan[0].IsSynthetic);
        Assert.False(plan[1].IsSynthetic);
        Assert.StartsWith("TPS rawan: ", plan[0].ReasonsId[0]);
        Assert.StartsWith("TPS rawan: ", plan[0].ReasonsId[1]);
        Assert.StartsWith("IKP: ", plan[0].ReasonsId[2]);
        Assert.EndsWith("(+3,0)", plan[0].ReasonsId[0]); // decimal comma in Indonesian, point in English, whatever the server culture
        Assert.EndsWith("(+3.0)", plan[0].ReasonsEn[0]);
        Assert.Equal(3, plan[0].ReasonsId.Count);
        // each item carries the score's three parts
        Assert.Equal(20, plan[0].BaselinePoints, 9);
        Assert.Equal(0, plan[0].IncidentPoints, 9);
        Assert.Equal(6, plan[0].TpsPoints, 9);
    }

    [Theory]
    [InlineData("16", IkpLevel.Provinsi, KerawananBand.Medium)] // Sumsel 55.32: medium at province level (it would be high with the kab/kota thresholds)
    [InlineData("16.71", IkpLevel.KabKota, null)]             // nothing published: synthetic, no Bawaslu band
    [InlineData("16.04", IkpLevel.KabKota, null)]             // Lahat: only its pencalonan dimension band is published
    public void A_score_carries_its_parts_its_source_and_the_band_Bawaslu_published_for_the_region(string code, IkpLevel level, KerawananBand? bawaslu)
    {
        var baselines = new IkpBaselines(Pilkada);
        var b = baselines.For(code);
        var critical = new IncidentSignal(Severity.Critical, AsOf);
        var tps = new TpsRawanShares(new Dictionary<TpsRawanVariable, double> { [TpsRawanVariable.Logistics] = 0.5 }, 10);
        var score = Kerawanan.Score(new KerawananInput(code, level, b, [critical], tps, AsOf));
        var parts = ScoreParts.Of(score, b);
        Assert.Equal(bawaslu, parts.BawasluBand);
        Assert.Equal(b.IsSynthetic, parts.IsSynthetic);
        Assert.Equal(10, parts.Incidents, 9);
        Assert.Equal(1.5, parts.Tps, 9);
        Assert.Equal(parts.Score, parts.Baseline + parts.Incidents + parts.Tps, 1);
        Assert.Equal(Kerawanan.BandOf(score.Score, level, Pilkada), parts.Band);
        var text = parts.Text(true);
        Assert.Contains($"dasar IKP {Kerawanan.Num(parts.Baseline, true)} ({b.Source})", text);
        Assert.Contains("insiden terverifikasi 10,00", text);
        Assert.Contains("variabel TPS rawan 1,50", text);
        Assert.Contains("verified incidents 10.00", parts.Text(false));
        Assert.DoesNotContain("insiden", parts.Text(false));
        if (code == "16")
        {
            // Pantau adds 11.5 points to Bawaslu's 55.32: still medium for a province; Bawaslu's own band is shown beside it.
            Assert.Equal(66.82, parts.Score, 2);
            Assert.Equal(KerawananBand.Medium, parts.Band);
            Assert.Contains("Bawaslu IKP Pilkada 2024: Sumatera Selatan 55,32", text);
        }
        else Assert.StartsWith("sintetis (Pantau)", parts.SourceId);
    }

    [Fact]
    public void An_imported_band_is_Bawaslus_band_of_the_region_and_a_tps_gets_none()
    {
        var imported = new IkpPublished("16.71.01", null, KerawananBand.Low, new Dictionary<string, double>(), new Dictionary<string, KerawananBand>(), IkpBaseline.ImportPrefix + "(t.csv, 2026-12-03)", true);
        var baselines = new IkpBaselines(Pilkada, [imported]);
        var kec = baselines.For("16.71.01");
        Assert.Equal(KerawananBand.Low, kec.PublishedBand);
        var asKecamatan = ScoreParts.Of(Kerawanan.Score(new KerawananInput("16.71.01", IkpLevel.Kecamatan, kec, [], TpsRawanShares.None, AsOf)), kec);
        Assert.Equal(KerawananBand.Low, asKecamatan.BawasluBand);
        var tps = baselines.For("1671011001001");
        var asTps = ScoreParts.Of(Kerawanan.Score(new KerawananInput("1671011001001", IkpLevel.Tps, tps, [], TpsRawanShares.None, AsOf)), tps);
        Assert.Null(asTps.BawasluBand); // Bawaslu bands no TPS: the kecamatan's band is not the TPS's
    }

    [Theory]
    [InlineData(IkpLevel.Provinsi, true, "Kategori tingkat provinsi: tinggi ≥ 68,50; sedang 21,70–68,49; rendah di bawahnya (Bawaslu IKP 2024, tingkat provinsi")]
    [InlineData(IkpLevel.KabKota, false, "Bands at regency/city level: high ≥ 49.33; medium 13.47–49.32; low below (Bawaslu IKP 2024, regency/city level")]
    [InlineData(IkpLevel.Kecamatan, true, "Kategori tingkat kecamatan: tinggi ≥ 49,33; sedang 13,47–49,32; rendah di bawahnya (Bawaslu tidak menerbitkan kategori untuk tingkat ini; Pantau memakai ambang kab/kota)")]
    public void Band_thresholds_describe_themselves_per_level_in_one_language(IkpLevel level, bool indonesian, string expected) =>
        Assert.StartsWith(expected, Pilkada.BandsAt(level).Describe(level, indonesian));

    [Fact]
    public void Tps_rawan_has_eight_variables_each_with_indicators_and_the_collection_window_is_a_schedule_stage()
    {
        Assert.Equal(8, Enum.GetValues<TpsRawanVariable>().Length);
        Assert.All(Enum.GetValues<TpsRawanVariable>(), v => Assert.NotEmpty(TpsRawanIndicators.Of(v)));
        var stage = Assert.Single(Pantau.Core.Readiness.Schedule.Pilkada2024, s => s.Code == TpsRawanIndicators.CollectionStage);
        Assert.Equal(new DateOnly(2024, 11, 10), stage.Start);
        Assert.Equal(new DateOnly(2024, 11, 15), stage.End);
    }

    private static Arbitrary<KerawananInput> Inputs() =>
        (from dims in Gen.Choose(0, 10000).ArrayOf(4)
         from level in Gen.Elements(Enum.GetValues<IkpLevel>())
         from incidents in Gen.Choose(0, 40).SelectMany(n => Gen.Zip(Gen.Elements(Enum.GetValues<Severity>()), Gen.Choose(0, 60 * 24)).ListOf(n))
         from shares in Gen.Choose(0, 100).ArrayOf(8)
         select new KerawananInput("p", level, IkpBaseline.Of(Pilkada, [dims[0] / 100.0, dims[1] / 100.0, dims[2] / 100.0, dims[3] / 100.0], true, "gen"),
             incidents.Select(i => new IncidentSignal(i.Item1, AsOf.AddMinutes(-i.Item2 * 30))).ToList(),
             new TpsRawanShares(Enum.GetValues<TpsRawanVariable>().Select((v, k) => (v, shares[k] / 100.0)).ToDictionary(x => x.v, x => x.Item2), 10), AsOf)).ToArbitrary();

    [FsCheck.Xunit.Property(MaxTest = 300)]
    public Property Contributions_sum_to_the_score_which_is_reproducible_bounded_and_banded_at_its_level() =>
        Prop.ForAll(Inputs(), input =>
        {
            var a = Kerawanan.Score(input);
            var b = Kerawanan.Score(input);
            var sum = a.Contributions.Sum(c => c.Points);
            return Math.Abs(sum - a.Score) < 1e-9
                   && Math.Abs(a.BaselinePoints + a.IncidentPoints + a.TpsPoints - a.Score) < 1e-9
                   && a.Score is >= 0 and <= 100 + 1e-9
                   && a.Score == b.Score && a.Contributions.SequenceEqual(b.Contributions)
                   && a.Band == Kerawanan.BandOf(a.Score, input.Level, Pilkada)
                   && a.Contributions.Where(c => c.Key.StartsWith("insiden:")).Sum(c => c.Points) <= Kerawanan.IncidentCap + 1e-9;
        });

    [FsCheck.Xunit.Property(MaxTest = 200)]
    public Property More_confirmed_incidents_never_lower_the_score() =>
        Prop.ForAll(Inputs(), Gen.Elements(Enum.GetValues<Severity>()).ToArbitrary(), (input, severity) =>
        {
            var more = input with { Incidents = [.. input.Incidents, new IncidentSignal(severity, AsOf)] };
            return Kerawanan.Score(more).Score >= Kerawanan.Score(input).Score - 1e-9;
        });
}
