using Microsoft.EntityFrameworkCore;
using Pantau.Core.Incidents;
using Pantau.Core.Regions;
using Pantau.Data;
using Pantau.Data.Incidents;
using Pantau.Web.Elections;

namespace Pantau.Web.Incidents;

public enum ScoreLevel { KabKota = 2, Kecamatan = 3, Tps = 5 }

public sealed record ScoredRegion(string Code, string Name, KerawananScore Score, int Incidents, int TpsRawan, int TpsCount, IkpBaseline Baseline)
{
    /// <summary>The score with its parts, the source of its baseline and Bawaslu's own band for the region (issue 27.4).</summary>
    public ScoreParts Parts => ScoreParts.Of(Score, Baseline);
}

/// <summary>
/// Loads the inputs of the kerawanan index from the database and scores regions with the pure <see cref="Kerawanan"/> function, under the
/// IKP edition of one election (<see cref="UseElectionAsync"/>; without it the current election for the region scored first).
/// </summary>
public sealed class KerawananService(PantauDbContext db, TimeProvider time, IConfiguration config, ElectionCatalog elections)
{
    /// <summary>
    /// The edition used only when no election exists at all (a fresh deployment before any election is set up); otherwise every election
    /// carries its own edition (<c>ikp</c> in its file). See docs/incidents.md.
    /// </summary>
    public const string EditionSetting = "Pantau:Kerawanan:Edition";

    private IkpBaselines? baselines;
    private IkpEdition? edition;
    private bool resolved;

    /// <summary>The election whose edition is used (null when there is no election: then <see cref="EditionSetting"/> applies).</summary>
    public ElectionCatalog.Entry? Election { get; private set; }

    /// <summary>The IKP edition of the chosen election (before one is chosen: the fallback of <see cref="EditionSetting"/>).</summary>
    public IkpEdition Edition => edition ?? Fallback;

    /// <summary>The edition of the setting, used when no election exists (an unknown key fails, it never silently picks another index).</summary>
    public IkpEdition Fallback => IkpEditions.Get(config[EditionSetting]);

    /// <summary>
    /// Picks the election (<c>?election=CODE</c>; without a code the current one for <paramref name="region"/>, as the other pages) and so its
    /// IKP edition. False when the code names no election (the caller answers 404).
    /// </summary>
    public async Task<bool> UseElectionAsync(string? code, CancellationToken ct, string? region = null)
    {
        var chosen = await elections.ResolveAsync(code, ct, region);
        if (chosen is null && !string.IsNullOrWhiteSpace(code)) return false;
        Election = chosen;
        edition = chosen is null ? Fallback : IkpEditions.Get(chosen.Ikp);
        baselines = null;
        resolved = true;
        return true;
    }

    private async Task EnsureElectionAsync(string? region, CancellationToken ct)
    {
        if (!resolved) await UseElectionAsync(null, ct, region);
    }

    /// <summary>Baselines of the edition: Bawaslu's published facts overridden by the Desk's imported table (loaded once per request).</summary>
    public async Task<IkpBaselines> BaselinesAsync(CancellationToken ct, string? region = null)
    {
        await EnsureElectionAsync(region, ct);
        if (baselines is not null) return baselines;
        var ed = Edition;
        var imported = await db.IkpValues.AsNoTracking().Where(v => v.Edition == ed.Key).ToListAsync(ct);
        return baselines = new IkpBaselines(ed, imported.Select(v => v.ToPublished()));
    }

