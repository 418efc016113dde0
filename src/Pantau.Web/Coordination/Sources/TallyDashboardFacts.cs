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

    public async Task<IReadOnlyList<ContestProgress>> ProgressAsync(string regionCode, string? electionCode, CancellationToken ct)
    {
        var contests = (await reference.ContestsAsync(ct)).Values
            .Where(c => electionCode is null || string.Equals(c.ElectionCode, electionCode, StringComparison.OrdinalIgnoreCase))
            .Where(c => RegionCode.IsWithin(regionCode, c.RegionCode) || RegionCode.IsWithin(c.RegionCode, regionCode))
            .OrderBy(c => c.RegionCode.Length).ThenBy(c => c.RegionCode, StringComparer.Ordinal).ThenBy(c => c.Code, StringComparer.Ordinal).ToList();
        var list = new List<ContestProgress>(contests.Count);
        foreach (var c in contests)
        {
            // A contest covering the region is counted over the region; one inside it over its own region.
            var over = RegionCode.IsWithin(regionCode, c.RegionCode) ? regionCode : c.RegionCode;
            if (await TallyQueries.RecapAsync(db, reference, c.Code, over, ct) is not { } recap) continue;
            list.Add(new ContestProgress(c.Code, c.Name, over, recap.Region.Name, recap.Region.TpsIn, recap.Region.TpsExpected, $"/hasil/{c.Code}/{over}"));
        }
        return list;
    }
}
