using FsCheck;
using FsCheck.Fluent;
using Pantau.Core.Elections;

namespace Pantau.Core.Tests.Regions;

public class ApportionTests
{
    [Fact]
    public void Parts_sum_exactly_to_the_total_and_follow_the_weights()
    {
        var parts = Apportion.ByWeights(10, [1, 1, 1]);
        Assert.Equal(10, parts.Sum());
        Assert.Equal([4, 3, 3], parts);
    }

    [Fact]
    public void Minimum_each_is_honoured()
    {
        var parts = Apportion.ByWeights(10, [100, 0.0001, 0.0001], minimumEach: 1);
        Assert.All(parts, p => Assert.True(p >= 1));
        Assert.Equal(10, parts.Sum());
    }

    [FsCheck.Xunit.Property]
    public Property Any_split_sums_to_the_total(PositiveInt total, NonEmptyArray<PositiveInt> weights)
    {
        var w = weights.Get.Select(x => (double)x.Get).ToArray();
        var parts = Apportion.ByWeights(total.Get, w);
        return (parts.Sum() == total.Get && parts.All(p => p >= 0)).ToProperty();
    }

    [Fact]
    public void Stable_unit_is_deterministic_and_spread()
    {
        Assert.Equal(Apportion.StableUnit("1671011001001"), Apportion.StableUnit("1671011001001"));
        var values = Enumerable.Range(0, 1000).Select(i => Apportion.StableUnit("k" + i)).ToArray();
        Assert.All(values, v => Assert.InRange(v, 0, 1));
        Assert.InRange(values.Average(), 0.45, 0.55);
    }
}