    /// <summary>Scores every kab/kota, kecamatan or TPS under <paramref name="parent"/>.</summary>
    public async Task<List<ScoredRegion>> ScoreAsync(string parent, ScoreLevel level, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var prefix = parent + ".";
        List<(string Code, string Name)> units;
        if (level == ScoreLevel.Tps)
            units = (await db.Tps.AsNoTracking().Where(t => t.KecamatanCode == parent || t.DesaCode == parent).OrderBy(t => t.Code)
                .Select(t => new { t.Code, t.Number, t.DesaCode }).ToListAsync(ct)).Select(t => (t.Code, $"TPS {t.Number:000} ({t.DesaCode})")).ToList();
        else
        {
            var lvl = (RegionLevel)(int)level;
            units = (await db.Regions.AsNoTracking().Where(r => r.Level == lvl && (r.Code == parent || r.Code.StartsWith(prefix))).OrderBy(r => r.Code)
                .Select(r => new { r.Code, r.Name }).ToListAsync(ct)).Select(r => (r.Code, r.Name)).ToList();
        }

        var incidents = await db.Incidents.AsNoTracking()
            .Where(i => (i.RegionCode == parent || i.RegionCode.StartsWith(prefix)) &&
                        (i.Status == IncidentStatus.Verified || i.Status == IncidentStatus.Referred || i.Status == IncidentStatus.ActionTaken || i.Status == IncidentStatus.Closed))
            .Select(i => new { i.RegionCode, i.TpsCode, i.Severity, i.OccurredAt }).ToListAsync(ct);
        var rawan = await db.TpsRawan.AsNoTracking().Where(t => t.KabKotaCode == parent || t.KecamatanCode == parent || t.KabKotaCode.StartsWith(prefix) || t.TpsCode.StartsWith(RegionCode.ToNumeric(parent)))
            .ToListAsync(ct);

        string? KeyOf(string regionCode, string? tps) => level == ScoreLevel.Tps ? tps
            : RegionCode.TryGetLevel(regionCode, out var l) && (int)l >= (int)level ? RegionCode.AncestorAt(regionCode, (RegionLevel)(int)level) : null;
        string RawanKey(TpsRawan t) => level switch { ScoreLevel.Tps => t.TpsCode, ScoreLevel.Kecamatan => t.KecamatanCode, _ => t.KabKotaCode };

        var incByUnit = incidents.GroupBy(i => KeyOf(i.RegionCode, i.TpsCode) ?? "").ToDictionary(g => g.Key, g => g.Select(i => new IncidentSignal(i.Severity, i.OccurredAt)).ToList());
        var rawanByUnit = rawan.GroupBy(RawanKey).ToDictionary(g => g.Key, g => g.ToList());
        Dictionary<string, int> tpsCounts = level switch
        {
            ScoreLevel.Tps => units.ToDictionary(u => u.Code, _ => 1),
            ScoreLevel.Kecamatan => await db.Tps.AsNoTracking().Where(t => t.KecamatanCode.StartsWith(prefix) || t.KecamatanCode == parent).GroupBy(t => t.KecamatanCode)
                .Select(g => new { g.Key, N = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.N, ct),
            _ => await db.Tps.AsNoTracking().Where(t => t.KabKotaCode.StartsWith(prefix) || t.KabKotaCode == parent).GroupBy(t => t.KabKotaCode)
                .Select(g => new { g.Key, N = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.N, ct),
        };

        var ikp = await BaselinesAsync(ct, parent);
        var result = new List<ScoredRegion>(units.Count);
        foreach (var (code, name) in units)
        {
            var signals = incByUnit.GetValueOrDefault(code) ?? [];
            var flagged = rawanByUnit.GetValueOrDefault(code) ?? [];
            var count = Math.Max(1, tpsCounts.GetValueOrDefault(code));
            var shares = Enum.GetValues<TpsRawanVariable>().ToDictionary(v => v, v => (double)flagged.Count(f => f.Flags().Contains(v)) / count);
            var score = Kerawanan.Score(new KerawananInput(code, (IkpLevel)(int)level, ikp.For(code), signals, new TpsRawanShares(shares, count), now));
            result.Add(new ScoredRegion(code, name, score, signals.Count, flagged.Count(f => f.Flags().Any()), tpsCounts.GetValueOrDefault(code), ikp.For(code)));
        }
        return result;
    }

    /// <summary>The kecamatan of a KPU TPS code (10-digit desa + 3-digit number).</summary>
    public static string TpsKecamatan(string tpsCode) => RegionCode.AncestorAt(RegionCode.FromNumeric(tpsCode[..10]), RegionLevel.Kecamatan);

    /// <summary>Score of a single region (province, kab/kota or kecamatan) as a whole.</summary>
    public async Task<ScoredRegion?> ScoreOneAsync(string code, CancellationToken ct)
    {
        if (!RegionCode.TryGetLevel(code, out var l)) return null;
        var parent = RegionCode.ParentOf(code);
        if (l == RegionLevel.Provinsi)
        {
            var region = await db.Regions.AsNoTracking().FirstOrDefaultAsync(r => r.Code == code, ct);
            if (region is null) return null;
            var now = time.GetUtcNow();
            var prefix = code + ".";
            var signals = await db.Incidents.AsNoTracking().Where(i => i.RegionCode.StartsWith(prefix) &&
                    (i.Status == IncidentStatus.Verified || i.Status == IncidentStatus.Referred || i.Status == IncidentStatus.ActionTaken || i.Status == IncidentStatus.Closed))
                .Select(i => new IncidentSignal(i.Severity, i.OccurredAt)).ToListAsync(ct);
            var tps = Math.Max(1, await db.Tps.CountAsync(t => t.KabKotaCode.StartsWith(prefix), ct));
            var flagged = await db.TpsRawan.AsNoTracking().Where(t => t.KabKotaCode.StartsWith(prefix)).ToListAsync(ct);
            var shares = Enum.GetValues<TpsRawanVariable>().ToDictionary(v => v, v => (double)flagged.Count(f => f.Flags().Contains(v)) / tps);
            var baseline = (await BaselinesAsync(ct, code)).For(code);
            var score = Kerawanan.Score(new KerawananInput(code, IkpLevel.Provinsi, baseline, signals, new TpsRawanShares(shares, tps), now));
            return new ScoredRegion(code, region.Name, score, signals.Count, flagged.Count(f => f.Flags().Any()), tps, baseline);
        }
        if (l > RegionLevel.Kecamatan) return null;
        return (await ScoreAsync(parent!, (ScoreLevel)(int)l, ct)).FirstOrDefault(s => s.Code == code);
    }

    /// <summary>
    /// Imports Bawaslu's IKP table (CSV) into the edition of the chosen election (<see cref="UseElectionAsync"/>, else the current one for
    /// <paramref name="region"/>), for regions inside <paramref name="region"/> (the caller's scope was checked before). Every row is checked first; on any error nothing is written and the errors come back as <c>file:line: message</c>.
    /// </summary>
    public async Task<IkpImportResult> ImportAsync(string fileName, string text, string region, string? actor, CancellationToken ct)
    {
        await EnsureElectionAsync(region.Length > 0 ? region : null, ct);
        var edition = Edition;
        var known = (await db.Regions.AsNoTracking().Where(r => r.Level == RegionLevel.KabKota || r.Level == RegionLevel.Kecamatan).Select(r => r.Code).ToListAsync(ct))
            .ToHashSet(StringComparer.Ordinal);
        var now = time.GetUtcNow();
        var source = FormattableString.Invariant($"impor Desk dari tabel Bawaslu ({Path.GetFileName(fileName)}, {now.ToOffset(TimeSpan.FromHours(7)):yyyy-MM-dd})");
        var parsed = IkpImport.Parse(Path.GetFileName(fileName), text, edition, known.Contains,
            c => region.Length == 0 || c == region || c.StartsWith(region + ".", StringComparison.Ordinal), source);
        if (!parsed.Ok) return parsed;
        var codes = parsed.Rows.Select(r => r.Code).ToList();
        var existing = await db.IkpValues.Where(v => v.Edition == edition.Key && codes.Contains(v.RegionCode)).ToDictionaryAsync(v => v.RegionCode, ct);
        foreach (var row in parsed.Rows)
        {
            if (!existing.TryGetValue(row.Code, out var v)) db.IkpValues.Add(v = new IkpValue { Edition = edition.Key, RegionCode = row.Code, Source = source });
            v.Set(row);
            v.ImportedAt = now;
            v.ImportedBy = actor;
        }
        await db.SaveChangesAsync(ct);
        baselines = null;
        return parsed;
    }
}

/// <summary>What <c>_KerawananElection</c> shows: the election bar and the IKP edition of the election a kerawanan page shows.</summary>
public sealed record KerawananElectionView(ElectionBar? Bar, string? Election, IkpEdition Edition)
{
    public static async Task<KerawananElectionView> ForAsync(KerawananService svc, ElectionCatalog catalog, string path, CancellationToken ct,
        params (string Name, string? Value)[] keep) =>
        new(svc.Election is null ? null : await ElectionBar.ForAsync(catalog, svc.Election, path, ct, keep), svc.Election?.Code, svc.Edition);

    /// <summary><c>&amp;election=CODE</c> for the links and data URLs of the page (empty without an election).</summary>
    public string Query => Election is null ? "" : "&election=" + Uri.EscapeDataString(Election);
}
