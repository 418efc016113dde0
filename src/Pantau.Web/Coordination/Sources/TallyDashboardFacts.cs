using Microsoft.EntityFrameworkCore;
using Pantau.Core.Regions;
using Pantau.Data;
using Pantau.Data.Tally;
using Pantau.Web.Tally;
using Pantau.Web.Tally.Anomalies;

namespace Pantau.Web.Coordination.Sources;

/// <summary>
/// Vote-count progress for the Desk dashboard from the Tally module: the most local contest covering the region (bupati/walikota race for a
/// kab/kota or kecamatan, the governor race for the province), TPS in / expected from its recap (also per child region). Anomalies are the
/// Anomaly module's active anomalies in the region, all contests (<c>/api/tally/anomalies?region=&amp;status=active</c>, page <c>/anomali</c>);
/// <see cref="TallySummary.NeedsReview"/> counts the TPS whose sheet is flagged or in conflict (<c>/hasil/antrean?region=</c>).
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
        var anomalies = await AnomalyQueries.Query(db, regionCode, new AnomalyFilter(Status: "active")).CountAsync(ct);
        var numeric = RegionCode.ToNumeric(regionCode);
        var review = await db.TallyCurrent.AsNoTracking().CountAsync(c => c.State != TallyState.Accepted && c.TpsCode.StartsWith(numeric), ct);
        return new TallySummary((int)recap.Region.TpsIn, (int)recap.Region.TpsExpected, anomalies,
            $"/hasil/{contest.Code}/{regionCode}", $"/anomali?region={regionCode}&status=active", contest.Code, contest.Name,
            review, $"/hasil/antrean?region={regionCode}", recap.Children.Select(c => new ChildTally(c.Code, c.TpsIn, c.TpsExpected)).ToList());
    }
}
