namespace Pantau.Core.Regions;

/// <summary>
/// Boundaries made lighter for a map on a phone (issue 24.10): Douglas-Peucker simplification of each ring to a tolerance that
/// depends on the extent the map shows (a kab/kota's kecamatan are drawn finer than the provinces of Indonesia), and coordinates
/// rounded to what that tolerance can show. Pure functions over coordinate lists; the caller reads and writes GeoJSON.
/// </summary>
public static class Simplify
{
    /// <summary>The tolerance for a map of <paramref name="extent"/> degrees (its larger side): a 1/1500th of it, under a pixel on a
    /// phone-sized or desktop map.</summary>
    public static double ToleranceFor(double extent) => extent <= 0 ? 0 : extent / 1500;

    /// <summary>Decimal places that keep <paramref name="tolerance"/> (at least one digit finer), between 3 and 6.</summary>
    public static int DigitsFor(double tolerance) =>
        tolerance <= 0 ? 6 : Math.Clamp((int)Math.Ceiling(-Math.Log10(tolerance)) + 1, 3, 6);

    /// <summary>
    /// A closed ring (first point = last point) simplified to <paramref name="tolerance"/>: every dropped point lies within the
    /// tolerance of the simplified outline, the first point stays, and the result is still a ring (closed, at least 4 positions).
    /// A ring that cannot stay a ring at this tolerance (a speck) comes back as it was when <paramref name="keepSpecks"/>, else null.
    /// </summary>
    public static IReadOnlyList<(double X, double Y)>? Ring(IReadOnlyList<(double X, double Y)> ring, double tolerance, bool keepSpecks)
    {
        if (ring.Count < 4 || tolerance <= 0) return ring;
        // Split the ring at its first point and the point farthest from it, and simplify both halves as lines.
        var far = 0;
        var best = -1.0;
        for (var i = 1; i < ring.Count - 1; i++)
        {
            var d = Sq(ring[i].X - ring[0].X) + Sq(ring[i].Y - ring[0].Y);
            if (d > best) (best, far) = (d, i);
        }
        var keep = new bool[ring.Count];
        keep[0] = keep[far] = keep[^1] = true;
        Line(ring, 0, far, tolerance * tolerance, keep);
        Line(ring, far, ring.Count - 1, tolerance * tolerance, keep);
        var result = new List<(double X, double Y)>();
        for (var i = 0; i < ring.Count; i++) if (keep[i]) result.Add(ring[i]);
        if (result.Count >= 4) return result;
        return keepSpecks ? ring : null;
    }

    /// <summary>Douglas-Peucker over ring[from..to] (iterative: a long coastline does not recurse thousands deep).</summary>
    private static void Line(IReadOnlyList<(double X, double Y)> p, int from, int to, double tolSq, bool[] keep)
    {
        var stack = new Stack<(int, int)>();
        stack.Push((from, to));
        while (stack.Count > 0)
        {
            var (a, b) = stack.Pop();
            if (b - a < 2) continue;
            var (index, max) = (-1, -1.0);
            for (var i = a + 1; i < b; i++)
            {
                var d = SegmentDistanceSq(p[i], p[a], p[b]);
                if (d > max) (max, index) = (d, i);
            }
            if (max <= tolSq) continue;
            keep[index] = true;
            stack.Push((a, index));
            stack.Push((index, b));
        }
    }

    /// <summary>Squared distance from <paramref name="p"/> to the segment a-b.</summary>
    public static double SegmentDistanceSq((double X, double Y) p, (double X, double Y) a, (double X, double Y) b)
    {
        var (dx, dy) = (b.X - a.X, b.Y - a.Y);
        var len = dx * dx + dy * dy;
        var t = len == 0 ? 0 : Math.Clamp(((p.X - a.X) * dx + (p.Y - a.Y) * dy) / len, 0, 1);
        return Sq(p.X - (a.X + t * dx)) + Sq(p.Y - (a.Y + t * dy));
    }

    private static double Sq(double v) => v * v;
}
