using System.Text;
using Microsoft.EntityFrameworkCore;
using Pantau.Core.Regions;
using Pantau.Core.Tally;
using Pantau.Data;
using Pantau.Data.Tally;

namespace Pantau.Web.Tally;

public sealed record PaslonDto(int Number, string Name);
public sealed record NamedCode(string Code, string Name);
public sealed record RecapRow(string Code, string Name, int Level, long TpsIn, long TpsExpected, double Progress, long SuaraSah, long SuaraTidakSah,
    long Users, long Registered, long Disabled, long BallotsReceived, long BallotsUsed, long BallotsDamaged, long BallotsUnused,
    IReadOnlyDictionary<string, long> Votes, string? State = null, string? Anomalies = null);
public sealed record RecapDto(NamedCode Contest, IReadOnlyList<PaslonDto> Paslon, RecapRow Region, IReadOnlyList<NamedCode> Lineage, IReadOnlyList<RecapRow> Children);
public sealed record VersionDto(int VersionNo, string Status, string Source, DateTimeOffset SubmittedAt, string? Reason, string? BeritaAcara,
    string ValidationCodes, string Anomalies, string? PhotoSha256, string? Resolution, DateTimeOffset? ResolvedAt, long LogSeq,
    IReadOnlyDictionary<string, long> Sheet, string? SubmittedBy = null);
public sealed record HistoryDto(string Contest, string Tps, int CountedVersionNo, string? State, IReadOnlyList<VersionDto> Versions);
public sealed record QueueItem(string Contest, string Tps, string DesaCode, string State, int CountedVersionNo, IReadOnlyList<VersionDto> Versions,
    IReadOnlyList<FieldDiff> Diff, IReadOnlyList<ValidationIssue> Issues)
{
    /// <summary>Sheets of other sources (SIREKAP, ...) for the same TPS and contest, each compared field by field with the newest
    /// version (left: the newest version, right: the source; fields a partial sheet lacks are not compared).</summary>
    public IReadOnlyList<SourceBeside> Sources { get; init; } = [];
}

/// <summary>A source's partial sheet beside a queue item: its status, codes and differences from the newest version.</summary>
public sealed record SourceBeside(string Source, string Status, string ValidationCodes, IReadOnlyList<FieldDiff> Diff);

