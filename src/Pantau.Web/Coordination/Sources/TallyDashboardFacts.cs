using Microsoft.EntityFrameworkCore;
using Pantau.Core.Regions;
using Pantau.Data;
using Pantau.Data.Tally;
using Pantau.Web.Tally;

namespace Pantau.Web.Coordination.Sources;

/// <summary>
/// Vote-count progress for the Desk dashboard from the Tally module: the most local contest covering the region (bupati/walikota race for a
/// kab/kota or kecamatan, the governor race for the province), TPS in / expected from its recap, and the TPS whose result is not accepted
/// (flagged or in conflict: the adjudication queue) as anomalies.
/// </summary>
public sealed class TallyDashboardFacts(PantauDbContext db, TallyReference reference) : ITallyFacts
{
    public async Task<TallySummary?> GetAsync(string regionCode, CancellationToken ct)
    {
        var contests = await reference.ContestsAsync(ct);
        var contest = contests.Values.Where(c => RegionCode.IsWithin(regionCode, c.RegionCode)).OrderByDescending(c => c.RegionCode.Length).FirstOrDefault();
        if (contest is null) return null;
        var recap = await TallyQueries.RecapAsync(db, reference, contest.Code, regionCode, ct);
        if (recap is null) return null;
        var numeric = RegionCode.ToNumeric(regionCode);
        var anomalies = await db.TallyCurrent.AsNoTracking()
            .CountAsync(c => c.ContestCode == contest.Code && c.State != TallyState.Accepted && c.TpsCode.StartsWith(numeric), ct);
        return new TallySummary((int)recap.Region.TpsIn, (int)recap.Region.TpsExpected, anomalies,
            $"/hasil/{contest.Code}/{regionCode}", $"/hasil/antrean?contest={contest.Code}", contest.Code, contest.Name);
    }
}
