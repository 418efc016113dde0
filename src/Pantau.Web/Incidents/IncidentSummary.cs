using Microsoft.EntityFrameworkCore;
using Pantau.Core.Incidents;
using Pantau.Core.Regions;
using Pantau.Data;

namespace Pantau.Web.Incidents;

/// <summary>
/// The region's own score (with its parts, <see cref="Parts"/>) and the bands of its children at the children's level (<see cref="ChildLevel"/>,
/// thresholds <see cref="ChildBands"/>); <see cref="SyntheticChildren"/> of the counted children rest on a synthetic baseline.
/// </summary>
public sealed record KerawananSummary(double Score, KerawananBand Band, bool IsSynthetic, int High, int Medium, int Low, IReadOnlyList<WorstRegion> Worst,
    ScoreParts Parts, IkpLevel ChildLevel, IkpBands ChildBands, int SyntheticChildren)
{
    /// <summary>Every child scored (kab/kota or kecamatan; empty when the children are TPS).</summary>
    public IReadOnlyList<ScoredRegion> Children { get; init; } = [];

    /// <summary>The election whose IKP edition scored (null when there is no election) and that edition's key and name.</summary>
    public string? Election { get; init; }
    public string Edition { get; init; } = "";
    public string EditionName { get; init; } = "";
}

public sealed record WorstRegion(string Code, string Name, double Score, KerawananBand Band);

public sealed record IncidentSummary(string RegionCode, int Open, IReadOnlyDictionary<Severity, int> OpenBySeverity, int Overdue, int Escalated, int NewToday, KerawananSummary? Kerawanan);

/// <summary>
/// For the Coordination dashboard (and anyone else): open reports by severity, overdue and escalated counts, and a kerawanan summary
/// of <paramref name="regionCode"/> and its children. Aggregates only; no private data. Callers check the actor's scope.
/// </summary>
public interface IIncidentSummary
{
    /// <summary>The summary with the kerawanan of the current election for the region.</summary>
    Task<IncidentSummary> GetAsync(string regionCode, CancellationToken ct = default) => ForElectionAsync(regionCode, null, ct);

    /// <summary>The summary with the kerawanan under the IKP edition of <paramref name="election"/> (a code; null: the current one for the region).</summary>
    Task<IncidentSummary> ForElectionAsync(string regionCode, string? election, CancellationToken ct = default);
}

public sealed class IncidentSummaryService(PantauDbContext db, KerawananService kerawanan, TimeProvider time) : IIncidentSummary
{
    public Task<IncidentSummary> GetAsync(string regionCode, CancellationToken ct = default) => ForElectionAsync(regionCode, null, ct);

    public async Task<IncidentSummary> ForElectionAsync(string regionCode, string? election, CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        var open = await IncidentService.InScope(db.Incidents.AsNoTracking(), regionCode)
            .Where(i => i.Status == IncidentStatus.New || i.Status == IncidentStatus.Verified || i.Status == IncidentStatus.Referred || i.Status == IncidentStatus.ActionTaken)
            .Select(i => new { i.Status, i.Severity, i.ReportedAt, i.VerifiedAt, i.EscalatedStage }).ToListAsync(ct);
        var bySeverity = Enum.GetValues<Severity>().ToDictionary(s => s, s => open.Count(i => i.Severity == s));
        var overdue = open.Count(i => Sla.Evaluate(i.Status, i.Severity, i.ReportedAt, i.VerifiedAt, now).IsOverdue);
        var dayStart = new DateTimeOffset(now.ToOffset(TimeSpan.FromHours(7)).Date, TimeSpan.FromHours(7)).ToUniversalTime();
        var today = await IncidentService.InScope(db.Incidents.AsNoTracking(), regionCode).CountAsync(i => i.ReportedAt >= dayStart, ct);

        KerawananSummary? k = null;
        if (RegionCode.TryGetLevel(regionCode, out var level) && level <= RegionLevel.Kecamatan && await kerawanan.UseElectionAsync(election, ct, regionCode))
        {
            var self = await kerawanan.ScoreOneAsync(regionCode, ct);
            var children = level switch
            {
                RegionLevel.Provinsi => await kerawanan.ScoreAsync(regionCode, ScoreLevel.KabKota, ct),
                RegionLevel.KabKota => await kerawanan.ScoreAsync(regionCode, ScoreLevel.Kecamatan, ct),
                _ => await kerawanan.ScoreAsync(regionCode, ScoreLevel.Tps, ct),
            };
            var childLevel = level switch { RegionLevel.Provinsi => IkpLevel.KabKota, RegionLevel.KabKota => IkpLevel.Kecamatan, _ => IkpLevel.Tps };
            if (self is not null)
                k = new KerawananSummary(self.Score.Rounded, self.Score.Band, self.Score.IsSynthetic,
                    children.Count(c => c.Score.Band == KerawananBand.High), children.Count(c => c.Score.Band == KerawananBand.Medium), children.Count(c => c.Score.Band == KerawananBand.Low),
                    children.OrderByDescending(c => c.Score.Score).Take(5).Select(c => new WorstRegion(c.Code, c.Name, c.Score.Rounded, c.Score.Band)).ToList(),
                    self.Parts, childLevel, kerawanan.Edition.BandsAt(childLevel), children.Count(c => c.Score.IsSynthetic))
                { Children = childLevel == IkpLevel.Tps ? [] : children, Election = kerawanan.Election?.Code, Edition = kerawanan.Edition.Key, EditionName = kerawanan.Edition.NameId };
        }
        return new IncidentSummary(regionCode, open.Count, bySeverity, overdue, open.Count(i => i.EscalatedStage > 0), today, k);
    }
}