public static class TallyQueries
{
    /// <summary>The recap of a region (or TPS) in a contest, or null when either does not exist. <paramref name="ownVersion"/>, when
    /// given, receives the version of the region's own counter row (0 when it has none yet): every write below the region bumps it
    /// in the same transaction, so an unchanged version means an unchanged recap.</summary>
    public static async Task<RecapDto?> RecapAsync(PantauDbContext db, TallyReference reference, string contestCode, string region, CancellationToken ct,
        System.Runtime.CompilerServices.StrongBox<long>? ownVersion = null)
    {
        var contests = await reference.ContestsAsync(ct);
        if (!contests.TryGetValue(contestCode, out var contest)) return null;
        var isTps = region.Length == 13 && region.All(char.IsAsciiDigit);
        string regionDesa = region;
        if (isTps) { if (!RegionCode.TryParseTpsCode(region, out regionDesa, out _)) return null; }
        else if (!RegionCode.IsValid(region)) return null;
        if (!RegionCode.IsWithin(regionDesa, contest.RegionCode) && !(isTps && RegionCode.IsWithin(regionDesa, contest.RegionCode))) return null;

        var lineageCodes = RegionCode.Lineage(regionDesa);
        var names = await db.Regions.AsNoTracking().Where(r => lineageCodes.Contains(r.Code)).ToDictionaryAsync(r => r.Code, r => r.Name, ct);
        if (!isTps && !names.ContainsKey(region)) return null;
        var lineage = lineageCodes.Where(c => RegionCode.IsWithin(c, contest.RegionCode)).Select(c => new NamedCode(c, names.GetValueOrDefault(c, c))).ToList();

        List<(string Code, string Name)> childList;
        if (isTps) childList = [];
        else if (RegionCode.LevelOf(region) == RegionLevel.Desa)
            childList = (await db.Tps.AsNoTracking().Where(t => t.DesaCode == region).OrderBy(t => t.Number).Select(t => new { t.Code, t.Number }).ToListAsync(ct))
                .Select(t => (t.Code, $"TPS {t.Number:000}")).ToList();
        else
            childList = (await db.Regions.AsNoTracking().Where(r => r.ParentCode == region).OrderBy(r => r.Code).Select(r => new { r.Code, r.Name }).ToListAsync(ct))
                .Select(r => (r.Code, r.Name)).ToList();

        var own = await db.TallyRecaps.AsNoTracking().FirstOrDefaultAsync(r => r.ContestCode == contest.Code && r.RegionCode == region, ct);
        ownVersion?.Value = own?.Version ?? 0;
        var rows = isTps ? [] : await db.TallyRecaps.AsNoTracking().Where(r => r.ContestCode == contest.Code && r.ParentCode == region).ToDictionaryAsync(r => r.RegionCode, ct);
        Dictionary<string, (TallyState State, int Counted)> states = [];
        if (isTps || (!isTps && RegionCode.LevelOf(region) == RegionLevel.Desa))
        {
            var codes = isTps ? [region] : childList.Select(c => c.Code).ToList();
            states = await db.TallyCurrent.AsNoTracking().Where(c => c.ContestCode == contest.Code && codes.Contains(c.TpsCode))
                .ToDictionaryAsync(c => c.TpsCode, c => (c.State, c.CountedVersionNo), ct);
        }
        var anomalies = new Dictionary<string, string>();
        if (states.Count > 0)
        {
            var codes = states.Keys.ToList();
            anomalies = (await db.ResultVersions.AsNoTracking().Where(v => v.ContestCode == contest.Code && codes.Contains(v.TpsCode) && v.Anomalies != "" &&
                    (v.Status == ResultStatus.Accepted || v.Status == ResultStatus.Flagged || v.Status == ResultStatus.Conflict))
                .Select(v => new { v.TpsCode, v.Anomalies }).ToListAsync(ct))
                .GroupBy(v => v.TpsCode).ToDictionary(g => g.Key, g => string.Join(',', g.SelectMany(x => x.Anomalies.Split(',')).Distinct()));
        }

        async Task<RecapRow> Row(string code, string name, TallyRecap? r)
        {
            var expected = await reference.ExpectedTpsAsync(code, ct);
            var t = r is null ? new RecapTotals() : TallyService.ToTotals(r);
            var level = code.Contains('.') || code.Length < 13 ? (int)RegionCode.LevelOf(code) : 5;
            return new RecapRow(code, name, level, t.TpsIn, expected, expected == 0 ? 0 : Math.Round((double)t.TpsIn / expected, 4), t.SuaraSah, t.SuaraTidakSah,
                t.Users, t.Registered, t.Disabled, t.BallotsReceived, t.BallotsUsed, t.BallotsDamaged, t.BallotsUnused,
                t.Votes.Where(v => v.Value != 0).ToDictionary(v => v.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), v => v.Value),
                states.TryGetValue(code, out var st) ? st.State.ToString() : null, anomalies.GetValueOrDefault(code));
        }
        var regionName = isTps ? $"TPS {region[10..]}" : names[region];
        var children = new List<RecapRow>(childList.Count);
        foreach (var (code, name) in childList) children.Add(await Row(code, name, rows.GetValueOrDefault(code)));
        return new RecapDto(new NamedCode(contest.Code, contest.Name), contest.Paslon.Select(p => new PaslonDto(p.Number, p.Name)).ToList(),
            await Row(region, regionName, own), lineage, children);
    }

    public static VersionDto ToDto(ResultVersion v, bool withSubmitter) => new(v.VersionNo, v.Status.ToString(), v.Source, v.SubmittedAt, v.Reason, v.BeritaAcara,
        v.ValidationCodes, v.Anomalies, v.PhotoSha256, v.Resolution, v.ResolvedAt, v.LogSeq, SheetParser.ToNamed(CHasilSheet.ParseCanonical(v.Payload)),
        withSubmitter ? v.SubmittedBy : null);

    public static async Task<HistoryDto?> HistoryAsync(PantauDbContext db, string contest, string tps, bool withSubmitter, CancellationToken ct)
    {
        var versions = await db.ResultVersions.AsNoTracking().Where(v => v.ContestCode == contest && v.TpsCode == tps).OrderBy(v => v.VersionNo).ToListAsync(ct);
        if (versions.Count == 0) return null;
        var cur = await db.TallyCurrent.AsNoTracking().FirstOrDefaultAsync(c => c.ContestCode == contest && c.TpsCode == tps, ct);
        return new HistoryDto(contest, tps, cur?.CountedVersionNo ?? 0, cur?.State.ToString(), versions.Select(v => ToDto(v, withSubmitter)).ToList());
    }

    /// <summary>TPS with a conflict or a flagged sheet, within <paramref name="scope"/>, with a field diff between the counted (or oldest open) version and the newest.</summary>
    public static async Task<List<QueueItem>> QueueAsync(PantauDbContext db, TallyReference reference, string scope, string? contest, int take, CancellationToken ct)
    {
        var q = db.TallyCurrent.AsNoTracking().Where(c => c.State != TallyState.Accepted);
        if (!string.IsNullOrEmpty(contest)) q = q.Where(c => c.ContestCode == contest);
        if (scope.Length > 0) { var numeric = RegionCode.ToNumeric(scope); q = q.Where(c => c.TpsCode.StartsWith(numeric)); }
        var currents = await q.OrderBy(c => c.ContestCode).ThenBy(c => c.TpsCode).Take(take).ToListAsync(ct);
        // Per contest, so the lookup walks the (ContestCode, TpsCode, VersionNo) index rather than scanning every version.
        var versions = new List<ResultVersion>();
        foreach (var byContest in currents.GroupBy(c => c.ContestCode, StringComparer.Ordinal))
        {
            var cc = byContest.Key;
            var tps = byContest.Select(c => c.TpsCode).Distinct().ToList();
            versions.AddRange(await db.ResultVersions.AsNoTracking().Where(v => v.ContestCode == cc && EF.Parameter(tps).Contains(v.TpsCode)).ToListAsync(ct));
        }
        var contests = await reference.ContestsAsync(ct);
        // Other sources' sheets of the same TPS (issue 21 point 6), per contest through the (ContestCode, TpsCode) index.
        var sources = new List<SourceSheet>();
        foreach (var byContest in currents.GroupBy(c => c.ContestCode, StringComparer.Ordinal))
        {
            var cc = byContest.Key;
            var tps = byContest.Select(c => c.TpsCode).Distinct().ToList();
            sources.AddRange(await db.SourceSheets.AsNoTracking().Where(x => x.ContestCode == cc && EF.Parameter(tps).Contains(x.TpsCode)).ToListAsync(ct));
        }
        var items = new List<QueueItem>();
        foreach (var c in currents)
        {
            var vs = versions.Where(v => v.ContestCode == c.ContestCode && v.TpsCode == c.TpsCode).OrderBy(v => v.VersionNo).ToList();
            var open = vs.Where(v => v.Status is ResultStatus.Accepted or ResultStatus.Flagged or ResultStatus.Conflict).ToList();
            if (open.Count == 0) continue;
            var newest = open[^1];
            var left = open.FirstOrDefault(v => v.VersionNo == c.CountedVersionNo) ?? open[0];
            var diff = left == newest ? [] : SheetDiff.Compare(CHasilSheet.ParseCanonical(left.Payload), CHasilSheet.ParseCanonical(newest.Payload));
            var issues = contests.TryGetValue(c.ContestCode, out var ci)
                ? SheetValidator.Validate(CHasilSheet.ParseCanonical(newest.Payload), ci.Numbers, ci.Naming)
                : SheetValidator.Validate(CHasilSheet.ParseCanonical(newest.Payload));
            var newestSheet = CHasilSheet.ParseCanonical(newest.Payload);
            var beside = sources.Where(x => x.ContestCode == c.ContestCode && x.TpsCode == c.TpsCode).OrderBy(x => x.Source, StringComparer.Ordinal)
                .Select(x => new SourceBeside(x.Source, x.Status.ToString(), x.ValidationCodes, SheetDiff.Compare(newestSheet, CHasilSheet.ParseCanonical(x.Payload)))).ToList();
            items.Add(new QueueItem(c.ContestCode, c.TpsCode, newest.DesaCode, c.State.ToString(), c.CountedVersionNo, open.Select(v => ToDto(v, true)).ToList(), diff, issues)
            { Sources = beside });
        }
        return items;
    }

    private static readonly string[] ExportColumns =
        ["contest", "tps", "desa", "versionNo", "status", "counted", "source", "submittedAt", "reason", "beritaAcara", "validationCodes", "anomalies", "photoSha256", "logSeq"];

    /// <summary>Open data: every version of every TPS result of a contest, as CSV (one row per version).</summary>
    public static async Task WriteCsvAsync(PantauDbContext db, TallyReference reference, string contest, Stream output, CancellationToken ct)
    {
        var contests = await reference.ContestsAsync(ct);
        var numbers = contests[contest].Paslon.Select(p => p.Number).ToList();
        var counted = await db.TallyCurrent.AsNoTracking().Where(c => c.ContestCode == contest).ToDictionaryAsync(c => c.TpsCode, c => c.CountedVersionNo, ct);
        await using var w = new StreamWriter(output, new UTF8Encoding(false), 65536, leaveOpen: true);
        await w.WriteLineAsync(string.Join(',', ExportColumns.Concat(numbers.Select(SheetFields.VoteField)).Concat(SheetFields.Numeric.Select(f => f.Name))));
        await foreach (var v in db.ResultVersions.AsNoTracking().Where(v => v.ContestCode == contest).OrderBy(v => v.TpsCode).ThenBy(v => v.VersionNo).AsAsyncEnumerable().WithCancellation(ct))
        {
            var s = CHasilSheet.ParseCanonical(v.Payload);
            var isCounted = counted.GetValueOrDefault(v.TpsCode) == v.VersionNo;
            var cells = new List<string>
            {
                v.ContestCode, v.TpsCode, v.DesaCode, Inv(v.VersionNo), v.Status.ToString(), isCounted ? "1" : "0", v.Source, v.SubmittedAt.UtcDateTime.ToString("O"),
                Csv(v.Reason), Csv(v.BeritaAcara), Csv(v.ValidationCodes), Csv(v.Anomalies), v.PhotoSha256 ?? "", Inv(v.LogSeq),
            };
            cells.AddRange(numbers.Select(n => s.Votes.TryGetValue(n, out var x) ? Inv(x) : ""));
            cells.AddRange(SheetFields.Numeric.Select(f => f.Value(s) is { } x ? Inv(x) : "")); // an absent field (not on the sheet) is an empty cell
            await w.WriteLineAsync(string.Join(',', cells));
        }
    }

    /// <summary>Open data as JSON: one object per TPS with its versions (newest last).</summary>
    public static async Task WriteJsonAsync(PantauDbContext db, string contest, Stream output, CancellationToken ct)
    {
        var counted = await db.TallyCurrent.AsNoTracking().Where(c => c.ContestCode == contest).ToDictionaryAsync(c => c.TpsCode, c => c.CountedVersionNo, ct);
        await using var w = new System.Text.Json.Utf8JsonWriter(output);
        w.WriteStartObject();
        w.WriteString("contest", contest);
        w.WriteString("schema", "pantau-tally-export/1");
        w.WriteStartArray("tps");
        string? currentTps = null;
        await foreach (var v in db.ResultVersions.AsNoTracking().Where(v => v.ContestCode == contest).OrderBy(v => v.TpsCode).ThenBy(v => v.VersionNo).AsAsyncEnumerable().WithCancellation(ct))
        {
            if (v.TpsCode != currentTps)
            {
                if (currentTps is not null) { w.WriteEndArray(); w.WriteEndObject(); }
                currentTps = v.TpsCode;
                w.WriteStartObject();
                w.WriteString("tps", v.TpsCode);
                w.WriteString("desa", v.DesaCode);
                w.WriteNumber("countedVersionNo", counted.GetValueOrDefault(v.TpsCode));
                w.WriteStartArray("versions");
            }
            var s = CHasilSheet.ParseCanonical(v.Payload);
            w.WriteStartObject();
            w.WriteNumber("versionNo", v.VersionNo);
            w.WriteString("status", v.Status.ToString());
            w.WriteString("source", v.Source);
            w.WriteString("submittedAt", v.SubmittedAt);
            w.WriteString("reason", v.Reason);
            w.WriteString("beritaAcara", v.BeritaAcara);
            w.WriteString("validationCodes", v.ValidationCodes);
            w.WriteString("anomalies", v.Anomalies);
            w.WriteString("photoSha256", v.PhotoSha256);
            w.WriteNumber("logSeq", v.LogSeq);
            w.WriteStartObject("votes");
            foreach (var (n, x) in s.Votes) w.WriteNumber(Inv(n), x);
            w.WriteEndObject();
            foreach (var f in SheetFields.Numeric)
                if (f.Value(s) is { } x) w.WriteNumber(f.Name, x);
                else w.WriteNull(f.Name); // absent: not on the sheet (a version-1 sheet has no written totals), not 0
            w.WriteEndObject();
            if (w.BytesPending > 32768) await w.FlushAsync(ct);
        }
        if (currentTps is not null) { w.WriteEndArray(); w.WriteEndObject(); }
        w.WriteEndArray();
        w.WriteEndObject();
        await w.FlushAsync(ct);
    }

    private static string Inv(long v) => v.ToString(System.Globalization.CultureInfo.InvariantCulture);
    private static string Csv(string? s) => s is null ? "" : s.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;
}
