using FsCheck;
using FsCheck.Fluent;
using Pantau.Core.Incidents;

namespace Pantau.Core.Tests.Incidents;

public class KerawananTests
{
    private static readonly DateTimeOffset AsOf = new(2024, 11, 20, 2, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(49.33, KerawananBand.High)]
    [InlineData(55.32, KerawananBand.High)]
    [InlineData(49.32, KerawananBand.Medium)]
    [InlineData(13.47, KerawananBand.Medium)]
    [InlineData(13.46, KerawananBand.Low)]
    [InlineData(0, KerawananBand.Low)]
    [InlineData(100, KerawananBand.High)]
    public void Bands_follow_the_IKP_2024_thresholds(double score, KerawananBand band) => Assert.Equal(band, Kerawanan.BandOf(score));

    [Fact]
    public void Sumsel_baseline_is_the_official_55_32_and_Lahat_is_high()
    {
        var province = IkpBaselines.For("16");
        Assert.False(province.IsSynthetic);
        Assert.Equal(55.32, province.Total, 9);
        var lahat = IkpBaselines.For("16.04");
        Assert.True(lahat.IsSynthetic);
        Assert.Equal(KerawananBand.High, Kerawanan.BandOf(lahat.Total));
        var score = Kerawanan.Score(new KerawananInput("16", province, [], TpsRawanShares.None, AsOf));
        Assert.Equal(55.32, score.Rounded);
        Assert.Equal(4, score.Contributions.Count);
    }

    [Fact]
    public void Synthetic_baselines_are_deterministic_and_inside_0_100()
    {
        foreach (var code in new[] { "16.01", "16.71", "16.71.01", "16.04.05", "16.71.01.1001" })
        {
            var a = IkpBaselines.For(code);
            var b = IkpBaselines.For(code);
            Assert.Equal(a, b);
            Assert.True(a.IsSynthetic);
            Assert.All(a.Values, v => Assert.InRange(v, 0, 100));
        }
        Assert.NotEqual(IkpBaselines.For("16.01").Total, IkpBaselines.For("16.02").Total);
    }

    [Fact]
    public void Incidents_weigh_by_severity_and_fade_with_a_seven_day_half_life()
    {
        var baseline = new IkpBaseline(10, 10, 10, 10, true, "test");
        var fresh = Kerawanan.Score(new KerawananInput("x", baseline, [new IncidentSignal(Severity.Critical, AsOf)], TpsRawanShares.None, AsOf));
        var week = Kerawanan.Score(new KerawananInput("x", baseline, [new IncidentSignal(Severity.Critical, AsOf.AddDays(-7))], TpsRawanShares.None, AsOf));
        Assert.Equal(20, fresh.Score, 9);
        Assert.Equal(15, week.Score, 9);
        Assert.Equal(KerawananBand.Medium, fresh.Band);
        var explained = Assert.Single(fresh.Contributions, c => c.Key == "insiden:critical");
        Assert.Equal(10, explained.Points, 9);
    }

    [Fact]
    public void Tps_variables_add_three_points_each_and_the_deployment_list_is_worst_first_with_reasons()
    {
        var baseline = new IkpBaseline(20, 20, 20, 20, true, "test");
        var shares = new Dictionary<TpsRawanVariable, double> { [TpsRawanVariable.Security] = 1, [TpsRawanVariable.MoneyPolitics] = 1 };
        var flagged = Kerawanan.Score(new KerawananInput("tps-a", baseline, [], new TpsRawanShares(shares, 1), AsOf));
        var calm = Kerawanan.Score(new KerawananInput("tps-b", baseline, [], TpsRawanShares.None, AsOf));
        Assert.Equal(26, flagged.Score, 9);
        var plan = Deployment.Plan([calm, flagged], 10);
        Assert.Equal(["tps-a", "tps-b"], plan.Select(p => p.Code));
        Assert.Equal(1, plan[0].Rank);
        Assert.StartsWith("TPS rawan: ", plan[0].ReasonsId[0]);
        Assert.StartsWith("TPS rawan: ", plan[0].ReasonsId[1]);
        Assert.StartsWith("IKP: ", plan[0].ReasonsId[2]);
        Assert.Equal(3, plan[0].ReasonsId.Count);
    }

    private static Arbitrary<KerawananInput> Inputs() =>
        (from dims in Gen.Choose(0, 10000).ArrayOf(4)
         from incidents in Gen.Choose(0, 40).SelectMany(n => Gen.Zip(Gen.Elements(Enum.GetValues<Severity>()), Gen.Choose(0, 60 * 24)).ListOf(n))
         from shares in Gen.Choose(0, 100).ArrayOf(8)
         select new KerawananInput("p", new IkpBaseline(dims[0] / 100.0, dims[1] / 100.0, dims[2] / 100.0, dims[3] / 100.0, true, "gen"),
             incidents.Select(i => new IncidentSignal(i.Item1, AsOf.AddMinutes(-i.Item2 * 30))).ToList(),
             new TpsRawanShares(Enum.GetValues<TpsRawanVariable>().Select((v, k) => (v, shares[k] / 100.0)).ToDictionary(x => x.v, x => x.Item2), 10), AsOf)).ToArbitrary();

    [FsCheck.Xunit.Property(MaxTest = 300)]
    public Property Contributions_sum_to_the_score_which_is_reproducible_and_bounded() =>
        Prop.ForAll(Inputs(), input =>
        {
            var a = Kerawanan.Score(input);
            var b = Kerawanan.Score(input);
            var sum = a.Contributions.Sum(c => c.Points);
            return Math.Abs(sum - a.Score) < 1e-9
                   && a.Score is >= 0 and <= 100 + 1e-9
                   && a.Score == b.Score && a.Contributions.SequenceEqual(b.Contributions)
                   && a.Band == Kerawanan.BandOf(a.Score)
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
