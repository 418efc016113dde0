using FsCheck;
using FsCheck.Fluent;
using Pantau.Core.Regions;

namespace Pantau.Core.Tests.Regions;

public class SimplifyTests
{
    /// <summary>A closed ring around a centre with a random radius per step (a star-shaped, irregular outline like a coastline).</summary>
    private static Gen<List<(double X, double Y)>> Rings() =>
        from n in Gen.Choose(3, 400)
        from radii in Gen.Choose(500, 1000).ArrayOf(n)
        from cx in Gen.Choose(95_000, 141_000)
        from cy in Gen.Choose(-11_000, 6_000)
        select Ring(cx / 1000.0, cy / 1000.0, radii.Select(r => r / 1000.0).ToArray());

    private static List<(double X, double Y)> Ring(double cx, double cy, double[] radii)
    {
        var ring = radii.Select((r, i) => (cx + r * Math.Cos(2 * Math.PI * i / radii.Length), cy + r * Math.Sin(2 * Math.PI * i / radii.Length))).ToList();
        ring.Add(ring[0]);
        return ring;
    }

    /// <summary>Distance from p to the closed outline (squared).</summary>
    private static double ToOutlineSq((double X, double Y) p, IReadOnlyList<(double X, double Y)> ring) =>
        Enumerable.Range(0, ring.Count - 1).Min(i => Simplify.SegmentDistanceSq(p, ring[i], ring[i + 1]));

    [FsCheck.Xunit.Property(MaxTest = 300)]
    public Property Every_dropped_point_lies_within_the_tolerance_and_the_result_is_a_ring_of_the_original_points() =>
        Prop.ForAll(Rings().ToArbitrary(), Gen.Choose(1, 300).ToArbitrary(), (ring, t) =>
        {
            var tolerance = t / 1000.0;
            var simple = Simplify.Ring(ring, tolerance, keepSpecks: true)!;
            Assert.True(simple.Count >= 4);
            Assert.Equal(simple[0], simple[^1]);
            Assert.Equal(ring[0], simple[0]);
            Assert.True(simple.Count <= ring.Count);
            var index = 0; // the kept points are original points, in their order
            foreach (var p in simple) { while (ring[index] != p) index++; }
            foreach (var p in ring) Assert.True(ToOutlineSq(p, simple) <= tolerance * tolerance * (1 + 1e-9), $"{p} is farther than {tolerance} from the outline");
        });

    [Fact]
    public void A_detailed_outline_gets_much_lighter_and_a_speck_is_kept_only_when_asked()
    {
        var circle = Ring(104.7, -2.9, Enumerable.Repeat(0.5, 5000).ToArray());
        var simple = Simplify.Ring(circle, Simplify.ToleranceFor(1.0), keepSpecks: false)!;
        Assert.InRange(simple.Count, 20, 200); // a circle of radius 0.5 at 1/1500 of a 1-degree map: tens of points, not 5,000
        var speck = Ring(104.7, -2.9, [0.0001, 0.0001, 0.0001, 0.0001, 0.0001]);
        Assert.Null(Simplify.Ring(speck, 0.01, keepSpecks: false));
        Assert.Same(speck, Simplify.Ring(speck, 0.01, keepSpecks: true));
    }

    [Theory]
    [InlineData(45.0, 0.03, 3)]    // Indonesia's provinces
    [InlineData(3.0, 0.002, 4)]    // the kab/kota of a province
    [InlineData(0.3, 0.0002, 5)]   // the kecamatan of a kab/kota
    [InlineData(0.03, 0.00002, 6)] // the desa of a kecamatan
    public void Tolerance_and_digits_follow_the_extent_the_map_shows(double extent, double tolerance, int digits)
    {
        Assert.Equal(tolerance, Simplify.ToleranceFor(extent), 6);
        Assert.Equal(digits, Simplify.DigitsFor(Simplify.ToleranceFor(extent)));
    }
}
