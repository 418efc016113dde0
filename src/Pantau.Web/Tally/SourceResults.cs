using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Pantau.Core.Regions;
using Pantau.Core.Security;
using Pantau.Core.Tally;
using Pantau.Data;
using Pantau.Data.Auditing;
using Pantau.Data.Tally;

namespace Pantau.Web.Tally;

/// <summary>A problem of an import, reported as <c>file:line: message</c>.</summary>
public sealed record ImportProblem(string File, int Line, string Message)
{
    public override string ToString() => $"{File}:{Line}: {Message}";
}

public sealed record SourceImportResult(bool Ok, int Status, IReadOnlyList<ImportProblem> Errors, int Rows = 0, int Accepted = 0, int Flagged = 0, int NoData = 0)
{
    public int Stored => Accepted + Flagged;
}

/// <summary>One TPS where two sources (or a source and the official count) differ.</summary>
public sealed record SourceDiff(string Tps, IReadOnlyList<FieldDiff> Fields);

/// <summary>Differences summed over a region: per field, source minus the other side, over the TPS both have (and the field both have).</summary>
public sealed record RegionDiff(string Region, int TpsCompared, int TpsDiffering, IReadOnlyDictionary<string, long> Sum);

public sealed record SourceComparison(string Contest, string Source, string Against, string Region, int TpsBoth, int OnlySource, int OnlyAgainst,
    IReadOnlyList<RegionDiff> Regions, IReadOnlyList<SourceDiff> Tps);

public sealed record SourceRecap(string Contest, string Source, string Region, long Expected, long Present, long Accepted, long Flagged, long Missing,
    RecapTotals Totals, IReadOnlyDictionary<string, int> Codes);

/// <summary>
/// Results from other sources (issue 21 point 6): import under a named source with a column mapping as partial sheets, recap one
/// source, compare a source with the official count or with another source, per TPS and summed per region.
/// </summary>
public sealed class SourceResults(PantauDbContext db, TallyReference reference, TimeProvider clock)
{
    /// <summary>The official count as the other side of a comparison.</summary>
    public const string Official = "official";

    /// <summary>The column mapping of the SIREKAP per-TPS CSV of the Pemilu 2024 presidential race
    /// (../shared/data/results/pilpres2024_bengkulu_tps.csv): Pemilu DPTb is Pantau's DPPh column, DPK its DPTb column.</summary>
    public static readonly SourceMapping SirekapPpwp = new(new Dictionary<string, string>
    {
        ["tps"] = "kode_tps", ["p1"] = "suara_01", ["p2"] = "suara_02", ["p3"] = "suara_03",
        ["suaraSah"] = "suara_sah", ["suaraTidakSah"] = "suara_tidak_sah", ["suaraTotal"] = "suara_total",
        ["dpt"] = "dpt", ["dptL"] = "dpt_l", ["dptP"] = "dpt_p",
        ["usersDpt"] = "pengguna_dpt", ["usersDptL"] = "pengguna_dpt_l", ["usersDptP"] = "pengguna_dpt_p",
        ["usersDpph"] = "pengguna_dptb", ["usersDpphL"] = "pengguna_dptb_l", ["usersDpphP"] = "pengguna_dptb_p",
        ["usersDptb"] = "pengguna_dpk", ["usersDptbL"] = "pengguna_dpk_l", ["usersDptbP"] = "pengguna_dpk_p",
        ["users"] = "pengguna_total", ["usersL"] = "pengguna_total_l", ["usersP"] = "pengguna_total_p",
    });

    public static readonly IReadOnlyDictionary<string, SourceMapping> Presets = new Dictionary<string, SourceMapping>(StringComparer.OrdinalIgnoreCase)
    {
        ["sirekap-ppwp"] = SirekapPpwp,
    };

    /// <summary>A preset name, or a JSON object <c>{"field": "column", ...}</c>.</summary>
    public static SourceMapping? ParseMapping(string? text, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(text)) { error = "pemetaan kolom wajib / a column mapping is required"; return null; }
        if (Presets.TryGetValue(text.Trim(), out var preset)) return preset;
        try
        {
            var map = JsonSerializer.Deserialize<Dictionary<string, string>>(text);
            if (map is null || map.Count == 0) { error = "pemetaan kolom kosong / the column mapping is empty"; return null; }
            return new SourceMapping(map);
        }
        catch (JsonException) { error = "pemetaan kolom bukan nama preset atau objek JSON / the column mapping is neither a preset name nor a JSON object"; return null; }
    }

    /// <summary>Whether <paramref name="actor"/> may import results into a contest of <paramref name="contestRegion"/>: the Desk's
    /// region holds part of the contest (each row's TPS is checked again by <see cref="ImportAsync"/>).</summary>
    public static bool MayImportInto(Actor actor, string contestRegion) =>
        actor.Covers(contestRegion) || RegionCode.IsWithin(actor.ScopeCode, contestRegion);

    public static bool IsSourceName(string s) => s.Length is > 0 and <= 40 && !s.Equals(Official, StringComparison.OrdinalIgnoreCase) &&
                                                 s.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_');

    /// <summary>Reads the whole file, checks scope first (every TPS inside the actor's scope), then each row; nothing is written
    /// when a row is bad. Rows without any value are not stored: they stay missing in the progress.</summary>
    public async Task<SourceImportResult> ImportAsync(Actor actor, string source, string contestCode, SourceMapping mapping, TextReader csv, string fileName,
        IProgress<(int Done, int Total)>? progress = null, CancellationToken ct = default)
    {
        SourceImportResult Fail(int status, int line, string message) => new(false, status, [new(fileName, line, message)]);
        var contests = await reference.ContestsAsync(ct);
        if (!contests.TryGetValue(contestCode, out var contest)) return Fail(404, 0, $"pemilihan '{contestCode}' tidak dikenal / unknown contest '{contestCode}'");
        if (!IsSourceName(source)) return Fail(400, 0, "nama sumber 1-40 huruf/angka/.-_ (bukan 'official') / a source name is 1-40 letters, digits, '.', '-' or '_' (not 'official')");
        var headerLine = await csv.ReadLineAsync(ct);
        if (headerLine is null) return Fail(400, 1, "berkas kosong / the file is empty");
        var sep = headerLine.Count(c => c == ';') > headerLine.Count(c => c == ',') ? ';' : ',';
        var (index, problems) = SourceRows.Bind(mapping, Split(headerLine, sep));
        if (problems.Count > 0) return new(false, 400, problems.Select(p => new ImportProblem(fileName, 1, p)).ToList());

        var rows = new List<SourceRow>();
        var lineNo = 1;
        while (await csv.ReadLineAsync(ct) is { } text)
        {
            lineNo++;
            if (text.Length == 0) continue;
            rows.Add(SourceRows.Read(lineNo, contest.Code, index, Split(text, sep)));
        }
        // Scope before validation: a file with a TPS outside the actor's region is refused as a whole.
        if (rows.FirstOrDefault(r => r.Tps.Length == 13 && !actor.Covers(r.Tps)) is { } outside)
            return Fail(403, outside.Line, $"TPS {outside.Tps} di luar wilayah tugas Anda ({actor.ScopeCode}) / TPS {outside.Tps} is outside your region ({actor.ScopeCode})");

        var errors = new List<ImportProblem>();
        var codes = rows.Select(r => r.Tps).Where(t => t.Length == 13).Distinct().ToList();
        var tps = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in codes.Chunk(5000))
            foreach (var t in await db.Tps.AsNoTracking().Where(t => EF.Parameter(part).Contains(t.Code)).Select(t => new { t.Code, t.DesaCode }).ToListAsync(ct))
                tps[t.Code] = t.DesaCode;
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var r in rows)
        {
            foreach (var e in r.Errors) errors.Add(new(fileName, r.Line, e));
            if (r.Errors.Count > 0) continue;
            if (seen.TryGetValue(r.Tps, out var first)) { errors.Add(new(fileName, r.Line, $"TPS {r.Tps} ganda (baris {first}) / TPS {r.Tps} appears twice (line {first})")); continue; }
            seen[r.Tps] = r.Line;
            if (!tps.TryGetValue(r.Tps, out var desa)) { errors.Add(new(fileName, r.Line, $"TPS {r.Tps} tidak dikenal / unknown TPS {r.Tps}")); continue; }
            if (!RegionCode.IsWithin(desa, contest.RegionCode))
                errors.Add(new(fileName, r.Line, $"TPS {r.Tps} tidak termasuk wilayah {contest.Code} / TPS {r.Tps} is outside the region of {contest.Code}"));
            else if (r.Sheet is { } s && TallyGrammar.Check(s) is { } bad) errors.Add(new(fileName, r.Line, $"{bad.Field}: {bad.Id} / {bad.En}"));
        }
        if (errors.Count > 0) return new(false, 400, errors);

        var now = clock.GetUtcNow();
        var sheets = new List<SourceSheet>();
        int accepted = 0, flagged = 0;
        foreach (var r in rows)
        {
            if (r.Sheet is not { } s) continue;
            var issues = SheetValidator.Validate(s, contest.Numbers, contest.Naming);
            var status = issues.Count == 0 ? ResultStatus.Accepted : ResultStatus.Flagged;
            if (status == ResultStatus.Accepted) accepted++; else flagged++;
            sheets.Add(new SourceSheet
            {
                Source = source, ContestCode = contest.Code, TpsCode = r.Tps, DesaCode = tps[r.Tps], Status = status, Payload = s.Canonical(),
                ValidationCodes = string.Join(',', issues.Select(i => i.Code).Distinct()), Warnings = string.Join(',', SheetValidator.Warnings(s).Select(w => w.Code)),
                Line = r.Line, ImportedAt = now, ImportedBy = actor.UserName,
            });
        }
        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var auto = db.ChangeTracker.AutoDetectChangesEnabled;
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            try
            {
                // The source's sheets of these TPS are replaced (a re-import of a newer snapshot); other TPS keep theirs.
                foreach (var part in seen.Keys.Chunk(2000))
                    await db.SourceSheets.Where(x => x.Source == source && x.ContestCode == contest.Code && EF.Parameter(part).Contains(x.TpsCode)).ExecuteDeleteAsync(ct);
                for (var i = 0; i < sheets.Count; i += 1000)
                {
                    db.SourceSheets.AddRange(sheets.Skip(i).Take(1000));
                    await db.SaveChangesAsync(ct);
                    db.ChangeTracker.Clear();
                    progress?.Report((Math.Min(i + 1000, sheets.Count), sheets.Count));
                }
                var tail = await AuditAppend.LockTailAsync(db, ct);
                var audit = new AuditEntry
                {
                    At = now, UserId = actor.UserId, UserName = actor.UserName, Action = "Import", EntityType = nameof(SourceSheet),
                    EntityKey = $"{source}/{contest.Code}",
                    After = JsonSerializer.Serialize(new { source, contest = contest.Code, file = fileName, rows = rows.Count, accepted, flagged, noData = rows.Count - sheets.Count }),
                };
                db.AuditEnabled = false;
                AuditAppend.Seal(audit, tail);
                db.AuditEntries.Add(audit);
                await db.SaveChangesAsync(ct);
                await tx.CommitAsync(ct);
            }
            finally
            {
                db.AuditEnabled = true;
                db.ChangeTracker.AutoDetectChangesEnabled = auto;
                db.ChangeTracker.Clear();
            }
        });
        return new(true, 200, [], rows.Count, accepted, flagged, rows.Count - sheets.Count);
    }

    private async Task<Dictionary<string, CHasilSheet>> SheetsAsync(string contest, string side, string region, bool acceptedOnly, CancellationToken ct)
    {
        var prefix = region.Length == 0 ? "" : RegionCode.ToNumeric(region);
        var result = new Dictionary<string, CHasilSheet>(StringComparer.Ordinal);
        if (side.Equals(Official, StringComparison.OrdinalIgnoreCase))
        {
            var rows = await (from c in db.TallyCurrent.AsNoTracking()
                              join v in db.ResultVersions.AsNoTracking() on new { c.ContestCode, c.TpsCode, V = c.CountedVersionNo } equals new { v.ContestCode, v.TpsCode, V = v.VersionNo }
                              where c.ContestCode == contest && c.CountedVersionNo > 0 && c.TpsCode.StartsWith(prefix)
                              select new { c.TpsCode, v.Payload }).ToListAsync(ct);
            foreach (var r in rows) result[r.TpsCode] = CHasilSheet.ParseCanonical(r.Payload);
            return result;
        }
        var q = db.SourceSheets.AsNoTracking().Where(s => s.Source == side && s.ContestCode == contest && s.TpsCode.StartsWith(prefix));
        if (acceptedOnly) q = q.Where(s => s.Status == ResultStatus.Accepted);
        foreach (var r in await q.Select(s => new { s.TpsCode, s.Payload }).ToListAsync(ct)) result[r.TpsCode] = CHasilSheet.ParseCanonical(r.Payload);
        return result;
    }

    /// <summary>One source's results in a region: the recap of its accepted sheets, and progress (present, accepted, flagged, missing).</summary>
    public async Task<SourceRecap> RecapAsync(string contest, string source, string region, CancellationToken ct = default)
    {
        var prefix = region.Length == 0 ? "" : RegionCode.ToNumeric(region);
        var rows = await db.SourceSheets.AsNoTracking().Where(s => s.Source == source && s.ContestCode == contest && s.TpsCode.StartsWith(prefix))
            .Select(s => new { s.Status, s.Payload, s.ValidationCodes }).ToListAsync(ct);
        var totals = new RecapTotals();
        var codes = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var r in rows)
        {
            if (r.Status == ResultStatus.Accepted) totals.Add(CHasilSheet.ParseCanonical(r.Payload));
            foreach (var c in r.ValidationCodes.Split(',', StringSplitOptions.RemoveEmptyEntries)) codes[c] = codes.GetValueOrDefault(c) + 1;
        }
        var expected = region.Length == 0 ? await db.Tps.CountAsync(ct) : await reference.ExpectedTpsAsync(region, ct);
        var accepted = rows.Count(r => r.Status == ResultStatus.Accepted);
        return new SourceRecap(contest, source, region, expected, rows.Count, accepted, rows.Count - accepted, Math.Max(0, expected - rows.Count), totals, codes);
    }

    /// <summary>A source against the official count or another source: per TPS the differing fields, and per child region (one level
    /// below <paramref name="region"/>) the differences summed over the TPS both sides have.</summary>
    public async Task<SourceComparison> CompareAsync(string contest, string source, string against, string region, int take = 500, CancellationToken ct = default)
    {
        var a = await SheetsAsync(contest, source, region, acceptedOnly: false, ct);
        var b = await SheetsAsync(contest, against, region, acceptedOnly: false, ct);
        var perTps = new List<SourceDiff>();
        var regions = new SortedDictionary<string, (int Compared, int Differing, Dictionary<string, long> Sum)>(StringComparer.Ordinal);
        var both = 0;
        foreach (var (tps, sa) in a.OrderBy(k => k.Key, StringComparer.Ordinal))
        {
            if (!b.TryGetValue(tps, out var sb)) continue;
            both++;
            var diffs = SheetDiff.Compare(sa, sb);
            var key = ChildOf(region, tps);
            if (!regions.TryGetValue(key, out var agg)) agg = (0, 0, new Dictionary<string, long>(StringComparer.Ordinal));
            agg.Compared++;
            if (diffs.Count > 0)
            {
                agg.Differing++;
                if (perTps.Count < take) perTps.Add(new SourceDiff(tps, diffs));
                foreach (var d in diffs) agg.Sum[d.Field] = agg.Sum.GetValueOrDefault(d.Field) + ((d.Left ?? 0) - (d.Right ?? 0));
            }
            regions[key] = agg;
        }
        return new SourceComparison(contest, source, against, region, both, a.Keys.Count(k => !b.ContainsKey(k)), b.Keys.Count(k => !a.ContainsKey(k)),
            regions.Select(r => new RegionDiff(r.Key, r.Value.Compared, r.Value.Differing, r.Value.Sum)).ToList(), perTps);
    }

    /// <summary>The region one level below <paramref name="region"/> that holds <paramref name="tps"/> (the desa at the bottom).</summary>
    private static string ChildOf(string region, string tps)
    {
        var lineage = RecapMath.Levels(tps); // provinsi, kab/kota, kecamatan, desa, tps
        var depth = region.Length == 0 ? 0 : region.Count(c => c == '.') + 1;
        return lineage[Math.Min(depth, 3)];
    }

    public async Task<List<(string Source, int Sheets)>> SourcesAsync(string contest, CancellationToken ct = default) =>
        (await db.SourceSheets.AsNoTracking().Where(s => s.ContestCode == contest).GroupBy(s => s.Source).Select(g => new { g.Key, N = g.Count() }).ToListAsync(ct))
        .Select(x => (x.Key, x.N)).OrderBy(x => x.Key).ToList();

    internal static List<string> Split(string line, char sep) => Pantau.Data.Import.Csv.Split(line) is { } cells && sep == ',' ? [.. cells] : [.. line.Split(sep)];
}
